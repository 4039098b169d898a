"""Composition root: builds every service from :class:`~kiosk.settings.Settings`.

The only module that names concrete adapters (the real or simulated card reader, the printer
connector, the barcode scanner, the platform client or the embedded sandbox). The app, the CLI
and the doctor get their adapters from here (:func:`build_services`, :func:`open_card_reader`,
:func:`open_printer`, :func:`open_platform`, :func:`doctor_adapters`); nothing else constructs
them.

:class:`Services` is a typed bundle with no behaviour of its own: every field is a service
object (typed with its class or port; None when not built) or a function wired here
(``health``, ``verify_url_template``, ``start`` …), so the UI types against the services'
interfaces.

Start-up order (:func:`build_services`, or :func:`bring_up` for ``kiosk run``): data folder →
embedded sandbox (when ``platform.base_url = "embedded"``) → platform client → outbox (crash
recovery) → kiosk records → catalog → fairs → adviser slots → transaction records → printer → card reader →
scanner; background threads (reader polling, outbox worker, catalog sync, heartbeat, metrics)
start in ``services.start()`` once the UI is up, and stop in reverse order
(``services.stop()``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from kiosk.paths import data_dir
from kiosk.services.health import HealthReport, collect_health, scanner_state
from kiosk.services.journeys.engine import CardGate, JourneyEngine
from kiosk.services.session import SessionService
from kiosk.services.voice_prompts import VoicePrompter
from kiosk.settings import Settings

if TYPE_CHECKING:  # the adapters are imported when built (start-up: home screen first)
    from kiosk.devices.idcard.reader import CardReader
    from kiosk.devices.printer.status import PrinterStatus
    from kiosk.devices.scanner.base import BarcodeScanner
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.models import StationInfo
    from kiosk.platform.sandbox.background import BackgroundSandbox
    from kiosk.platform.sandbox.embedded import SandboxServer
    from kiosk.services.applications import ApplicationService
    from kiosk.services.assistance import AssistanceService
    from kiosk.services.card_events import CardService
    from kiosk.services.catalog import PinyinVocabulary, SyncReport, VacancyCatalog
    from kiosk.services.catalog.sync_job import SyncJob
    from kiosk.services.content import ContentService
    from kiosk.services.eid_login import EidLogin
    from kiosk.services.employer_postings import EmployerService
    from kiosk.services.fairs import FairService
    from kiosk.services.gig_signup import GigSignupService
    from kiosk.services.guidance import GuidanceService
    from kiosk.services.heartbeat import HeartbeatService
    from kiosk.services.journey_store import KioskRecords
    from kiosk.services.maintenance.doctor import DoctorAdapters
    from kiosk.services.metrics import QualityService
    from kiosk.services.outbox import OutboxWorker, ReferralIdGenerator
    from kiosk.services.outbox.store import Outbox
    from kiosk.services.periodic import PeriodicTask
    from kiosk.services.referrals import ReferralService
    from kiosk.services.registration import RegistrationService
    from kiosk.services.slip.printing import ReceiptPrinter
    from kiosk.services.transactions import TransactionLog
    from kiosk.services.transactions.journeys import JourneyTransactions

logger = logging.getLogger(__name__)
#: a stopper slower than this (s) is logged: `kiosk run` must be gone within 5 s of SIGTERM
SLOW_STOP_S = 0.5


def _unset(*_args: object) -> NoReturn:
    raise RuntimeError("kiosk.bootstrap.build_services wires this function")


class PlaceCard(Protocol):
    def __call__(self, card_json: Path | None = None) -> None: ...


def _unset_place_card(card_json: Path | None = None) -> NoReturn:
    raise RuntimeError("kiosk.bootstrap.build_services wires this function")


@dataclass
class Services:
    """Everything the UI and the tools use, built by :func:`build_services` only.

    Parts that are not built (``devices=False``, ``platform=False``, not configured) are None.
    The function fields are wired by :func:`build_services`:

    * ``health()`` → :class:`~kiosk.services.health.HealthReport` (reader, printer, outbox,
      catalog, disk, memory; reads only cached device states, never blocks);
    * ``refresh_printer_status()`` → ``PrinterStatus`` (asks the printer: worker thread);
    * ``verify_url_template()`` → the platform's ``verify_url_template`` (cached station
      info; before the first answer, ``/verify/{referral_id}?t={verify_token}`` on the
      configured host);
    * ``vocabulary()`` → the pinyin → Chinese candidate index (built once, lazily) or None;
    * ``sync_catalog()`` → ``SyncReport`` (one delta sync, the fair and adviser slot tables
      with it; serialised; raises ``PlatformError``);
    * ``apply_settings(settings, changed)``: install new settings (heartbeat, maintenance);
    * demo mode only: ``demo_place_card(card_json=None)`` / ``demo_remove_card()`` /
      ``demo_card_present() -> bool`` (the simulated reader: lay, lift, is a card lying there),
      ``demo_scan(text) -> bool`` (the scanner simulator),
      ``demo_last_fair_code() -> str | None`` (the 报到码 of the newest preview slip),
      ``demo_eid_approve(session_id) -> bool`` / ``demo_eid_code() -> str | None`` (the
      embedded sandbox's e-ID app);
    * ``start()`` / ``stop()``: background work on / off (``stop`` is idempotent).
    """

    settings: Settings
    data_dir: Path
    session: SessionService
    voice: VoicePrompter
    journeys: JourneyEngine
    sandbox: SandboxServer | BackgroundSandbox | None = None
    client: PlatformClient | None = None
    outbox: Outbox | None = None
    worker: OutboxWorker | None = None
    records: KioskRecords | None = None        # the kiosk's own records (journey_store)
    catalog: VacancyCatalog | None = None
    printer: ReceiptPrinter | None = None
    card: CardService | None = None
    scanner: BarcodeScanner | None = None      # kiosk.devices.scanner port (optional hardware)
    registration: RegistrationService | None = None
    referrals: ReferralService | None = None
    assistance: AssistanceService | None = None
    applications: ApplicationService | None = None   # issue 18
    content: ContentService | None = None
    heartbeat: HeartbeatService | None = None
    sync_task: PeriodicTask | None = None
    heartbeat_task: PeriodicTask | None = None
    referral_ids: ReferralIdGenerator | None = None
    station_info: StationInfo | None = None
    printer_status: PrinterStatus | None = None
    transactions: TransactionLog | None = None   # issue 21: per-transaction records
    quality: QualityService | None = None        # issue 21: metrics endpoint / textfile, upkeep
    transaction_journeys: JourneyTransactions | None = None  # issue 21: engine observer
    fairs: FairService | None = None             # 招聘会 (issue 20)
    eid: EidLogin | None = None                  # 居民身份电子凭证 login (issue 20)
    guidance: GuidanceService | None = None      # 预约职业指导 (issue 22)
    gigs: GigSignupService | None = None         # 零工 board and sign-ups (issue 19)
    employer: EmployerService | None = None      # employer postings (issue 19)
    demo_card_reader: bool = False               # the card reader is the built-in simulator
    notices: list[str] = field(default_factory=list)
    settings_listeners: list[Callable[[Settings, list[str]], None]] = field(default_factory=list)
    stoppers: list[Callable[[], None]] = field(default_factory=list)
    health: Callable[[], HealthReport] = field(default=_unset, repr=False)
    refresh_printer_status: Callable[[], PrinterStatus] = field(default=_unset, repr=False)
    verify_url_template: Callable[[], str] = field(default=_unset, repr=False)
    vocabulary: Callable[[], PinyinVocabulary | None] = field(default=_unset, repr=False)
    sync_catalog: Callable[[], SyncReport] = field(default=_unset, repr=False)
    apply_settings: Callable[[Settings, list[str]], None] = field(default=_unset, repr=False)
    demo_place_card: PlaceCard = field(default=_unset_place_card, repr=False)
    demo_remove_card: Callable[[], None] = field(default=_unset, repr=False)
    demo_card_present: Callable[[], bool] = field(default=_unset, repr=False)
    demo_scan: Callable[[str], bool] = field(default=_unset, repr=False)
    demo_last_fair_code: Callable[[], str | None] = field(default=_unset, repr=False)
    demo_eid_approve: Callable[[str], bool] = field(default=_unset, repr=False)
    demo_eid_code: Callable[[], str | None] = field(default=_unset, repr=False)
    start: Callable[[], None] = field(default=_unset, repr=False)
    stop: Callable[[], None] = field(default=_unset, repr=False)


# ---- the behaviour the bundle's functions run --------------------------------------------
class _Wiring:
    """The functions of one :class:`Services` (kept here, not on the bundle)."""

    def __init__(self, services: Services) -> None:
        self.s = services
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._vocabulary: PinyinVocabulary | None = None
        self._quality_lock = threading.Lock()   # the quality service starts, or stop() ran
        self._stopped = False

    # ---- queries the UI uses ----------------------------------------------------------------
    def verify_url_template(self) -> str:
        if self.s.station_info is not None:
            return self.s.station_info.verify_url_template
        base = self.s.client.base_url if self.s.client is not None else \
            "https://platform.invalid/v1"
        root = base[:-3] if base.rstrip("/").endswith("/v1") else base
        return root.rstrip("/") + "/verify/{referral_id}?t={verify_token}"

    def vocabulary(self) -> PinyinVocabulary | None:
        with self._lock:
            if self._vocabulary is None and self.s.catalog is not None:
                from kiosk.services.catalog import PinyinVocabulary

                self._vocabulary = PinyinVocabulary.from_catalog(self.s.catalog)
            return self._vocabulary

    def health(self) -> HealthReport:
        s = self.s
        outbox_status = s.outbox.status() if s.outbox is not None else None
        synced = s.catalog.last_synced_at() if s.catalog is not None else None
        card_state = s.card.last_state if s.card is not None else "stopped"
        return collect_health(card_state, s.printer_status, outbox_status, synced, s.data_dir,
                              scanner_state(s.scanner))

    def refresh_printer_status(self) -> PrinterStatus:
        from kiosk.devices.printer import PrinterError
        from kiosk.devices.printer.status import PrinterStatus

        if self.s.printer is None:
            self.s.printer_status = PrinterStatus()
            return self.s.printer_status
        try:
            self.s.printer_status = self.s.printer.status()
        except PrinterError as exc:
            self.s.printer_status = PrinterStatus()  # unknown: no reply, never "paper OK"
            logger.warning("printer status unavailable: %s", type(exc).__name__)
        return self.s.printer_status

    def apply_settings(self, settings: Settings, changed: list[str]) -> None:
        s = self.s
        s.settings = settings
        s.session.idle_timeout_s = settings.session.idle_timeout_s
        s.session.elderly_idle_timeout_s = settings.session.elderly_idle_timeout_s
        s.session.countdown_s = settings.session.countdown_s
        s.voice.enabled = settings.accessibility.voice
        s.voice.volume = settings.accessibility.voice_volume
        if s.sync_task is not None:
            s.sync_task.interval_s = settings.platform.sync_interval_s
        if s.heartbeat_task is not None:
            s.heartbeat_task.interval_s = settings.platform.heartbeat_interval_s
        for listener in list(s.settings_listeners):
            listener(settings, changed)

    # ---- demo mode ----------------------------------------------------------------------------
    def demo_place_card(self, card_json: Path | None = None) -> None:
        reader = self.s.card.reader if self.s.card is not None else None
        if reader is not None and reader.simulator is not None:
            path = card_json or self.s.settings.resolve(self.s.settings.card_reader.demo_card)
            reader.simulator.place(json.loads(path.read_text(encoding="utf-8")))

    def demo_remove_card(self) -> None:
        reader = self.s.card.reader if self.s.card is not None else None
        if reader is not None and reader.simulator is not None:
            reader.simulator.remove()

    def demo_card_present(self) -> bool:
        reader = self.s.card.reader if self.s.card is not None else None
        return reader is not None and reader.simulator is not None and reader.simulator.has_card

    def demo_scan(self, text: str) -> bool:
        simulator = getattr(self.s.scanner, "simulator", None)
        if simulator is None:
            return False
        simulator.scan(text)
        return True

    def demo_last_fair_code(self) -> str | None:
        from kiosk.services.fairs.service import last_printed_code

        settings = self.s.settings
        cfg = settings.printer
        folder = settings.resolve(cfg.preview_dir) if cfg.preview_dir else self.s.data_dir / "slips"
        return last_printed_code(folder)

    def demo_eid_approve(self, session_id: str) -> bool:
        if self.s.sandbox is None:
            return False
        from kiosk.platform.sandbox.routes import eid

        cases = eid.casework(self.s.sandbox.platform.store)
        return cases.approve(session_id, eid.demo_identity(), cases.clock())

    def demo_eid_code(self) -> str | None:
        if self.s.sandbox is None:
            return None
        from kiosk.platform.sandbox.routes import eid

        cases = eid.casework(self.s.sandbox.platform.store)
        return str(cases.issue_code(eid.demo_identity(), cases.clock())["code"])

    # ---- lifecycle --------------------------------------------------------------------------
    def sync_catalog(self) -> SyncReport:
        if self.s.catalog is None or self.s.client is None:
            raise RuntimeError("no catalog or platform client configured")
        with self._sync_lock:
            job = sync_job_for(self.s)
            if job is not None:          # kiosk run: in a child process (sync_job's docs)
                from kiosk.services.catalog.sync_job import run_sync_job

                report = self.s.catalog.sync_by(lambda: run_sync_job(job))
            else:
                # PlatformClient.vacancy_changes returns VacancyPage, the catalog's VacancyFeed
                # protocol names VacancyChangesPage: the same shape (catalog/contract areas).
                report = self.s.catalog.sync_from(self.s.client)  # type: ignore[arg-type]
            if self.s.fairs is not None:
                self.sync_fairs()
            if self.s.guidance is not None:
                self.sync_guidance()
        with self._lock:
            self._vocabulary = None
        return report

    def sync_fairs(self) -> None:
        """The fair table from ``GET /v1/fairs`` (with the catalog sync; a failure is logged and
        the table kept: the vacancies are what matters most)."""
        from kiosk.platform.errors import PlatformError
        from kiosk.services.fairs import FairStoreError

        if self.s.fairs is None:
            return
        try:
            self.s.fairs.sync()
        except (PlatformError, FairStoreError) as exc:
            logger.warning("fair sync failed: %s", type(exc).__name__)

    def sync_guidance(self) -> None:
        """The adviser slot table from ``GET /v1/guidance/slots`` (with the catalog sync; a
        failure is logged and the table kept)."""
        from kiosk.platform.errors import PlatformError
        from kiosk.services.guidance import SlotStoreError

        if self.s.guidance is None:
            return
        try:
            self.s.guidance.sync()
        except (PlatformError, SlotStoreError) as exc:
            logger.warning("adviser slot sync failed: %s", type(exc).__name__)

    def fetch_station_info(self) -> None:
        """``GET /v1/station`` once, cached on disk for offline starts."""
        from kiosk.platform.errors import PlatformError
        from kiosk.platform.models import StationInfo

        cache = self.s.data_dir / "station.json"
        try:
            if self.s.client is None:
                raise RuntimeError("no platform client")
            self.s.station_info = self.s.client.station()
            cache.write_text(self.s.station_info.model_dump_json(), encoding="utf-8")
        except (PlatformError, RuntimeError) as exc:
            logger.info("station info unavailable (%s); using cache", type(exc).__name__)
            try:
                self.s.station_info = StationInfo.model_validate_json(cache.read_text("utf-8"))
            except (OSError, ValueError):
                self.s.station_info = None

    def _station_info_then_preload(self) -> None:
        """Background, right after start-up: the station info, then the rest of what the
        platform client's first requests import (:func:`kiosk.platform.client.preload`)."""
        from kiosk.platform.client import preload

        self.fetch_station_info()
        preload()

    def start(self) -> None:
        from kiosk.platform.errors import PlatformError
        from kiosk.services.periodic import PeriodicTask

        s = self.s
        if s.sandbox is not None:
            from kiosk.platform.sandbox.background import BackgroundSandbox

            if isinstance(s.sandbox, BackgroundSandbox):   # kiosk run: it serves from now on
                s.sandbox.start()                           # (requests sent so far wait)
        if s.card is not None:
            s.card.start()
        if s.scanner is not None:
            s.scanner.start()
        worker = s.worker
        if worker is not None:
            worker.start()

            def stop_worker() -> None:
                worker.stop()

            s.stoppers.append(stop_worker)
        if s.client is not None:
            threading.Thread(target=self._station_info_then_preload, name="station-info",
                             daemon=True).start()
            s.sync_task = PeriodicTask("catalog-sync", s.sync_catalog,
                                       s.settings.platform.sync_interval_s,
                                       expected=(PlatformError, OSError, ValueError))
            s.sync_task.start()
            s.stoppers.append(self._stop_sync)
            if s.heartbeat is not None:
                s.heartbeat_task = PeriodicTask(
                    "heartbeat", s.heartbeat.beat, s.settings.platform.heartbeat_interval_s,
                    first_delay_s=5.0, expected=(PlatformError, OSError, ValueError))
                s.heartbeat_task.start()
                s.stoppers.append(s.heartbeat_task.stop)
        if s.printer is not None:
            threading.Thread(target=s.refresh_printer_status, name="printer-status",
                             daemon=True).start()
        threading.Thread(target=self._start_quality, name="quality-start", daemon=True).start()

    def _stop_sync(self) -> None:
        """Stop the catalog sync without waiting for a sync child to finish (a first sync
        takes seconds; ``kiosk run`` must stop within 5 s): the child is terminated first."""
        from kiosk.services.catalog.sync_job import cancel_running_jobs

        task = self.s.sync_task
        if task is not None:
            task.stop_soon()
            cancel_running_jobs()
            task.stop()

    def _start_quality(self) -> None:
        """Issue 21: the metrics endpoint / node_exporter textfile (``[metrics]``; a busy port
        is a logged warning) and the upkeep of the transaction records (device fault intervals,
        held 好差评 ratings, retention purge).

        On its own thread once the buttons work (issue 23): importing prometheus_client and
        starting the endpoint cost the start-up worker ~20 ms and the UI thread ~40 ms when they
        came before. Never raises: a failure is logged and the kiosk serves without metrics."""
        s = self.s
        try:
            from kiosk.services.metrics import QualityService
            from kiosk.services.metrics.live import live_sources

            refresh = s.refresh_printer_status if s.printer is not None else None
            quality = QualityService(s.settings, live_sources(s), s.transactions,
                                     refresh_printer=refresh)
            with self._quality_lock:
                if self._stopped:             # the kiosk stopped before it came up
                    return
                quality.start()
                s.quality = quality
                s.stoppers.append(quality.stop)
        except Exception:  # noqa: BLE001 - the kiosk serves on without its metrics
            logger.exception("the service-quality metrics did not start")

    def stop(self) -> None:
        with self._quality_lock:
            self._stopped = True
        while self.s.stoppers:
            stopper = self.s.stoppers.pop()
            began = time.monotonic()
            try:
                stopper()
            except Exception:  # noqa: BLE001 - shutting down: log and go on with the rest
                logger.exception("error while stopping a service")
            took = time.monotonic() - began
            if took > SLOW_STOP_S:   # `kiosk run` must stop within 5 s (systemctl stop)
                logger.warning("stopping %s took %.2f s", _stopper_name(stopper), took)


def _stopper_name(stopper: Callable[[], None]) -> str:
    """``OutboxWorker.stop``-style name of a stopper, for the log."""
    owner = getattr(stopper, "__self__", None)
    name = getattr(stopper, "__name__", "stop")
    return f"{type(owner).__name__}.{name}" if owner is not None else name


def _wire(services: Services) -> None:
    wiring = _Wiring(services)
    services.health = wiring.health
    services.refresh_printer_status = wiring.refresh_printer_status
    services.verify_url_template = wiring.verify_url_template
    services.vocabulary = wiring.vocabulary
    services.sync_catalog = wiring.sync_catalog
    services.apply_settings = wiring.apply_settings
    services.demo_place_card = wiring.demo_place_card
    services.demo_remove_card = wiring.demo_remove_card
    services.demo_card_present = wiring.demo_card_present
    services.demo_scan = wiring.demo_scan
    services.demo_last_fair_code = wiring.demo_last_fair_code
    services.demo_eid_approve = wiring.demo_eid_approve
    services.demo_eid_code = wiring.demo_eid_code
    services.start = wiring.start
    services.stop = wiring.stop


# ---- building -----------------------------------------------------------------------------
def build_services(settings: Settings, data_root: Path | None = None, *,
                   devices: bool = True, platform: bool = True) -> Services:
    """Build the service bundle for ``settings``.

    Args:
        data_root: the data folder (default from ``[paths]``).
        devices: open the card reader, the scanner and the printer (False for tools that need
            none of them).
        platform: start/connect the platform, outbox and catalog.

    Raises:
        ConfigError, DeviceSecretError, OutboxError, CatalogError: see the modules named.
    """
    root = data_root or data_dir(settings)
    session = SessionService(settings.session.idle_timeout_s,
                             settings.session.elderly_idle_timeout_s,
                             settings.session.countdown_s)
    voice = VoicePrompter(enabled=settings.accessibility.voice,
                          volume=settings.accessibility.voice_volume)
    holder: list[Services] = []
    engine = build_journey_engine(session, lambda: holder[0].card if holder else None)
    services = Services(settings=settings, data_dir=root, session=session, voice=voice,
                        journeys=engine)
    holder.append(services)
    _wire(services)
    complete_services(services, devices=devices, platform=platform)
    return services


def build_journey_engine(session: SessionService,
                         card: Callable[[], CardGate | None] = lambda: None) -> JourneyEngine:
    """The journey engine over every declared journey (``kiosk/services/journeys/declared``);
    ``card`` returns the card service once it is built (None before, or without a reader).
    The declarations are imported on first use, or by :func:`complete_services` (so ``kiosk
    run`` imports them on its start-up worker, after the first frame)."""
    from kiosk.services.journeys.declared import load_journeys

    return JourneyEngine(session, load_journeys, card=card)


def bring_up(services: Services, on_ready: Callable[[], None],
             on_failed: Callable[[str], None]) -> threading.Thread:
    """``kiosk run``'s start-up sequence, after the first frame: build the platform side and the
    devices on a worker thread (:func:`complete_services`), then call ``on_ready()`` — or
    ``on_failed(message)`` with the Chinese message for the home screen (the error is logged,
    never raised). Both are called on the worker thread: hop to the UI thread yourself.
    ``services.start()`` (background work) is the caller's, once it subscribed to the card.

    This is also the hook for the out-of-service face: ``on_failed`` when the services could
    not be brought up, ``on_ready`` when they are (again, after :func:`reset_failed_start` and
    a later ``bring_up``)."""

    def run() -> None:
        try:
            complete_services(services, sandbox_in_background=True)
        except Exception as exc:  # noqa: BLE001 - shown on screen and logged, never a crash
            logger.exception("start-up failed")
            on_failed(f"暂停服务：终端启动失败（{type(exc).__name__}），请联系工作人员。 {exc}")
            return
        on_ready()

    thread = threading.Thread(target=run, name="services-start", daemon=True)
    thread.start()
    return thread


def reset_failed_start(services: Services) -> None:
    """After a failed :func:`bring_up` (its parts already stopped): close what has no stopper
    (the catalog) and forget every part built so far, so the next :func:`bring_up` builds the
    platform side and the devices anew (the out-of-service screen retries until it works)."""
    import dataclasses

    catalog = services.catalog
    if catalog is not None:
        try:
            catalog.close()
        except Exception:  # noqa: BLE001 - a half-built catalog; its file is checked next try
            logger.warning("catalog close after a failed start failed", exc_info=True)
    for spec in dataclasses.fields(services):
        if spec.default is None:
            setattr(services, spec.name, None)
    services.demo_card_reader = False
    _wire(services)  # a fresh vocabulary cache and locks


def complete_services(services: Services, *, devices: bool = True, platform: bool = True,
                      sandbox_in_background: bool = False) -> None:
    """Build the parts of ``services`` not built yet (the platform side, then the devices).

    ``sandbox_in_background`` (``kiosk run``, through :func:`bring_up`): an embedded sandbox
    listens now and starts serving in ``Services.start()``
    (:class:`~kiosk.platform.sandbox.background.BackgroundSandbox`); otherwise it serves before
    this returns.

    ``kiosk run`` calls this on a worker thread after the first frame (:func:`bring_up`), so
    the home screen shows while the sandbox, outbox, catalog, printer and reader come up; tools
    call it through :func:`build_services`.

    Raises:
        ConfigError, DeviceSecretError, OutboxError, CatalogError: see the modules named (what
        was started is stopped again).
    """
    try:
        if platform or devices:   # the start-up worker, or a tool: the journeys' declarations
            services.journeys.load()
        if platform and services.client is None:
            _build_platform(services, sandbox_in_background)
        if devices and services.printer is None:
            _build_devices(services)
    except BaseException:
        services.stop()
        raise


def sync_job_for(services: Services) -> SyncJob | None:
    """The child-process sync job for ``services`` (:mod:`kiosk.services.catalog.sync_job`),
    or None to sync in this process: ``[catalog] sync_process = false``, an in-memory catalog,
    or a platform client that is not the configured :class:`PlatformClient` (a test's fake)."""
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.credentials import secret_path
    from kiosk.services.catalog.sync_job import SyncJob

    s = services
    if (not s.settings.catalog.sync_process or s.catalog is None or s.catalog.path == ":memory:"
            or type(s.client) is not PlatformClient):
        return None
    p = s.settings.platform
    verify: bool | str = str(s.settings.resolve(p.ca_bundle)) if p.ca_bundle else p.verify_tls
    return SyncJob(db=s.catalog.path, base_url=s.client.base_url,
                   terminal_id=s.client.terminal_id, secret_file=str(secret_path(s.settings)),
                   connect_timeout_s=p.connect_timeout_s, read_timeout_s=p.read_timeout_s,
                   verify=verify, origin=s.catalog.origin)


# ---- the adapters (the app, the CLI and the doctor get theirs here) -----------------------
def open_platform(settings: Settings, data_folder: Path, stoppers: list[Callable[[], None]],
                  *, sandbox_in_background: bool = False
                  ) -> tuple[PlatformClient, SandboxServer | BackgroundSandbox | None]:
    """The platform client for ``settings`` and, when ``platform.base_url = "embedded"``, the
    embedded sandbox it talks to (its database ``sandbox.db`` in ``data_folder``): serving when
    this returns, or with ``sandbox_in_background`` listening and started by the caller
    (:class:`~kiosk.platform.sandbox.background.BackgroundSandbox`). What must be stopped is
    appended to ``stoppers`` (stop newest first). Used by the app and the doctor.

    Raises:
        ConfigError, DeviceSecretError: see ``kiosk.platform.client.build_client``."""
    from kiosk.platform.client import build_client

    sandbox: SandboxServer | BackgroundSandbox | None = None
    base_url = None
    if settings.platform.base_url == "embedded":
        if sandbox_in_background:
            from kiosk.platform.sandbox.background import BackgroundSandbox

            sandbox = BackgroundSandbox(settings, data_folder / "sandbox.db")
        else:
            from kiosk.platform.sandbox.embedded import start_embedded_sandbox

            sandbox = start_embedded_sandbox(settings, data_folder / "sandbox.db")
        stoppers.append(sandbox.stop)
        base_url = sandbox.base_url
    client = build_client(settings, base_url)
    stoppers.append(client.close)
    return client, sandbox


def open_printer(settings: Settings) -> ReceiptPrinter:
    """The receipt printer of ``[printer]`` (its connector: USB, serial, network or preview).

    Raises:
        ConfigError: see ``kiosk.services.slip.build_printer``."""
    from kiosk.services.slip import build_printer

    return build_printer(settings)


def open_card_reader(settings: Settings) -> CardReader:
    """The ID-card reader of ``[card_reader]`` (the serial SAM reader or its simulator).

    Raises:
        DeviceSecretError, CardReaderError: see ``kiosk.devices.idcard.factory.open_reader``."""
    from kiosk.devices.idcard.factory import open_reader

    return open_reader(settings.card_reader)


def open_barcode_scanner(settings: Settings) -> BarcodeScanner:
    """The barcode scanner of ``[scanner]`` (serial, keyboard wedge, its simulator, or none).

    Raises:
        ConfigError: see ``kiosk.devices.scanner.factory.open_scanner``."""
    from kiosk.devices.scanner.factory import open_scanner

    return open_scanner(settings.scanner)


def _build_platform(services: Services, sandbox_in_background: bool = False) -> None:
    from kiosk.services.applications import ApplicationService
    from kiosk.services.assistance import AssistanceService
    from kiosk.services.catalog import VacancyCatalog, station_origin
    from kiosk.services.content import ContentService
    from kiosk.services.employer_postings import EmployerService
    from kiosk.services.heartbeat import HeartbeatService
    from kiosk.services.journey_store import KioskRecords
    from kiosk.services.outbox import OutboxWorker, ReferralIdGenerator, open_outbox
    from kiosk.services.registration import RegistrationService

    settings = services.settings
    services.client, services.sandbox = open_platform(
        settings, services.data_dir, services.stoppers,
        sandbox_in_background=sandbox_in_background)
    outbox = services.outbox = open_outbox(settings)
    services.stoppers.append(outbox.close)
    worker = services.worker = OutboxWorker(outbox, services.client)
    services.catalog = VacancyCatalog(services.data_dir / "catalog.sqlite3",
                                      origin=station_origin(settings.station))
    client = lambda: services.client  # noqa: E731 - late binding for tests that swap it
    records = services.records = KioskRecords(outbox, worker)
    services.registration = RegistrationService(records, client)
    services.assistance = AssistanceService(records)
    services.applications = ApplicationService(records, client)
    services.content = ContentService(services.data_dir / "content-cache.json", client)
    services.heartbeat = HeartbeatService(
        client, services.health, lambda: services.settings, services.apply_settings,
        on_notices=lambda notices: setattr(services, "notices", notices))
    services.referral_ids = ReferralIdGenerator(outbox, settings.station.terminal_id)
    services.employer = EmployerService(records, client)
    _build_fairs(services, services.client)
    _build_guidance(services, services.client)
    _build_gigs(services, services.catalog)
    _build_transactions(services, outbox)


def _build_gigs(services: Services, catalog: VacancyCatalog) -> None:
    """Issue 19: the 零工 board and sign-ups (online only, over the catalog's gigs; the client
    bound late, as for the other services)."""
    from kiosk.services.gig_signup import GigSignupService

    services.gigs = GigSignupService(lambda: services.client, catalog,
                                     station_name=services.settings.station.name)


def _build_transactions(services: Services, outbox: Outbox) -> None:
    """Issue 21: the per-transaction records (``<data_dir>/transactions.db``), ratings sent
    through the outbox; every session end is counted."""
    from kiosk.services.transactions import TransactionLog, open_store
    from kiosk.services.transactions.journeys import JourneyTransactions

    settings = services.settings
    log = services.transactions = TransactionLog(open_store(settings), outbox)
    services.stoppers.append(log.store.close)
    log.app_started()  # before any journey reports: closes the last run's
    observer = services.transaction_journeys = JourneyTransactions(
        log, services.session, outbox=outbox,
        language=lambda: settings.accessibility.language)  # the app sets the UI's own
    services.journeys.add_observer(observer)
    services.journeys.attach_ratings(observer)  # the 好差评 step's answers
    services.session.add_end_listener(log.session_ended)


def _build_fairs(services: Services, client: PlatformClient) -> None:
    """Issue 20: the fair table (``<data_dir>/fairs.sqlite3``) and the e-ID login."""
    from kiosk.services.catalog import station_origin
    from kiosk.services.eid_login import EidLogin
    from kiosk.services.fairs import FairService, FairStore

    settings = services.settings
    fair_store = FairStore(services.data_dir / "fairs.sqlite3")
    services.stoppers.append(fair_store.close)
    services.fairs = FairService(fair_store, client, station_name=settings.station.name,
                                 hotline=settings.station.hotline,
                                 origin=station_origin(settings.station))
    services.eid = EidLogin(client)


def _build_guidance(services: Services, client: PlatformClient) -> None:
    """Issue 22: the adviser slot table (``<data_dir>/guidance.sqlite3``) and the bookings."""
    from kiosk.services.guidance import GuidanceService, SlotStore

    settings = services.settings
    slot_store = SlotStore(services.data_dir / "guidance.sqlite3")
    services.stoppers.append(slot_store.close)
    services.guidance = GuidanceService(slot_store, client, station_name=settings.station.name,
                                        hotline=settings.station.hotline)


def _build_devices(services: Services) -> None:
    from kiosk.services.card_events import CardService
    from kiosk.services.referrals import ReferralService

    settings = services.settings
    printer = services.printer = open_printer(settings)
    services.stoppers.append(printer.close)
    reader = open_card_reader(settings)
    if reader.simulator is not None:
        reader.simulator.remove()  # demo mode: the card is placed from the screen
    card = services.card = CardService(reader)
    services.demo_card_reader = reader.simulator is not None
    services.stoppers.append(card.close)
    scanner = services.scanner = open_barcode_scanner(settings)
    services.stoppers.append(scanner.close)
    if services.records is not None and services.referral_ids is not None:
        services.referrals = ReferralService(
            services.records, services.referral_ids, printer, settings.station,
            services.verify_url_template,
            device_secret=services.client.device_secret if services.client is not None else b"")


def station_info_json(services: Services) -> str:
    """The cached station info as JSON (for diagnostics)."""
    info = services.station_info
    return json.dumps(info.model_dump() if info is not None else None, ensure_ascii=False)


def doctor_adapters() -> DoctorAdapters:
    """The adapters ``kiosk doctor`` exercises, made by the same factories as start-up: the card
    reader (``open_reader``, as :func:`open_card_reader`), the optional scanner
    (``open_scanner``, as :func:`open_barcode_scanner`), the printer (:func:`open_printer`) and
    a platform client (:func:`open_platform`); with ``base_url = "embedded"`` the client talks
    to a throw-away sandbox in a temporary folder (the running kiosk's sandbox is never
    touched)."""
    from kiosk.devices.idcard.factory import open_reader
    from kiosk.devices.scanner.factory import open_scanner
    from kiosk.services.maintenance.doctor import DoctorAdapters

    return DoctorAdapters(open_reader=open_reader, build_printer=open_printer,
                          build_client=_probe_client, open_scanner=open_scanner)


def _probe_client(settings: Settings, stoppers: list[Callable[[], None]]) -> PlatformClient:
    import tempfile

    folder = tempfile.TemporaryDirectory(prefix="kiosk-doctor-")
    stoppers.append(folder.cleanup)
    client, _sandbox = open_platform(settings, Path(folder.name), stoppers)
    return client
