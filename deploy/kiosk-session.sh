#!/bin/sh
# X session of the kiosk: nothing but the kiosk app. Screen blanking and DPMS off; the app
# hides the cursor itself. Started by kiosk.service through xinit, from a checkout set up by
# deploy/install.sh (.venv) or from the gd-employment-kiosk package (/opt/gd-employment-kiosk/venv).
xset s off
xset s noblank
xset -dpms
cd "$(dirname "$0")/.." || exit 1
if [ -x venv/bin/python ]; then
  exec venv/bin/python -I -m kiosk run
fi
exec .venv/bin/kiosk run
