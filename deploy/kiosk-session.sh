#!/bin/sh
# X session of the kiosk: nothing but the kiosk app. Screen blanking and DPMS off; the app
# hides the cursor itself. Started by kiosk.service through xinit.
xset s off
xset s noblank
xset -dpms
cd "$(dirname "$0")/.." || exit 1
exec .venv/bin/kiosk run
