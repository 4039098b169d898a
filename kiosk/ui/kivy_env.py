"""Kivy start-up settings that must be applied before the first ``import kivy``.

Kivy reads its environment and ``Config`` at import time, so :func:`prepare_kivy` is called by
the ``kiosk run`` entry point before anything imports Kivy. Choices and their reasons
(``shared/design/kiosk-ux-kivy-privacy.md`` §3):

* ``KIVY_NO_ARGS`` (we have our own CLI), ``KIVY_LOG_MODE=PYTHON`` (Kivy logs into ours),
  ``KIVY_HOME`` under the data folder (nothing written to ``~/.kivy``), no Kivy log file.
* Borderless, non-resizable window at the display size (``fullscreen = auto`` uses the desktop
  size without a mode switch), screensaver off, cursor hidden, Escape does not quit.
* Only the ``mouse`` input provider with multitouch emulation disabled: a touch panel under X
  arrives as the pointer; with ``probesysfs`` too, every touch would count twice (#1903).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


@dataclass(frozen=True)
class WindowPlan:
    """``size`` in pixels, or None for the display's own size (``fullscreen = auto``)."""

    size: tuple[int, int] | None
    fullscreen: bool


def display_size(environ: dict[str, str] | None = None) -> tuple[int, int] | None:
    """The X display's size in pixels from ``xdpyinfo`` (x11-utils), or None when unknown.

    Asked before Kivy opens its window: SDL's ``fullscreen = auto`` leaves the window unsized
    on an X server without a window manager (Xvfb, a bare xinit session).
    """
    env = os.environ if environ is None else environ
    if not env.get("DISPLAY") or shutil.which("xdpyinfo") is None:
        return None
    try:
        out = subprocess.run(["xdpyinfo"], capture_output=True, text=True, timeout=5,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"dimensions:\s+(\d+)x(\d+) pixels", out)
    return (int(match.group(1)), int(match.group(2))) if match else None


def plan_window(orientation: str, width: int, height: int, fullscreen: bool,
                screen: tuple[int, int] | None = None) -> WindowPlan:
    """Decide the window size from ``[display]`` settings (see config/kiosk.toml).

    ``screen`` is the display size (:func:`display_size`); with "auto" the window covers it.
    """
    if width and height:
        return WindowPlan((width, height), fullscreen)
    if orientation == "portrait":
        return WindowPlan(PORTRAIT, fullscreen)
    if orientation == "landscape":
        return WindowPlan(LANDSCAPE, fullscreen)
    if screen is not None:
        return WindowPlan(screen, fullscreen)
    return WindowPlan(None if fullscreen else LANDSCAPE, fullscreen)


def prepare_kivy(kivy_home: Path, plan: WindowPlan, maxfps: int, show_cursor: bool) -> None:
    """Set Kivy's environment and Config. Must run before any other Kivy import."""
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ["KIVY_NO_FILELOG"] = "1"
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_METRICS_DENSITY", "1")
    os.environ["KIVY_CLIPBOARD"] = "dummy"  # no copy/paste on a kiosk (and no xclip/xsel noise)
    # Images through SDL2_image only (PNG from files and memory: icons, the résumé preview):
    # Kivy's Pillow provider would import Pillow and defusedxml into the UI process at start
    # (3.5 MB of idle memory, issue 23); the slip and QR code rendering import Pillow when used.
    os.environ.setdefault("KIVY_IMAGE", "tex,dds,sdl2")
    from kiosk.ui import kv_precompile

    kv_precompile.install()         # before kivy.lang parses style.kv (issue 23: start-up)
    from kivy.config import Config  # noqa: E402  (first Kivy import, after the environment)

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_enable", "0")
    Config.set("kivy", "keyboard_mode", "")
    Config.set("graphics", "allow_screensaver", "0")
    Config.set("graphics", "show_cursor", "1" if show_cursor else "0")
    Config.set("graphics", "maxfps", str(maxfps))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "multisamples", "0")
    if plan.size is None:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
    else:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "borderless", "1" if plan.fullscreen else "0")
        Config.set("graphics", "width", str(plan.size[0]))
        Config.set("graphics", "height", str(plan.size[1]))
        Config.set("graphics", "position", "custom")
        Config.set("graphics", "left", "0")
        Config.set("graphics", "top", "0")
    for option in list(Config.options("input")) if Config.has_section("input") else []:
        Config.remove_option("input", option)
    if not Config.has_section("input"):
        Config.add_section("input")
    Config.set("input", "mouse", "mouse,disable_multitouch")
