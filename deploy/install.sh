#!/bin/sh
# 安装为开机自启的自助终端 / Install the kiosk as a boot-time service (Debian 12, as root).
# Usage: deploy/install.sh [/etc/kiosk/site.toml]
set -eu
KIOSK_HOME=$(cd "$(dirname "$0")/.." && pwd)
KIOSK_CONFIG=${1:-/etc/kiosk/site.toml}
id kiosk >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin kiosk
usermod -aG dialout,input,video,audio kiosk
apt-get install -y -qq xserver-xorg xinit x11-xserver-utils >/dev/null
"$KIOSK_HOME/scripts/setup.sh"
mkdir -p /etc/kiosk /var/lib/kiosk
chown kiosk:kiosk /var/lib/kiosk && chmod 700 /var/lib/kiosk
[ -f "$KIOSK_CONFIG" ] || cp "$KIOSK_HOME/config/site.example.toml" "$KIOSK_CONFIG"
sed -e "s#@KIOSK_HOME@#$KIOSK_HOME#g" -e "s#@KIOSK_CONFIG@#$KIOSK_CONFIG#g" \
    "$KIOSK_HOME/deploy/kiosk.service" > /etc/systemd/system/kiosk.service
install -m 0644 "$KIOSK_HOME/deploy/99-kiosk.rules" /etc/udev/rules.d/99-kiosk.rules
udevadm control --reload && udevadm trigger || true
systemctl daemon-reload
systemctl enable kiosk.service
echo "Installed. Edit $KIOSK_CONFIG, set the PIN with: $KIOSK_HOME/.venv/bin/kiosk --config $KIOSK_CONFIG maintenance set-pin, then: systemctl start kiosk"
