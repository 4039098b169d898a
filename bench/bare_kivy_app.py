"""The baseline for the start-up and idle benchmarks: a bare Kivy app showing one Label.

Started the same way as ``kiosk run`` and with the same Kivy configuration (``prepare_kivy``:
``KIVY_NO_ARGS``, Python logging, no log file, same window size and ``maxfps``, same input
providers) and the same readiness probe (:mod:`kiosk.ui.ready_probe`, ``KIOSK_READY_FILE``), so
the difference in the figures is the kiosk's own cost.

Run: ``.venv/bin/python bench/bare_kivy_app.py [--width 1080 --height 1920 --maxfps 30]
[--kivy-home DIR]``. SIGTERM stops it cleanly (the probe's handler).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.ui.kivy_env import WindowPlan, prepare_kivy  # noqa: E402  (no Kivy import yet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1080)
    parser.add_argument("--height", type=int, default=1920)
    parser.add_argument("--maxfps", type=int, default=30)
    parser.add_argument("--kivy-home", type=Path, help="KIVY_HOME (default: a temporary folder)")
    args = parser.parse_args(argv)
    kivy_home = args.kivy_home or Path(tempfile.mkdtemp(prefix="bare-kivy-"))
    prepare_kivy(kivy_home, WindowPlan((args.width, args.height), True), args.maxfps, False)

    from kivy.app import App
    from kivy.uix.label import Label

    from kiosk.ui import ready_probe

    class BareApp(App):
        def build(self) -> Label:
            return Label(text="bare Kivy app", font_size=48)

        def on_start(self) -> None:
            ready_probe.install()

    BareApp().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
