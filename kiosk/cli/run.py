"""``kiosk run``: the full-screen kiosk (demo mode by default: simulated devices, embedded
sandbox platform, bundled demo data).

``--exit-after SECONDS --screenshot PATH`` runs, saves a PNG of the window and exits 0: a
headless smoke check for technicians and CI.

SIGTERM (``systemctl stop``), SIGINT (Ctrl-C) and SIGHUP (``xinit`` hangs up its client when it
is stopped, deploy/kiosk.service) stop the app cleanly on the next frame: the
window closes, background work stops, the outbox and the catalog are closed, exit status 0
(well within systemd's ``TimeoutStopSec``; tested below 5 s). SDL turns SIGTERM into a window
close request that the kiosk refuses (only a technician closes it), so the handlers are
installed once the event loop runs, replacing SDL's.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.cli.context import float_range, load

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the kiosk UI (运行自助终端)")
    parser.add_argument("--exit-after", type=float_range(0, 86400), metavar="SECONDS",
                        help="quit after this many seconds (smoke test)")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="save a PNG of the window just before --exit-after ends")
    parser.add_argument("--orientation", choices=("portrait", "landscape"),
                        help="override display.orientation")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of borderless full screen (development)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.services.heap_release import configure_malloc

    configure_malloc()   # before any thread starts (issue 23: idle memory)
    settings = load(args, console=True)
    from kiosk.bootstrap import build_services
    from kiosk.services.cjk_font import FontNotFound, ui_fonts_in_background
    from kiosk.ui.kivy_env import display_size, plan_window, prepare_kivy

    # Only settings, session and voice now: the platform side and the devices are built by the
    # app on a worker thread after the first frame (kiosk.bootstrap.complete_services).
    services = build_services(settings, devices=False, platform=False)
    fonts = ui_fonts_in_background(settings.display.font_path, services.data_dir / "fonts")
    orientation = args.orientation or settings.display.orientation
    plan = plan_window(orientation, settings.display.width, settings.display.height,
                       settings.display.fullscreen and not args.windowed,
                       display_size() if orientation == "auto" else None)
    prepare_kivy(services.data_dir / "kivy", plan, settings.display.maxfps,
                 settings.display.show_cursor)

    from kivy.clock import Clock

    try:
        font, bold = fonts.result()   # resolved meanwhile: before Kivy opens its window
    except FontNotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    from kiosk.app import KioskApp   # opens the window (kivy.core.window)

    app = KioskApp(services, font.path, bold.path)
    if args.exit_after is not None:
        def finish(_dt: float) -> None:
            if args.screenshot:
                save_screenshot(Path(args.screenshot))
            app.technician_exit()

        Clock.schedule_once(finish, args.exit_after)
    Clock.schedule_once(lambda _dt: install_stop_signals(app), 0)
    from kiosk import dataclass_code_cache

    Clock.schedule_once(lambda _dt: dataclass_code_cache.release(),
                        dataclass_code_cache.STARTUP_WINDOW_S)
    # The fonts' compact copies (a quarter of the memory per open size), for the next start.
    from kiosk.services.font_compaction import BackgroundCompaction

    compaction = BackgroundCompaction([font.single_face, bold.single_face],
                                      services.data_dir / "fonts")
    compaction.start()
    try:
        app.run()
    finally:
        compaction.stop()
        stopping = time.monotonic()
        services.stop()
        if services.catalog is not None:
            services.catalog.close()
        logger.info("services stopped in %.2f s", time.monotonic() - stopping)
    status = app.exit_status  # 75 after a nightly or technician restart (systemd restarts)
    if app.startup_error is not None:
        print(app.startup_error, file=sys.stderr)
        status = 1
    exit_process(status)
    return status  # not reached


def exit_process(status: int) -> None:
    """End the process now that the window is closed and every service is stopped (outbox,
    catalog, sandbox closed; logs flushed): skip the interpreter's teardown of the app's heap,
    which takes seconds on a loaded 2-core terminal and would push ``systemctl stop`` past its
    5 s budget (measured: 5.6 s with, 1.4 s without, at load average 8)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


def install_stop_signals(app: Any) -> None:
    """SIGTERM, SIGINT and SIGHUP → ``app.technician_exit()`` on the next frame (exit 0)."""
    from kivy.clock import Clock

    def on_signal(signum: int, _frame: Any) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        Clock.schedule_once(lambda _dt: app.technician_exit(), 0)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)


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
