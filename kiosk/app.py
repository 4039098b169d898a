"""The Kivy application: window policy, building the screens, and showing what the journey
engine says.

``KioskApp`` receives a ready :class:`kiosk.bootstrap.Services` bundle (built before Kivy
starts) and never constructs devices or clients itself; the start-up sequence is
:func:`kiosk.bootstrap.bring_up`. Which screen follows which is decided by the journey engine
(``services.journeys``, :mod:`kiosk.services.journeys.engine`): the app is its
:class:`~kiosk.services.journeys.engine.Display` (``show``/``update``/``ended``) and forwards it
the events that are not taps on a screen (card events, the once-a-second idle tick). Screens are
declared where they are written (``SCREENS`` in each module, :mod:`kiosk.screens.registry`) and
built once (reused across sessions: Kivy screens that are rebuilt leak, kivy#949/#7991).

Start-up order (issue 23, every button working within a second): the home screen is drawn
first; then the services come up on a worker thread (:func:`kiosk.bootstrap.bring_up`) while
the UI thread stays idle. A screen's module is imported, and the screen built, when it is first
needed (:meth:`KioskApp.screen`: a tap on a service button, a journey's next step,
maintenance) and kept: an idle terminal holds no code, kv rules or widgets for screens nobody
opened (issue 23: idle memory; a first import costs 5–30 ms, the e-ID screen's ~120 ms with
its QR code).

Start-up hook: :meth:`KioskApp.services_failed` / :meth:`KioskApp.services_ready` are called on
the UI thread when the services could not be brought up / are up (again). A failure puts up the
out-of-service face (:class:`~kiosk.ui.out_of_service.OutOfServiceOverlay`: 暂停服务 in Chinese
and English, the station hotline and 12333, nothing tappable, no exception text) and retries the
start-up every :data:`RETRY_START_S` seconds until it works; the technician's corner gesture
still opens maintenance mode (the overlay steps aside on the maintenance screens).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.window import Window
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.widget import Widget

from kiosk.bootstrap import Services, bring_up
from kiosk.screens.base import KioskScreen
from kiosk.screens.home import HomeScreen
from kiosk.services.journeys.engine import JourneyEngine
from kiosk.services.session import IdleState
from kiosk.ui import i18n, ready_probe
from kiosk.ui.background import on_main_thread, run_in_background
from kiosk.ui.fan_out import collected_first
from kiosk.ui.overlay_layer import OverlayLayer
from kiosk.ui.theme import Theme

if TYPE_CHECKING:   # built after the first frame (the overlays) or on the worker (the cards)
    from kiosk.services.card_events import CardEvent
    from kiosk.ui.idle_overlay import IdleOverlay

logger = logging.getLogger(__name__)

#: the technician's screens: outside every journey, never in the history, no card route
MAINTENANCE_SCREENS = ("maintenance_pin", "maintenance")
#: Seconds between start-up attempts after a failure: 5, 10, 20, 40, then every 60.
RETRY_START_S = (5.0, 10.0, 20.0, 40.0, 60.0)
#: What the home screen says after a failed start (the detail is for the log and maintenance).
OUT_OF_SERVICE_NOTICE = "暂停服务 Out of service"


class KioskApp(App):
    theme = ObjectProperty(None)
    station_name = StringProperty("")
    language = StringProperty("zh_CN")
    title = "就业驿站自助服务终端"
    exit_status = 0  # `kiosk run` exits with it: 75 asks systemd for a restart

    def __init__(self, services: Services, font_regular: Path, font_bold: Path | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.nav: JourneyEngine = services.journeys
        self._font_regular = font_regular
        self._font_bold = font_bold or font_regular
        self.theme = Theme()
        self.allow_close = False
        self.ready = False                      # services built and started (see on_start)
        self.startup_error: str | None = None
        self.sm: ScreenManager | None = None
        self.overlay: IdleOverlay | None = None
        self.leave_form: Any = None              # LeaveFormOverlay, after the first frame
        #: monotonic time of the last touch or key (长辈模式 kept after 首页 ends when idle)
        self._last_activity = time.monotonic()
        self.out_of_service: Any = None          # OutOfServiceOverlay, after the first frame
        self._root: OverlayLayer | None = None
        self._gesture: Widget | None = None
        self._start_failures = 0
        self._screen_listeners: list[Callable[[str], None]] = []
        self._ticks = 0
        self._sound: Any = None
        self._started_at = time.monotonic()
        self._classes: dict[str, type[KioskScreen]] = {}   # screen name → class, as imported
        self._screens_checked = False                      # journeys' screens checked once

    # ---- construction -------------------------------------------------------------------
    def build(self) -> OverlayLayer:
        LabelBase.register(DEFAULT_FONT, fn_regular=str(self._font_regular),
                           fn_bold=str(self._font_bold))
        import kiosk.ui.widgets  # noqa: F401  (loads widgets.kv after the font is registered)

        settings = self.services.settings
        self.station_name = self._station_name_in(self.language)
        self.theme.elderly = settings.accessibility.elderly_mode
        Window.clearcolor = self.theme.background
        # The screens, then the overlays (each in the tree only while shown: a hidden layer
        # would still be drawn on every frame), then the corner gesture on top.
        root = OverlayLayer()
        self.sm = ScreenManager(transition=NoTransition())
        self.sm.add_widget(self._make_screen(HomeScreen, "home"))
        self.sm.bind(current=self._on_screen_change)
        root.add_layer(self.sm)
        self._root = root
        self._build_maintenance_hooks(root)
        Window.bind(on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self.nav.attach(self)
        self.services.voice.player = self._play_sound
        Clock.schedule_interval(self._tick, 1.0)
        return root

    def _make_screen(self, cls: type[KioskScreen], name: str) -> KioskScreen:
        screen = cls(name=name)
        screen.services = self.services
        screen.nav = self.nav
        screen.shell = self
        return screen

    def on_start(self) -> None:
        Window.bind(on_flip=self._after_first_frame)
        # KIOSK_READY_FILE set: the start-up/idle benchmarks' probe. Bound last because Kivy
        # calls an event's handlers last-bound first: it stamps the first flip itself, before
        # the bring-up and the overlays run (else their ~15 ms counted as "home drawn").
        ready_probe.install()

    def _after_first_frame(self, *_args: Any) -> None:
        """The home screen is on the glass: bring the services up (worker thread). The other
        screens' modules are imported when a screen is first shown (:meth:`_screen_class`).
        Until the services are up or have failed the UI thread leaves the interpreter to the
        worker: the start-up bar stands still for its first second (a redraw holds it for
        100–130 ms of software GL) and the overlays (~15 ms to build) are made afterwards."""
        Window.unbind(on_flip=self._after_first_frame)
        self._bring_up()         # the frame is flipped: the worker starts now, not a frame later

    def _build_overlays(self) -> None:
        """The idle countdown, 继续填写/退出并清除 and 暂停服务 layers, between the screens and
        the corner gesture (maintenance still opens over 暂停服务), made once, on the UI
        thread, when the services are up or have failed (:meth:`services_ready`,
        :meth:`services_failed`): not before the first frame (issue 23: home drawn ≤ 2× a
        bare Kivy app), nor while the worker starts the services (their ~15 ms would be taken
        from it; hidden, they are not in the tree, so adding them redraws nothing). None is
        needed before then, and the app's code treats each as absent while it is None."""
        if self.overlay is not None:
            return
        from kiosk.ui.idle_overlay import IdleOverlay
        from kiosk.ui.leave_form import LeaveFormOverlay
        from kiosk.ui.out_of_service import OutOfServiceOverlay

        root, gesture = self._root, self._gesture
        assert root is not None and gesture is not None  # build() made them
        settings = self.services.settings
        self.overlay = IdleOverlay()
        root.add_layer(self.overlay, overlay=True, below=gesture)
        self.leave_form = LeaveFormOverlay(on_leave=lambda: self.finish_session("home"))
        root.add_layer(self.leave_form, overlay=True, below=gesture)
        self.out_of_service = OutOfServiceOverlay(hotline=settings.station.hotline,
                                                  complaint=settings.station.complaint)
        root.add_layer(self.out_of_service, overlay=True, below=gesture)

    # ---- screens, imported and built when first needed ---------------------------------
    def _screen_class(self, name: str) -> type[KioskScreen] | None:
        """The class of screen ``name``: its module (found from the sources by
        :func:`~kiosk.screens.registry.screen_index`) is imported the first time; modules whose
        names cannot be read from their source are imported until the name is found."""
        from kiosk.screens.registry import declared_in, screen_index

        if name not in self._classes:
            index = screen_index()
            module = index.modules.get(name)
            if module is not None:
                declared_in(module, self._classes)
            for other in index.unreadable:
                if name in self._classes:
                    break
                declared_in(other, self._classes)
        return self._classes.get(name)

    def _ensure_screen(self, name: str) -> KioskScreen:
        """Screen ``name``, built now if it was not yet. Raises ScreenManagerException (Kivy's
        "no screen with name") for a name no module declares."""
        assert self.sm is not None
        if not self.sm.has_screen(name):
            cls = self._screen_class(name)
            if cls is not None:
                self.sm.add_widget(self._make_screen(cls, name))
        screen: KioskScreen = self.sm.get_screen(name)
        return screen

    def _check_journey_screens(self) -> None:
        """Log every screen a journey names that no module declares (read from the sources:
        nothing is imported; a module whose names cannot be read is imported)."""
        from kiosk.screens.registry import declared_in, missing_screens, screen_index

        index = screen_index()
        for module in index.unreadable:
            declared_in(module, self._classes)
        wanted = [s for spec in self.nav.journeys.values() for s in spec.screens]
        for missing in missing_screens(wanted, set(index.modules) | set(self._classes)):
            logger.error("a journey names screen %s, which no module declares", missing)

    def _bring_up(self, _dt: float = 0) -> None:
        def built() -> None:     # worker thread: the platform side and the devices are up
            ready_probe.mark("services_built")
            Clock.schedule_once(self.services_ready, 0)

        bring_up(self.services, on_ready=built,
                 on_failed=lambda message: Clock.schedule_once(
                     lambda _dt: self.services_failed(message), 0))

    # ---- start-up hook ----------------------------------------------------------------------
    def services_ready(self, _dt: float = 0) -> None:
        """UI thread: the services are built; connect the card reader, start background work."""
        if self.services.card is not None:
            self.services.card.subscribe(on_main_thread(self._on_card_event))
        self.services.start()
        self.ready = True
        if self.startup_error is not None:
            logger.info("services up again after %d failed start(s)", self._start_failures)
        self.startup_error = None
        self._start_failures = 0
        self._show_out_of_service()
        ready_probe.mark("services_ready")
        Clock.schedule_once(lambda _dt: self._build_overlays(), 0)  # the frame after: not a
        # button needs them (every use checks for None); services_failed builds them at once
        home = self._home()
        home.ready, home.startup_error = True, ""
        home.demo_card = self.services.demo_card_reader
        home.notice_text = "\n".join(self.services.notices)
        Clock.schedule_once(lambda _dt: run_in_background(self.services.health, home.show_health), 1)
        if not self._screens_checked:
            self._screens_checked = True
            Clock.schedule_once(lambda _dt: self._check_journey_screens(), 0)

    def services_failed(self, message: str) -> None:
        """UI thread: the services could not be brought up (``message`` in Chinese first, with
        the error: kept for ``kiosk run``'s exit line and the log, never put on a widget).

        The out-of-service face goes up and the start is tried again later."""
        from kiosk.bootstrap import reset_failed_start

        self.startup_error = message
        self._build_overlays()
        home = self._home()
        home.startup_error = OUT_OF_SERVICE_NOTICE
        home.notice_text = OUT_OF_SERVICE_NOTICE
        self._show_out_of_service()
        reset_failed_start(self.services)
        delay = RETRY_START_S[min(self._start_failures, len(RETRY_START_S) - 1)]
        self._start_failures += 1
        logger.warning("out of service; start-up retried in %.0f s (failure %d)", delay,
                       self._start_failures)
        Clock.schedule_once(self._bring_up, delay)

    def _show_out_of_service(self) -> None:
        """Up while the start has failed, except on the maintenance screens."""
        if self.out_of_service is None:
            return
        on_maintenance = self.sm is not None and self.sm.current in MAINTENANCE_SCREENS
        self.out_of_service.shown = self.startup_error is not None and not on_maintenance

    def on_stop(self) -> None:
        self.services.stop()

    # ---- the engine's display ---------------------------------------------------------------
    def show(self, screen: str, values: Mapping[str, object]) -> None:
        assert self.sm is not None
        target = self._ensure_screen(screen)
        target.show(values)
        self.sm.current = screen

    def update(self, screen: str, values: Mapping[str, object]) -> None:
        assert self.sm is not None
        if self.sm.has_screen(screen) or self._screen_class(screen) is not None:
            self._ensure_screen(screen).update(values)

    def ended(self, reason: str) -> None:
        """The session ended: wipe every screen, reset language and 长辈模式, show home.

        After 首页 (``reason == "home"``) the person is still standing there: 长辈模式 stays on
        (issue 17 item 6) until the terminal has been idle for the 长辈模式 idle timeout
        (:meth:`_tick`) or it is switched off.

        Demo mode: the simulated card leaves with the person (lifted off the simulated reader),
        so the next visitor lays it again (issue 17 item 4)."""
        assert self.sm is not None
        if self.services.demo_card_reader:
            self.services.demo_remove_card()
        for screen in self.sm.screens:
            screen.wipe()
        if self.overlay is not None:
            self.overlay.opacity = 0
        if self.leave_form is not None:
            self.leave_form.opacity = 0
        accessibility = self.services.settings.accessibility
        if not (reason == "home" and self.theme.elderly):
            self._reset_elderly()
        self.services.session.elderly = self.theme.elderly    # the next session's idle timeout
        self.set_language(accessibility.language)
        self.sm.current = "home"

    def _reset_elderly(self) -> None:
        accessibility = self.services.settings.accessibility
        if self.theme.elderly != accessibility.elderly_mode:  # a change: it reaches every rule
            with collected_first():
                self.theme.elderly = accessibility.elderly_mode
        self.services.session.elderly = self.theme.elderly
        self.services.voice.enabled = accessibility.voice

    # ---- shell actions (kiosk.screens.base.Shell) -------------------------------------------
    def show_screen(self, name: str) -> None:
        """A screen outside every journey (maintenance)."""
        assert self.sm is not None
        self._ensure_screen(name)
        self.sm.current = name

    def set_station_name(self, name: str) -> None:
        self.station_name = name if self.language != "en" else self._station_name_in("en")

    def _station_name_in(self, language: str) -> str:
        """``[station] name``, or ``name_en`` in English when one is configured."""
        station = self.services.settings.station
        return station.name_en if language == "en" and station.name_en else station.name

    def screen(self, name: str) -> Any:
        """Screen ``name`` (built now if the background build has not reached it yet)."""
        return self._ensure_screen(name)

    def go_back(self) -> None:
        """The header's 返回 (kiosk/ui/widgets.kv)."""
        self.nav.back()

    def finish_session(self, reason: str = "finished") -> None:
        """The jobseeker is done (or tapped 首页): wipe everything and show home."""
        self.nav.finish(reason)

    def home_pressed(self) -> None:
        """The header's 首页: on a started form (a screen with ``asks_before_leaving``) ask first
        (继续填写 / 退出并清除, :class:`~kiosk.ui.leave_form.LeaveFormOverlay`); elsewhere end the
        session at once."""
        screen = self.sm.current_screen if self.sm is not None else None
        if self.leave_form is not None and self.services.session.current is not None and \
                getattr(screen, "asks_before_leaving", False):
            self.leave_form.ask()
            return
        self.finish_session("home")

    def add_screen_listener(self, listener: Callable[[str], None]) -> None:
        """``listener(screen_name)`` after every screen change (tests and voice prompts)."""
        self._screen_listeners.append(listener)

    def _home(self) -> HomeScreen:
        assert self.sm is not None
        home: HomeScreen = self.sm.get_screen("home")
        return home

    def _on_screen_change(self, _sm: Any, name: str) -> None:
        self.services.session.touch()
        self._show_out_of_service()
        key = getattr(self.sm.get_screen(name), "prompt_key", "") if self.sm else ""
        if key and name != "home":
            self.services.voice.say(key)
        for listener in list(self._screen_listeners):
            listener(name)

    def _on_card_event(self, event: CardEvent) -> None:
        """Card events on the UI thread, to the engine (not while a technician works)."""
        if self.sm is not None and self.sm.current in MAINTENANCE_SCREENS:
            return
        self.nav.card_event(event)

    def _play_sound(self, path: Path, volume: float) -> None:
        """Play a voice prompt (a missing or broken file only logs)."""
        from kivy.core.audio import SoundLoader

        if self._sound is not None:
            self._sound.stop()
        sound = SoundLoader.load(str(path))
        if sound is None:
            logger.warning("cannot play %s", path.name)
            return
        sound.volume = volume
        sound.play()
        self._sound = sound

    # ---- session ------------------------------------------------------------------------
    def _on_activity(self, *_args: Any) -> None:
        self._last_activity = time.monotonic()
        self.nav.touch()

    def keep_session(self) -> None:
        self.nav.touch()
        if self.overlay is not None:
            self.overlay.opacity = 0

    def _tick(self, _dt: float) -> None:
        state, left = self.nav.tick()
        if self.overlay is not None:
            if state is IdleState.COUNTDOWN:
                self.overlay.seconds_left = int(left + 0.999)
                self.overlay.opacity = 1
            elif self.overlay.opacity:
                self.overlay.opacity = 0
        if self.sm is not None and self.sm.current == "home":
            if self.theme.elderly != self.services.settings.accessibility.elderly_mode and \
                    self.services.session.current is None and time.monotonic() - \
                    self._last_activity > self.services.session.elderly_idle_timeout_s:
                self._reset_elderly()        # kept after 首页; nobody has touched it since
            home = self._home()
            home.tick()                      # the clock, and the board's turn when due
            self._ticks += 1
            if self._ticks % 5 == 1:
                run_in_background(self.services.health, home.show_health)

    # ---- switches -----------------------------------------------------------------------
    def toggle_elderly(self) -> None:
        """长辈模式 on/off: larger text and targets, longer timeout, voice on."""
        with collected_first():
            self.theme.elderly = not self.theme.elderly
        self.services.session.elderly = self.theme.elderly
        if self.theme.elderly:
            self.services.voice.enabled = True
        else:
            self.services.voice.enabled = self.services.settings.accessibility.voice

    def replay_prompt(self) -> None:
        self.services.voice.replay()

    def set_language(self, language: str) -> None:
        if language != i18n.current_language() or language != self.language:
            with collected_first():   # a change: it reaches every bound text
                i18n.set_language(language)
                self.language = language
        self.station_name = self._station_name_in(language)
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
    def _build_maintenance_hooks(self, root: OverlayLayer) -> None:
        """The hidden corner gesture (on top, never consumes touches) and the nightly check."""
        from kiosk.services.maintenance.restart_policy import CHECK_INTERVAL_S
        from kiosk.ui.corner_gesture import CornerGestureDetector

        self._gesture = CornerGestureDetector(on_gesture=self.open_maintenance)
        root.add_layer(self._gesture)
        Clock.schedule_interval(self.check_nightly_restart, CHECK_INTERVAL_S)

    def open_maintenance(self) -> None:
        """Corner gesture done: the PIN keypad (maintenance screens are never in history)."""
        if self.sm is not None and self.sm.current not in MAINTENANCE_SCREENS:
            self.nav.finish("maintenance")
            self.show_screen("maintenance_pin")

    def check_nightly_restart(self, _dt: float = 0.0) -> bool:
        """Once a minute: exit with status 75 at ``maintenance.nightly_restart_hour`` when idle
        and up for more than an hour (``restart_policy.should_restart_now``)."""
        from kiosk.services.maintenance.restart_policy import should_restart_now

        busy = self.services.session.current is not None or (
            self.sm is not None and self.sm.current in MAINTENANCE_SCREENS)
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
