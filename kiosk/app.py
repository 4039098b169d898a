"""The Kivy application: window policy, screens, session timer, language and 长辈模式.

``KioskApp`` receives a ready :class:`kiosk.bootstrap.Services` bundle (built before Kivy
starts) and never constructs devices or clients itself. Screens are declared once in
``kiosk/screens/registry.py`` and built once (reused across sessions: Kivy screens that are
rebuilt leak, kivy#949/#7991).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any
from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.window import Window
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.screens.home import HomeScreen
from kiosk.services.session import IdleState
from kiosk.ui import i18n
from kiosk.ui.i18n import _
from kiosk.ui import ready_probe
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.idle_overlay import IdleOverlay
from kiosk.ui.theme import Theme

logger = logging.getLogger(__name__)


class KioskApp(App):
    theme = ObjectProperty(None)
    station_name = StringProperty("")
    language = StringProperty("zh_CN")
    title = "就业驿站自助服务终端"

    def __init__(self, services: Any, font_regular: Path, font_bold: Path | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._font_regular = font_regular
        self._font_bold = font_bold or font_regular
        self.theme = Theme()
        self.allow_close = False
        self.ready = False                      # services built and started (see on_start)
        self.startup_error: str | None = None
        self.history: list[str] = []
        self.sm: ScreenManager | None = None
        self.overlay: IdleOverlay | None = None
        self._screen_listeners: list[Callable[[str], None]] = []

    # ---- construction -------------------------------------------------------------------
    def build(self) -> FloatLayout:
        LabelBase.register(DEFAULT_FONT, fn_regular=str(self._font_regular),
                           fn_bold=str(self._font_bold))
        import kiosk.ui.widgets  # noqa: F401  (loads widgets.kv after the font is registered)

        settings = self.services.settings
        self.station_name = settings.station.name
        self.theme.elderly = settings.accessibility.elderly_mode
        Window.clearcolor = self.theme.background
        root = FloatLayout()
        self.sm = ScreenManager(transition=NoTransition())
        home = HomeScreen(name="home")
        home.services = self.services
        self.sm.add_widget(home)
        self.sm.bind(current=self._on_screen_change)
        root.add_widget(self.sm)
        self.overlay = IdleOverlay()
        root.add_widget(self.overlay)
        self._build_maintenance_hooks(root)
        Window.bind(on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self.services.session.add_end_listener(self._on_session_end)
        self.services.voice.player = self._play_sound
        Clock.schedule_interval(self._tick, 1.0)
        return root

    def on_start(self) -> None:
        ready_probe.install()  # KIOSK_READY_FILE set: start-up/idle benchmark probe
        Window.bind(on_flip=self._after_first_frame)

    def _after_first_frame(self, *_args: Any) -> None:
        """The home screen is on the glass: now build the other screens (their modules pull in
        the catalog, pinyin tables, the printer driver …) and start the services."""
        Window.unbind(on_flip=self._after_first_frame)
        Clock.schedule_once(self._add_screens, 0)  # next frame: let this one finish first

    def _add_screens(self, _dt: float) -> None:
        from kiosk.screens.registry import SCREENS

        for name, factory in SCREENS:
            if self.sm.has_screen(name):
                continue
            screen = factory(name=name)
            screen.services = self.services
            self.sm.add_widget(screen)
        threading.Thread(target=self._complete_services, name="services-start",
                         daemon=True).start()

    def _complete_services(self) -> None:
        """Worker thread: bring up the platform side and the devices after the first frame."""
        from kiosk.bootstrap import complete_services

        try:
            complete_services(self.services)
        except Exception as exc:  # noqa: BLE001 - shown on screen and logged, never a crash
            logger.exception("start-up failed")
            message = f"暂停服务：终端启动失败（{type(exc).__name__}），请联系工作人员。 {exc}"
            Clock.schedule_once(lambda _dt: self._services_failed(message), 0)
            return
        Clock.schedule_once(self._services_ready, 0)

    def _services_ready(self, _dt: float = 0) -> None:
        if self.services.card is not None:
            self.services.card.subscribe(on_main_thread(self._on_card_event))
        self.services.start(self)
        self.ready = True
        ready_probe.mark("services_ready")
        home = self.sm.get_screen("home")
        home.demo_card = self.services.demo_card_reader
        home.notice_text = "\n".join(self.services.notices)
        Clock.schedule_once(lambda _dt: run_in_background(self.services.health, home.show_health), 1)

    def _services_failed(self, message: str) -> None:
        self.startup_error = message
        home = self.sm.get_screen("home")
        home.notice_text = message

    def on_stop(self) -> None:
        stop = getattr(self.services, "stop", None)
        if stop is not None:
            stop()

    # ---- navigation ---------------------------------------------------------------------
    def screen(self, name: str) -> Any:
        assert self.sm is not None
        return self.sm.get_screen(name)

    def go(self, name: str, remember: bool = True) -> None:
        """Show screen ``name``; ``remember`` pushes the current one for the back button."""
        assert self.sm is not None
        if name == self.sm.current:
            return
        if remember and self.sm.current != "home":
            self.history.append(self.sm.current)
        elif not remember:
            pass
        self.sm.current = name

    def go_back(self) -> None:
        assert self.sm is not None
        self.sm.current = self.history.pop() if self.history else "home"

    def open_service(self, service: str) -> None:
        """Route a home-screen service button ("search", "register", …) to its first screen."""
        if not self.ready:
            self.sm.get_screen("home").notice_text = (
                self.startup_error or _("系统正在启动，请稍候…"))
            return
        from kiosk.screens.registry import SERVICE_ROUTES

        route = SERVICE_ROUTES.get(service)
        if route is None:
            logger.error("no screen for service %s", service)
            return
        self.services.session.start()
        self.history.clear()
        route(self)

    def require_identity(self, action: str) -> None:
        """Continue with ``action`` (a key of ``IDENTITY_ROUTES``) once the jobseeker is
        identified: at once if the card was read in this session, else through the notice and
        consent screen and the card-reading screen."""
        session = self.services.session.start()
        session.pending_action = action
        if session.identity is not None:
            self.after_identity()
        else:
            self.go("consent")

    def after_identity(self) -> None:
        """Called by the card-reading screen when the card was read: route by pending action."""
        session = self.services.session.current
        action = session.pending_action if session is not None else ""
        from kiosk.screens.registry import IDENTITY_ROUTES

        route = IDENTITY_ROUTES.get(action) or IDENTITY_ROUTES.get("register")
        if route is None:
            self.sm.current = "home"
            return
        route(self)

    def add_screen_listener(self, listener: Callable[[str], None]) -> None:
        """``listener(screen_name)`` after every screen change (tests and voice prompts)."""
        self._screen_listeners.append(listener)

    def _on_screen_change(self, _sm: Any, name: str) -> None:
        self.services.session.touch()
        key = getattr(self.sm.get_screen(name), "prompt_key", "")
        if key and name != "home":
            self.services.voice.say(key)
        for listener in list(self._screen_listeners):
            listener(name)

    def _on_card_event(self, event: Any) -> None:
        """Card events on the UI thread: the current screen first, then the default."""
        if event.kind in ("placed", "detected"):
            # A card laid down is a person acting; reader states and errors are not (a flapping
            # reader must never keep a walked-away session alive).
            self.services.session.touch()
        screen = self.sm.current_screen if self.sm is not None else None
        if screen is not None and screen.on_card_event(event):
            return
        if event.kind in ("detected", "placed") and self.sm.current == "home":
            self.require_identity("register")

    def _play_sound(self, path: Path, volume: float) -> None:
        """Play a voice prompt (a missing or broken file only logs)."""
        from kivy.core.audio import SoundLoader

        previous = getattr(self, "_sound", None)
        if previous is not None:
            previous.stop()
        sound = SoundLoader.load(str(path))
        if sound is None:
            logger.warning("cannot play %s", path.name)
            return
        sound.volume = volume
        sound.play()
        self._sound = sound

    # ---- session ------------------------------------------------------------------------
    def _on_activity(self, *_args: Any) -> None:
        self.services.session.touch()

    def keep_session(self) -> None:
        self.services.session.touch()
        if self.overlay is not None:
            self.overlay.opacity = 0

    def finish_session(self, reason: str = "finished") -> None:
        """The jobseeker is done (or tapped 首页): wipe everything and show home."""
        self.services.session.end(reason)

    def _on_session_end(self, reason: str) -> None:
        assert self.sm is not None
        if self.services.card is not None:
            self.services.card.allow_reading(False)
        for screen in self.sm.screens:
            screen.wipe()
        self.history.clear()
        if self.overlay is not None:
            self.overlay.opacity = 0
        self.theme.elderly = self.services.settings.accessibility.elderly_mode
        self.services.session.elderly = self.theme.elderly
        self.services.voice.enabled = self.services.settings.accessibility.voice
        self.set_language(self.services.settings.accessibility.language)
        self.sm.current = "home"

    def _tick(self, _dt: float) -> None:
        state, left = self.services.session.idle_state()
        if self.overlay is not None:
            if state is IdleState.COUNTDOWN:
                self.overlay.seconds_left = int(left + 0.999)
                self.overlay.opacity = 1
            elif self.overlay.opacity:
                self.overlay.opacity = 0
        if state is IdleState.EXPIRED:
            self.services.session.end("idle")
        if self.sm is not None and self.sm.current == "home":
            home = self.sm.current_screen
            home.update_clock()
            self._ticks = getattr(self, "_ticks", 0) + 1
            if self._ticks % 5 == 1:
                run_in_background(self.services.health, home.show_health)

    # ---- switches -----------------------------------------------------------------------
    def toggle_elderly(self) -> None:
        """长辈模式 on/off: larger text and targets, longer timeout, voice on."""
        self.theme.elderly = not self.theme.elderly
        self.services.session.elderly = self.theme.elderly
        if self.theme.elderly:
            self.services.voice.enabled = True
        else:
            self.services.voice.enabled = self.services.settings.accessibility.voice

    def replay_prompt(self) -> None:
        self.services.voice.replay()

    def set_language(self, language: str) -> None:
        i18n.set_language(language)
        self.language = language
        self.services.voice.language = language

    def toggle_language(self) -> None:
        self.set_language("en" if self.language == "zh_CN" else "zh_CN")

    # ---- window policy ------------------------------------------------------------------
    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        """Escape, Alt+F4 and the window manager cannot close the kiosk (only a technician)."""
        if self.allow_close:
            return False
        logger.info("close request ignored (use maintenance mode to exit)")
        return True

    def technician_exit(self) -> None:
        self.allow_close = True
        self.stop()

    # ---- maintenance mode and the nightly restart -----------------------------------------
    exit_status = 0  # `kiosk run` exits with it: 75 asks systemd for a restart

    def _build_maintenance_hooks(self, root: FloatLayout) -> None:
        """The hidden corner gesture (on top, never consumes touches) and the nightly check."""
        import time

        from kiosk.services.maintenance.restart_policy import CHECK_INTERVAL_S
        from kiosk.ui.corner_gesture import CornerGestureDetector

        self._started_at = time.monotonic()
        root.add_widget(CornerGestureDetector(on_gesture=self.open_maintenance))
        Clock.schedule_interval(self.check_nightly_restart, CHECK_INTERVAL_S)

    def open_maintenance(self) -> None:
        """Corner gesture done: the PIN keypad (maintenance screens are never in history)."""
        if self.sm is not None and self.sm.current not in ("maintenance_pin", "maintenance"):
            self.services.session.end("maintenance")
            self.go("maintenance_pin", remember=False)

    def check_nightly_restart(self, _dt: float = 0.0) -> bool:
        """Once a minute: exit with status 75 at ``maintenance.nightly_restart_hour`` when idle
        and up for more than an hour (``restart_policy.should_restart_now``)."""
        import time
        from datetime import datetime

        from kiosk.services.maintenance.restart_policy import should_restart_now

        busy = self.services.session.current is not None or (
            self.sm is not None and self.sm.current in ("maintenance_pin", "maintenance"))
        decision = should_restart_now(
            datetime.now(), time.monotonic() - self._started_at,
            self.services.settings.maintenance.nightly_restart_hour, busy)
        if decision.restart:
            self.restart_app("nightly")
        return decision.restart

    def restart_app(self, reason: str) -> None:
        """Exit with status 75 (EX_TEMPFAIL); systemd (Restart=always) starts the kiosk again."""
        from kiosk.services.maintenance.restart_policy import RESTART_EXIT_STATUS

        logger.info("restarting the app (%s): exit status %d", reason, RESTART_EXIT_STATUS)
        self.exit_status = RESTART_EXIT_STATUS
        self.technician_exit()
