#!/usr/bin/env bash
# Installs what mpsa needs and is missing; run by `make test` / `make nightly` (and `make setup`).
#   - Node >= 20.19 (checked, not installed)
#   - npm packages from package-lock.json (npm ci when node_modules is missing or stale)
#   - Debian packages (apt-get, only when running as root; otherwise the command to run is printed)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# --- Node -----------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
  say "node is not installed: install Node.js 20.19 or newer (Debian: apt-get install nodejs npm)"
  exit 1
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)')
if [ "$node_ok" != 1 ]; then
  say "Node $(node --version) is too old: mpsa needs Node 20.19 or newer (vitest 4 / vite 7)"
  exit 1
fi

# --- npm packages ---------------------------------------------------------------------------
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- Debian packages ------------------------------------------------------------------------
# verilator + g++/make: simulation models; yosys, nextpnr-ice40: synthesis; fpga-icestorm: icepack bitstreams;
# dataset-fashion-mnist: the training data set; chromium: the nightly report's browser test and screenshot.
DEB_PACKAGES=(verilator yosys nextpnr-ice40 fpga-icestorm dataset-fashion-mnist g++ make chromium)
if [ -n "${MPSA_EXTRA_DEB:-}" ]; then read -r -a extra <<<"$MPSA_EXTRA_DEB"; DEB_PACKAGES+=("${extra[@]}"); fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${DEB_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
  done
else
  for tool in verilator yosys nextpnr-ice40 fpga-icestorm g++ make; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing system packages: ${missing[*]}"
    say "install them with: sudo apt-get install ${missing[*]}"
    say "(tests that need them will fail and name the missing tool)"
  fi
fi
exit 0
