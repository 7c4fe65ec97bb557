#!/usr/bin/env bash
# Lints every RTL module (docs/rtl.md): Verilator 5 `--lint-only -Wall` and Yosys
# `read_verilog; hierarchy; proc; check -assert`, each module under several parameter sets
# (fp32, e4m3, e2m1 without subnormals, mixed formats, every rounding mode family), and the
# systolic array and GEMM top in rtl/array (their generated per-configuration wrappers are
# linted by rtl/config.test.ts). Any warning from either tool fails the run. Usage: scripts/lint.sh [top-module-filter]
set -uo pipefail
cd "$(dirname "$0")/.."

FP=rtl/fp
PE=rtl/pe
INC=(-I"$FP" -I"$PE")
FP_SRC=("$FP"/*.v)
PE_SRC=("$PE"/*.v rtl/array/*.v)

# Parameter fragments: formats as <prefix>_EXP/_MAN/_SUBNORMALS/_SPECIALS(/_OVERFLOW).
fmt() { # prefix exp man subnormals specials [overflow]
  local s="$1_EXP=$2 $1_MAN=$3 $1_SUBNORMALS=$4 $1_SPECIALS=$5"
  [ $# -ge 6 ] && s+=" $1_OVERFLOW=$6"
  echo "$s"
}
FP32() { fmt "$1" 8 23 1 0 ${2:+1}; }
E4M3() { fmt "$1" 4 3 1 1 ${2:+1}; }
E2M1NS() { fmt "$1" 2 1 0 2 ${2:+0}; }   # e2m1, no subnormals, saturating
E3M0() { fmt "$1" 3 0 1 2 ${2:+0}; }     # M = 0 ('finite' only)
E1M2() { fmt "$1" 1 2 1 2 ${2:+0}; }     # E = 1 ('finite' only)
B8P4SE() { fmt "$1" 4 3 1 3 ${2:+1}; }   # P3109 binary8p4se (extended domain)
B8P1SF() { fmt "$1" 7 0 1 4 ${2:+0}; }   # P3109 binary8p1sf (finite domain, M = 0, saturating)
B3P2SE() { fmt "$1" 1 1 1 3 ${2:+1}; }   # P3109 binary3p2se (E = 1)

# top | parameters (NAME=VALUE, space separated)
CASES=(
  "fp_lzc|WIDTH=1"
  "fp_lzc|WIDTH=48"
  "fp_lzc|WIDTH=57"
  "fp_unpack|EXP=8 MAN=23 SUBNORMALS=1 SPECIALS=0"
  "fp_unpack|EXP=3 MAN=0 SUBNORMALS=1 SPECIALS=2"
  "fp_unpack|EXP=1 MAN=2 SUBNORMALS=0 SPECIALS=2"
  "fp_unpack|EXP=4 MAN=3 SUBNORMALS=1 SPECIALS=1 NORMALIZE=0"
  "fp_unpack|EXP=4 MAN=3 SUBNORMALS=1 SPECIALS=3"
  "fp_unpack|EXP=7 MAN=0 SUBNORMALS=1 SPECIALS=3"
  "fp_unpack|EXP=1 MAN=1 SUBNORMALS=1 SPECIALS=4 NORMALIZE=0"
  "fp_norm|R_EXP=8 R_MAN=23 RBITS=1 W=48 LZ_W=6 RIGHT=1"
  "fp_norm|R_EXP=4 R_MAN=3 RBITS=8 W=31 LZ_W=5 RIGHT=1 LZ_FITS=1"
  "fp_norm|R_EXP=2 R_MAN=0 RBITS=1 W=4 LZ_W=1 RIGHT=0"
  "fp_round|R_EXP=8 R_MAN=23"
  "fp_round|R_EXP=4 R_MAN=3 R_SPECIALS=1 RBITS=24"
  "fp_round|R_EXP=2 R_MAN=0 R_SPECIALS=2 R_OVERFLOW=0 R_SUBNORMALS=0"
  "fp_round|R_EXP=4 R_MAN=3 R_SPECIALS=3 RBITS=6"
  "fp_round|R_EXP=2 R_MAN=0 R_SPECIALS=3"
  "fp_round|R_EXP=5 R_MAN=2 R_SPECIALS=4 R_OVERFLOW=0"
  "fp_add_swap|A_SIG=24 B_SIG=4 SUM_W=31"
  "fp_add_align|L=29"
  "fp_add_sum|SUM_W=31"
  "fp_add_raw|A_SIG=24 B_SIG=4 R_EXP=5 R_MAN=10 RBITS=9"
  "fp_clamp|W_IN=8 W_OUT=30 R_EXP=8"
  "fp_mul|$(FP32 A) $(FP32 B) $(FP32 R o)"
  "fp_mul|$(E4M3 A) $(E4M3 B) $(E4M3 R o) RBITS=5"
  "fp_mul|$(E2M1NS A) $(E3M0 B) $(E1M2 R o)"
  "fp_add|$(FP32 A) $(FP32 B) $(FP32 R o)"
  "fp_add|$(E4M3 A) $(E2M1NS B) $(E4M3 R o) RBITS=24"
  "fp_add|$(E3M0 A) $(E1M2 B) $(E2M1NS R o)"
  "fp_fma|$(FP32 A) $(FP32 B) $(FP32 C) $(FP32 R o)"
  "fp_fma|$(E4M3 A) $(E4M3 B) $(FP32 C) $(FP32 R o) RBITS=12"
  "fp_fma|$(E2M1NS A) $(E3M0 B) $(E1M2 C) $(E2M1NS R o)"
  "fp_convert|$(FP32 A) $(E4M3 R o)"
  "fp_convert|$(FP32 A) $(E2M1NS R o) RBITS=24"
  "fp_convert|$(E3M0 A) $(FP32 R o)"
  "fp_clamp|W_IN=8 W_OUT=20 R_EXP=4 R_SPECIALS=3"
  "fp_mul|$(B8P4SE A) $(B8P1SF B) $(B3P2SE R o)"
  "fp_add|$(B8P4SE A) $(B3P2SE B) $(B8P1SF R o) RBITS=3"
  "fp_fma|$(B8P4SE A) $(B8P4SE B) $(B8P1SF C) $(B8P4SE R o)"
  "fp_convert|$(FP32 A) $(B8P4SE R o) RBITS=8"
  "xorshift32|RBITS=32"
  "xorshift32|RBITS=1"
  "pipe_reg|WIDTH=8 EN=1 RESET=0"
  "pipe_reg|WIDTH=1 EN=1 RESET=1"
  "pipe_reg|WIDTH=3 EN=0"
  "mac_prod|MUL_CUTS=31"
  "mac_prod|$(E2M1NS A) $(E4M3 B) $(E4M3 MUL o) MUL_MODE=6 MUL_RBITS=4 STYLE=0 MUL_CUTS=5 PW=4"
  "mac_acc|ACC_CUTS=31"
  "mac_acc|$(E2M1NS ACC o) ACC_MODE=6 ACC_RBITS=13 ACC_CUTS=0"
  "mac_pe|STYLE=0"
  "mac_pe|STYLE=1"
  "mac_pe|STYLE=1 MUL_CUTS=19 ACC_CUTS=31"
  "mac_pe|$(E2M1NS A) $(E4M3 B) $(E4M3 MUL o) MUL_MODE=6 MUL_RBITS=4 $(FP32 ACC o) ACC_MODE=6 ACC_RBITS=13 STYLE=0 PE_INDEX=17 MUL_CUTS=31 ACC_CUTS=31"
  "mac_pe|$(E4M3 A) $(E4M3 B) $(E2M1NS ACC o) ACC_MODE=5 STYLE=1 PE_INDEX=3 MUL_CUTS=1 ACC_CUTS=4"
  "mac_pe|$(B8P4SE A) $(B8P1SF B) $(B8P4SE MUL o) MUL_MODE=6 MUL_RBITS=4 $(B8P4SE ACC o) ACC_MODE=0 STYLE=0 MUL_CUTS=31 ACC_CUTS=31"
  "mac_pe|$(B8P4SE A) $(B8P4SE B) $(fmt ACC 8 7 1 3 1) ACC_MODE=6 ACC_RBITS=8 STYLE=1 MUL_CUTS=19 ACC_CUTS=4"
  "int_pe|A_W=8 B_W=8 ACC_W=32"
  "int_pe|A_W=4 B_W=4 ACC_W=6 CUTS=0"
  "int_packed_pe|A_W=8 B_W=8 LANES=2 ACC_W=32"
  "int_packed_pe|A_W=4 B_W=4 LANES=3 ACC_W=24 CUTS=1"
  "int_packed_pe|A_W=4 B_W=8 LANES=2 ACC_W=10 CUTS=0"
  "blk_elem|KIND=0 EW=8 FX_W=8"
  "blk_elem|KIND=1 EW=8 FX_W=8"
  "blk_elem|KIND=2 EW=8 EXP=5 MAN=2 SPECIALS=0 FX_W=34"
  "blk_elem|KIND=2 EW=4 EXP=2 MAN=1 SPECIALS=2 FX_W=5"
  "block_pe|BLOCK=32"
  "block_pe|A_KIND=1 A_EW=8 A_FRAC=6 A_SCALE=0 B_KIND=1 B_EW=8 B_FRAC=6 B_SCALE=0 BLOCK=16 $(fmt ACC 5 10 1 0 1) ACC_MODE=4"
  "block_pe|A_KIND=2 A_EW=4 A_EXP=2 A_MAN=1 A_SPECIALS=2 A_FRAC=1 B_KIND=0 B_EW=8 B_FRAC=6 BLOCK=1 $(fmt ACC 8 7 1 0 1) ACC_MODE=2"
  "exact_pe|A_EXP=4 A_MAN=3 A_SPECIALS=1 B_EXP=4 B_MAN=3 B_SPECIALS=1"
  "exact_pe|A_EXP=5 A_MAN=2 A_SPECIALS=0 B_EXP=4 B_MAN=3 B_SPECIALS=1 $(fmt ACC 8 7 1 0 1) ACC_MODE=6 ACC_RBITS=8 PE_INDEX=5"
  "exact_pe|A_EXP=2 A_MAN=1 A_SPECIALS=2 B_EXP=2 B_MAN=1 B_SPECIALS=2 $(fmt ACC 5 10 0 1 0) ACC_MODE=4 GUARD=4"
  "exact_pe|A_EXP=4 A_MAN=3 A_SPECIALS=3 B_EXP=3 B_MAN=2 B_SPECIALS=4 $(fmt ACC 5 10 1 3 1) ACC_MODE=6 ACC_RBITS=4"
  "mpsa_delay|WIDTH=5 DEPTH=0"
  "mpsa_delay|WIDTH=1 DEPTH=1"
  "mpsa_delay|WIDTH=9 DEPTH=3 RESET=0"
  "mpsa_fifo|WIDTH=8 DEPTH=4"
  "mpsa_fifo|WIDTH=33 DEPTH=9"
  "out_convert|CUTS=0"
  "out_convert|$(FP32 A) $(E4M3 R o) MODE=2 CUTS=7"
  "os_array|ROWS=1 COLS=1"
  "os_array|ROWS=3 COLS=2 $(E2M1NS A) $(E4M3 B) $(FP32 ACC o) ACC_MODE=6 ACC_RBITS=8 STYLE=1 MUL_CUTS=19 ACC_CUTS=31"
  "os_array|ROWS=2 COLS=2 PE_KIND=1 A_W=4 B_W=8 RES_W=28"
  "os_array|ROWS=2 COLS=1 PE_KIND=2 A_W=8 B_W=16 LANES=2 RES_W=64 INT_CUTS=1"
  "os_array|ROWS=1 COLS=2 PE_KIND=3 $(E4M3 A) $(E4M3 B) A_W=16 B_W=16 A_FRAC=9 B_FRAC=9 BLOCK=4"
  "os_array|ROWS=2 COLS=2 PE_KIND=4 $(E4M3 A) $(E4M3 B) $(FP32 ACC o) ACC_MODE=6 ACC_RBITS=8"
  "mpsa_gemm|ROWS=1 COLS=1"
  "mpsa_gemm|ROWS=4 COLS=2 PE_KIND=2 A_W=4 B_W=12 LANES=3 RES_W=72"
  "mpsa_gemm|ROWS=2 COLS=2 PE_KIND=3 A_KIND=1 A_W=16 A_FRAC=6 A_SCALE=0 B_KIND=1 B_W=16 B_FRAC=6 B_SCALE=0 BLOCK=16 $(fmt ACC 5 10 1 0 1) ACC_MODE=4"
  "mpsa_gemm|ROWS=2 COLS=3 OUT_EN=1 $(E4M3 OUT o) OUT_MODE=2 OUT_CUTS=0"
  "mpsa_gemm|ROWS=4 COLS=4 $(E4M3 A) $(E4M3 B) $(E4M3 MUL o) MUL_MODE=6 MUL_RBITS=3 ACC_MODE=6 ACC_RBITS=8 MUL_CUTS=31 ACC_CUTS=31 OUT_EN=1 OUT_MODE=0"
)

filter="${1:-}"
fails=0
n=0
for c in "${CASES[@]}"; do
  top="${c%%|*}"
  params="${c#*|}"
  [ -n "$filter" ] && [ "$top" != "$filter" ] && continue
  n=$((n + 1))
  vparams=()
  yparams=""
  for kv in $params; do
    vparams+=("-G$kv")
    yparams+="-set ${kv%%=*} ${kv#*=} "
  done
  vout=$(verilator --lint-only -Wall "${INC[@]}" --top-module "$top" "${vparams[@]}" "${FP_SRC[@]}" "${PE_SRC[@]}" 2>&1)
  if [ $? -ne 0 ] || [ -n "$vout" ]; then
    echo "lint: verilator FAILED on $top [$params]"; echo "$vout" | head -40; fails=$((fails + 1))
  fi
  ychparam=""
  [ -n "$yparams" ] && ychparam="chparam $yparams $top;"
  yout=$(yosys -q -p "read_verilog ${INC[*]} ${FP_SRC[*]} ${PE_SRC[*]}; $ychparam hierarchy -check -top $top; proc; check -assert" 2>&1)
  if [ $? -ne 0 ] || echo "$yout" | grep -qi 'warning'; then
    echo "lint: yosys FAILED on $top [$params]"; echo "$yout" | head -40; fails=$((fails + 1))
  fi
done
if [ "$fails" -ne 0 ]; then
  echo "lint: $fails failure(s) in $n configuration(s)"
  exit 1
fi
echo "lint: $n configuration(s) clean (verilator -Wall, yosys check -assert)"
