#!/usr/bin/env bash
# Schedules `make nightly` every night on this machine (docs/nightly.md, "Scheduling"):
#   scripts/schedule-nightly.sh systemd [PROFILE] [HH:MM]   a systemd user timer (default)
#   scripts/schedule-nightly.sh cron    [PROFILE] [HH:MM]   a crontab line instead
#   scripts/schedule-nightly.sh remove                       takes either away again
#   scripts/schedule-nightly.sh print   [PROFILE] [HH:MM]   shows what would be installed
# PROFILE: quick | full (default full); HH:MM local time (default 01:30). Each night runs in this
# checkout and logs to reports/out/nightly-cron.log. Installed only by `make schedule-nightly`.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
what=${1:-systemd}
PROFILE=${2:-full}
AT=${3:-01:30}
case "$PROFILE" in quick|full) ;; *) echo "schedule-nightly: PROFILE must be quick or full, got '$PROFILE'" >&2; exit 2 ;; esac
if ! [[ "$AT" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then echo "schedule-nightly: time must be HH:MM (00:00-23:59), got '$AT'" >&2; exit 2; fi
HH=${AT%%:*}; MM=${AT##*:}
MAKE_BIN=$(command -v make || echo /usr/bin/make)
CMD="cd '$REPO' && PATH='$PATH' $MAKE_BIN nightly PROFILE=$PROFILE >> '$REPO/reports/out/nightly-cron.log' 2>&1"
UNIT_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
NAME=mpsa-nightly
TAG="# mpsa nightly ($REPO)"

service() {
  cat <<UNIT
[Unit]
Description=mpsa nightly regression ($REPO, profile $PROFILE)

[Service]
Type=oneshot
ExecStartPre=/bin/mkdir -p $REPO/reports/out
ExecStart=/bin/bash -c "$CMD"
Nice=10
UNIT
}
timer() {
  cat <<UNIT
[Unit]
Description=mpsa nightly regression at $AT

[Timer]
OnCalendar=*-*-* $AT:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
}
cronline() { echo "$MM $HH * * * mkdir -p '$REPO/reports/out' && $CMD $TAG"; }

case "$what" in
  print)
    echo "--- $UNIT_DIR/$NAME.service"; service
    echo "--- $UNIT_DIR/$NAME.timer"; timer
    echo "--- or crontab line"; cronline ;;
  systemd)
    command -v systemctl >/dev/null || { echo "schedule-nightly: no systemctl here; use 'scripts/schedule-nightly.sh cron'" >&2; exit 1; }
    mkdir -p "$UNIT_DIR"
    service > "$UNIT_DIR/$NAME.service.tmp" && mv "$UNIT_DIR/$NAME.service.tmp" "$UNIT_DIR/$NAME.service"
    timer > "$UNIT_DIR/$NAME.timer.tmp" && mv "$UNIT_DIR/$NAME.timer.tmp" "$UNIT_DIR/$NAME.timer"
    systemctl --user daemon-reload
    systemctl --user enable --now "$NAME.timer"
    echo "schedule-nightly: $NAME.timer runs 'make nightly PROFILE=$PROFILE' at $AT (systemctl --user list-timers $NAME.timer)"
    echo "schedule-nightly: for runs while logged out: loginctl enable-linger $USER" ;;
  cron)
    command -v crontab >/dev/null || { echo "schedule-nightly: crontab is not installed (Debian: apt-get install cron)" >&2; exit 1; }
    { crontab -l 2>/dev/null | grep -vF "$TAG" || true; cronline; } | crontab -
    echo "schedule-nightly: crontab runs 'make nightly PROFILE=$PROFILE' at $AT (crontab -l)" ;;
  remove)
    if command -v systemctl >/dev/null && [ -f "$UNIT_DIR/$NAME.timer" ]; then
      systemctl --user disable --now "$NAME.timer" || true
      rm -f "$UNIT_DIR/$NAME.timer" "$UNIT_DIR/$NAME.service"
      systemctl --user daemon-reload || true
      echo "schedule-nightly: systemd timer removed"
    fi
    if command -v crontab >/dev/null && crontab -l 2>/dev/null | grep -qF "$TAG"; then
      crontab -l | grep -vF "$TAG" | crontab -
      echo "schedule-nightly: crontab line removed"
    fi ;;
  *) echo "usage: scripts/schedule-nightly.sh systemd|cron|remove|print [quick|full] [HH:MM]" >&2; exit 2 ;;
esac
