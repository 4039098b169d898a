"""``kiosk run``: the full-screen kiosk (demo mode by default: simulated devices, embedded
sandbox platform, bundled demo data).

``--exit-after SECONDS --screenshot PATH`` runs, saves a PNG of the window and exits 0: a
headless smoke check for technicians and CI.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

from kiosk.cli.context import load

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the kiosk UI (运行自助终端)")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS",
                        help="quit after this many seconds (smoke test)")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="save a PNG of the window just before --exit-after ends")
    parser.add_argument("--orientation", choices=("portrait", "landscape"),
                        help="override display.orientation")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of borderless full screen (development)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load(args, console=True)
    from kiosk.bootstrap import build_services
    from kiosk.services.cjk_font import FontNotFound, resolve_cjk_font
    from kiosk.ui.kivy_env import display_size, plan_window, prepare_kivy

    # Only settings, session and voice now: the platform side and the devices are built by the
    # app on a worker thread after the first frame (kiosk.bootstrap.complete_services).
    services = build_services(settings, devices=False, platform=False)
    try:
        font = resolve_cjk_font(settings.display.font_path, services.data_dir / "fonts")
        bold = resolve_cjk_font(settings.display.font_path, services.data_dir / "fonts", bold=True)
    except FontNotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    orientation = args.orientation or settings.display.orientation
    plan = plan_window(orientation, settings.display.width, settings.display.height,
                       settings.display.fullscreen and not args.windowed,
                       display_size() if orientation == "auto" else None)
    prepare_kivy(services.data_dir / "kivy", plan, settings.display.maxfps,
                 settings.display.show_cursor)

    from kivy.clock import Clock

    from kiosk.app import KioskApp

    app = KioskApp(services, font.path, bold.path)
    if args.exit_after is not None:
        def finish(_dt: float) -> None:
            if args.screenshot:
                save_screenshot(Path(args.screenshot))
            app.technician_exit()

        Clock.schedule_once(finish, args.exit_after)
    try:
        app.run()
    finally:
        services.stop()
    if app.startup_error is not None:
        print(app.startup_error, file=sys.stderr)
        return 1
    return app.exit_status  # 75 after a nightly or technician restart (systemd restarts)


def save_screenshot(target: Path) -> Path:
    """Save the window as PNG at exactly ``target`` (Kivy numbers its screenshot files)."""
    from kivy.core.window import Window

    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    written = Window.screenshot(name=str(target.with_name(target.stem + "_kivy.png")))
    if written:
        shutil.move(written, target)
        logger.info("screenshot saved to %s", target)
    return target
