#!/usr/bin/env bash
# Installs what the kiosk and its tests need on Debian 12 (run as root, or with sudo available):
# system packages (X server for tests, Mesa GL, SDL runtime deps, a Simplified-Chinese font,
# espeak-ng for voice prompts, gettext) and a virtual environment in .venv with the project.
# Idempotent: packages already installed and an up-to-date .venv are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip
  xvfb xauth x11-utils           # virtual X server for headless runs and UI tests; xdpyinfo
  xclip                          # Kivy's X cut-buffer provider (else it logs CRITICAL at start)
  libgl1 libegl1 libgles2 libgl1-mesa-dri  # Mesa OpenGL (software llvmpipe when no GPU)
  libmtdev1                      # Kivy's multitouch device library
  libusb-1.0-0                   # pyusb backend for USB receipt printers (python-escpos Usb)
  fontconfig fonts-noto-cjk      # Noto Sans CJK SC (the SC face is extracted at start-up)
  espeak-ng                      # Mandarin voice prompts generated at build time
  gettext                        # msgfmt for the English catalog
  systemd                        # systemd-analyze verify for deploy/ unit files
  xinit                          # deploy/kiosk.service starts X with xinit (verified in tests)
  prometheus                     # promtool: checks and unit-tests deploy/monitoring alert rules
  lintian                        # tests/deploy/test_deb.py checks the .deb of scripts/build-deb
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # prometheus is installed for promtool only: do not leave its server running on :9090.
  if printf '%s\n' "${missing[@]}" | grep -qx prometheus && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

PYTHON="${PYTHON:-python3}"
stamp=".venv/.kiosk-installed"
want="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating the virtual environment in .venv"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi

# English catalog (.po → .mo) and voice prompts (espeak-ng → .wav); both are build outputs.
.venv/bin/python -m kiosk.services.build_assets
# The methods dataclasses generate, compiled once (kiosk/__pycache__, git-ignored; ~0.1 s a start).
.venv/bin/python -m kiosk.dataclass_code_cache
