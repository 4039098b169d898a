"""Composition root: builds every service from :class:`~kiosk.settings.Settings`.

The only module that names concrete adapters (the real or simulated card reader, the printer
connector, the platform client or the embedded sandbox). The UI receives the resulting
:class:`Services` bundle and types against the services' interfaces.

Start-up order (``build_services`` then ``Services.start``): data folder → embedded sandbox
(when ``platform.base_url = "embedded"``) → platform client → outbox (crash recovery) →
catalog → printer → card reader; background threads (reader polling, outbox worker, catalog
sync, heartbeat) start in ``start`` once the UI is up, and stop in reverse order.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from kiosk.paths import data_dir
from kiosk.services.health import HealthReport, collect_health, scanner_state
from kiosk.services.journeys.engine import JourneyEngine
from kiosk.services.session import SessionService
from kiosk.services.voice_prompts import VoicePrompter
from kiosk.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    data_dir: Path
    session: SessionService
    voice: VoicePrompter
    journeys: JourneyEngine
    sandbox: Any = None
    client: Any = None
    outbox: Any = None
    worker: Any = None
    records: Any = None        # kiosk.services.journey_store.KioskRecords (the kiosk's own)
    catalog: Any = None
    printer: Any = None
    card: Any = None
    registration: Any = None
    referrals: Any = None
    assistance: Any = None
    applications: Any = None   # issue 18: kiosk.services.applications.ApplicationService
    content: Any = None
    sync_task: Any = None
    heartbeat: Any = None
    heartbeat_task: Any = None
    station_info: Any = None
    referral_ids: Any = None
    printer_status: Any = None
    transactions: Any = None   # issue 21: kiosk.services.transactions.TransactionLog
    quality: Any = None        # issue 21: kiosk.services.metrics.QualityService
    transaction_journeys: Any = None  # issue 21: JourneyTransactions (engine observer)
    fairs: Any = None       # kiosk.services.fairs.FairService (招聘会)
    eid: Any = None         # kiosk.services.eid_login.EidLogin (居民身份电子凭证)
    scanner: Any = None     # kiosk.devices.scanner port (optional hardware)
    guidance: Any = None    # kiosk.services.guidance.GuidanceService (预约职业指导)
    notices: list[str] = field(default_factory=list)
    _vocabulary: Any = None
    _stoppers: list[Callable[[], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sync_lock: threading.Lock = field(default_factory=threading.Lock)
    settings_listeners: list[Callable[[Settings, list[str]], None]] = field(default_factory=list)

    # ---- queries the UI uses ----------------------------------------------------------------
    def verify_url_template(self) -> str:
        """The platform's ``verify_url_template`` (cached); before the first answer, the same
        path on the configured platform host."""
        if self.station_info is not None:
            return self.station_info.verify_url_template
        base = self.client.base_url if self.client is not None else "https://platform.invalid/v1"
        root = base[:-3] if base.rstrip("/").endswith("/v1") else base
        return root.rstrip("/") + "/verify/{referral_id}?t={verify_token}"

    def vocabulary(self) -> Any:
        """The pinyin → Chinese candidate index for the on-screen keyboard (built once, lazily)."""
        with self._lock:
            if self._vocabulary is None and self.catalog is not None:
                from kiosk.services.catalog import PinyinVocabulary

                self._vocabulary = PinyinVocabulary.from_catalog(self.catalog)
            return self._vocabulary

    def health(self) -> HealthReport:
        outbox_status = self.outbox.status() if self.outbox is not None else None
        synced = self.catalog.last_synced_at() if self.catalog is not None else None
        card_state = self.card.last_state if self.card is not None else "stopped"
        return collect_health(card_state, self.printer_status, outbox_status, synced,
                              self.data_dir, scanner_state(self.scanner))

    def refresh_printer_status(self) -> Any:
        """Ask the printer (blocking, worker thread); keeps the answer for ``health``."""
        from kiosk.devices.printer import PrinterError

        try:
            self.printer_status = self.printer.status()
        except PrinterError as exc:
            from kiosk.devices.printer.status import PrinterStatus

            self.printer_status = PrinterStatus()  # unknown: no reply, never "paper OK"
            logger.warning("printer status unavailable: %s", type(exc).__name__)
        return self.printer_status

    def apply_settings(self, settings: Settings, changed: list[str]) -> None:
        """Install new settings (heartbeat or maintenance) and tell the services."""
        self.settings = settings
        self.session.idle_timeout_s = settings.session.idle_timeout_s
        self.session.elderly_idle_timeout_s = settings.session.elderly_idle_timeout_s
        self.session.countdown_s = settings.session.countdown_s
        self.voice.enabled = settings.accessibility.voice
        self.voice.volume = settings.accessibility.voice_volume
        if self.sync_task is not None:
            self.sync_task.interval_s = settings.platform.sync_interval_s
        if self.heartbeat_task is not None:
            self.heartbeat_task.interval_s = settings.platform.heartbeat_interval_s
        for listener in list(self.settings_listeners):
            listener(settings, changed)

    # ---- demo mode ----------------------------------------------------------------------------
    @property
    def demo_card_reader(self) -> bool:
        """True when the card reader is the built-in simulator (demo mode)."""
        reader = self.card.reader if self.card is not None else None
        return reader is not None and getattr(reader, "simulator", None) is not None

    def demo_place_card(self, card_json: Path | None = None) -> None:
        """Demo mode: lay the demo card (or ``card_json``) on the simulated reader."""
        if self.demo_card_reader:
            path = card_json or self.settings.resolve(self.settings.card_reader.demo_card)
            self.card.reader.simulator.place(json.loads(path.read_text(encoding="utf-8")))

    def demo_scan(self, text: str) -> bool:
        """Demo mode: the scanner simulator "scans" ``text`` (a printed 报到码, a phone's e-ID
        code). False when the scanner is real or absent."""
        simulator = getattr(self.scanner, "simulator", None)
        if simulator is None:
            return False
        simulator.scan(text)
        return True

    def demo_last_fair_code(self) -> str | None:
        """Demo: the 报到码 of the newest slip the preview printer wrote (``[printer]
        preview_dir`` or ``<data_dir>/slips``), as the scanner would read it from the paper."""
        from kiosk.services.fairs.service import last_printed_code

        cfg = self.settings.printer
        folder = self.settings.resolve(cfg.preview_dir) if cfg.preview_dir else self.data_dir / "slips"
        return last_printed_code(folder)

    def demo_eid_approve(self, session_id: str) -> bool:
        """Demo (embedded sandbox): the phone's e-ID app approves the QR ``session_id`` for the
        demo person. False without the embedded sandbox or when the QR is no longer pending."""
        if self.sandbox is None:
            return False
        from kiosk.platform.sandbox.routes import eid

        cases = eid.casework(self.sandbox.platform.store)
        return cases.approve(session_id, eid.demo_identity(), cases.clock())

    def demo_eid_code(self) -> str | None:
        """Demo (embedded sandbox): a fresh e-ID code as the phone would show it (None without
        the embedded sandbox)."""
        if self.sandbox is None:
            return None
        from kiosk.platform.sandbox.routes import eid

        cases = eid.casework(self.sandbox.platform.store)
        return str(cases.issue_code(eid.demo_identity(), cases.clock())["code"])

    def demo_remove_card(self) -> None:
        if self.demo_card_reader:
            self.card.reader.simulator.remove()

    # ---- lifecycle --------------------------------------------------------------------------
    def sync_catalog(self) -> Any:
        """One delta sync of the catalog from the platform (raises PlatformError).

        Serialised: the periodic sync and a technician's "sync now" never run at once."""
        with self._sync_lock:
            report = self.catalog.sync_from(self.client)
            if self.fairs is not None:
                self.sync_fairs()
            if self.guidance is not None:
                self.sync_guidance()
        with self._lock:
            self._vocabulary = None
        return report

    def sync_fairs(self) -> Any:
        """The fair table from ``GET /v1/fairs`` (with the catalog sync; a failure is logged and
        the table kept: the vacancies are what matters most)."""
        from kiosk.platform.errors import PlatformError
        from kiosk.services.fairs import FairStoreError

        try:
            return self.fairs.sync()
        except (PlatformError, FairStoreError) as exc:
            logger.warning("fair sync failed: %s", type(exc).__name__)
            return None

    def sync_guidance(self) -> Any:
        """The adviser slot table from ``GET /v1/guidance/slots`` (with the catalog sync; a
        failure is logged and the table kept)."""
        from kiosk.platform.errors import PlatformError
        from kiosk.services.guidance import SlotStoreError

        try:
            return self.guidance.sync()
        except (PlatformError, SlotStoreError) as exc:
            logger.warning("adviser slot sync failed: %s", type(exc).__name__)
            return None

    def fetch_station_info(self) -> None:
        """Fetch ``GET /v1/station`` once and cache it on disk for offline starts."""
        from kiosk.platform.errors import PlatformError
        from kiosk.platform.models import StationInfo

        cache = self.data_dir / "station.json"
        try:
            self.station_info = self.client.station()
            cache.write_text(self.station_info.model_dump_json(), encoding="utf-8")
        except PlatformError as exc:
            logger.info("station info unavailable (%s); using cache", type(exc).__name__)
            try:
                self.station_info = StationInfo.model_validate_json(cache.read_text("utf-8"))
            except (OSError, ValueError):
                self.station_info = None

    def start(self) -> None:
        """Start background work once the UI runs (each part is optional)."""
        from kiosk.platform.errors import PlatformError
        from kiosk.services.periodic import PeriodicTask

        if self.card is not None:
            self.card.start()
        if self.scanner is not None:
            self.scanner.start()
        if self.worker is not None:
            self.worker.start()
            self._stoppers.append(self.worker.stop)
        if self.client is not None:
            threading.Thread(target=self.fetch_station_info, name="station-info",
                             daemon=True).start()
            self.sync_task = PeriodicTask("catalog-sync", self.sync_catalog,
                                          self.settings.platform.sync_interval_s,
                                          expected=(PlatformError, OSError, ValueError))
            self.sync_task.start()
            self._stoppers.append(self.sync_task.stop)
            if self.heartbeat is not None:
                self.heartbeat_task = PeriodicTask(
                    "heartbeat", self.heartbeat.beat, self.settings.platform.heartbeat_interval_s,
                    first_delay_s=5.0, expected=(PlatformError, OSError, ValueError))
                self.heartbeat_task.start()
                self._stoppers.append(self.heartbeat_task.stop)
        if self.printer is not None:
            threading.Thread(target=self.refresh_printer_status, name="printer-status",
                             daemon=True).start()
        self._start_quality()

    def _start_quality(self) -> None:
        """Issue 21: the metrics endpoint / node_exporter textfile (``[metrics]``; a busy port
        is a logged warning) and the upkeep of the transaction records (device fault intervals,
        held 好差评 ratings, retention purge)."""
        from kiosk.services.metrics import QualityService
        from kiosk.services.metrics.live import live_sources

        refresh = self.refresh_printer_status if self.printer is not None else None
        self.quality = QualityService(self.settings, live_sources(self), self.transactions,
                                      refresh_printer=refresh)
        self.quality.start()
        self._stoppers.append(self.quality.stop)

    def stop(self) -> None:
        """Stop background work and release devices, newest first (idempotent)."""
        while self._stoppers:
            stopper = self._stoppers.pop()
            try:
                stopper()
            except Exception:  # noqa: BLE001 - shutting down: log and go on with the rest
                logger.exception("error while stopping a service")


def build_services(settings: Settings, data_root: Path | None = None, *,
                   devices: bool = True, platform: bool = True) -> Services:
    """Build the service bundle for ``settings``.

    Args:
        data_root: the data folder (default from ``[paths]``).
        devices: open the card reader and the printer (False for tools that need neither).
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
    services = Services(settings=settings, data_dir=root, session=session, voice=voice,
                        journeys=build_journey_engine(session, lambda: services.card))
    complete_services(services, devices=devices, platform=platform)
    return services


def build_journey_engine(session: SessionService,
                         card: Callable[[], Any] = lambda: None) -> JourneyEngine:
    """The journey engine over every declared journey (``kiosk/services/journeys/declared``);
    ``card`` returns the card service once it is built (None before, or without a reader)."""
    from kiosk.services.journeys.declared import load_journeys

    return JourneyEngine(session, load_journeys(), card=card)


def bring_up(services: Services, on_ready: Callable[[], None],
             on_failed: Callable[[str], None]) -> threading.Thread:
    """``kiosk run``'s start-up sequence, after the first frame: build the platform side and the
    devices on a worker thread (:func:`complete_services`), then call ``on_ready()`` — or
    ``on_failed(message)`` with the Chinese message for the home screen (the error is logged,
    never raised). Both are called on the worker thread: hop to the UI thread yourself.
    ``Services.start`` (background work) is the caller's, once it subscribed to the card."""

    def run() -> None:
        try:
            complete_services(services)
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
        if spec.default is None and not spec.name.startswith("_"):
            setattr(services, spec.name, None)
    services._vocabulary = None


def complete_services(services: Services, *, devices: bool = True, platform: bool = True) -> None:
    """Build the parts of ``services`` not built yet (the platform side, then the devices).

    ``kiosk run`` calls this on a worker thread after the first frame, so the home screen shows
    while the sandbox, outbox, catalog, printer and reader come up; tools call it through
    :func:`build_services`.

    Raises:
        ConfigError, DeviceSecretError, OutboxError, CatalogError: see the modules named (what
        was started is stopped again).
    """
    try:
        if platform and services.client is None:
            _build_platform(services)
        if devices and services.printer is None:
            _build_devices(services)
    except BaseException:
        services.stop()
        raise


def _build_platform(services: Services) -> None:
    from kiosk.platform.client import build_client
    from kiosk.services.applications import ApplicationService
    from kiosk.services.assistance import AssistanceService
    from kiosk.services.catalog import VacancyCatalog, station_origin
    from kiosk.services.content import ContentService
    from kiosk.services.heartbeat import HeartbeatService
    from kiosk.services.journey_store import KioskRecords
    from kiosk.services.outbox import OutboxWorker, ReferralIdGenerator, open_outbox
    from kiosk.services.registration import RegistrationService

    settings = services.settings
    base_url = None
    if settings.platform.base_url == "embedded":
        from kiosk.platform.sandbox.embedded import start_embedded_sandbox

        services.sandbox = start_embedded_sandbox(settings, services.data_dir / "sandbox.db")
        services._stoppers.append(services.sandbox.stop)
        base_url = services.sandbox.base_url
    services.client = build_client(settings, base_url)
    services._stoppers.append(services.client.close)
    services.outbox = open_outbox(settings)
    services._stoppers.append(services.outbox.close)
    services.worker = OutboxWorker(services.outbox, services.client)
    services.catalog = VacancyCatalog(services.data_dir / "catalog.sqlite3",
                                      origin=station_origin(settings.station))
    client = lambda: services.client  # noqa: E731 - late binding for tests that swap it
    services.records = KioskRecords(services.outbox, services.worker)
    services.registration = RegistrationService(services.records, client)
    services.assistance = AssistanceService(services.records)
    services.applications = ApplicationService(services.records, client)
    services.content = ContentService(services.data_dir / "content-cache.json", client)
    services.heartbeat = HeartbeatService(
        client, services.health, lambda: services.settings, services.apply_settings,
        on_notices=lambda notices: setattr(services, "notices", notices))
    services.referral_ids = ReferralIdGenerator(services.outbox, settings.station.terminal_id)
    _build_fairs(services)
    _build_guidance(services)
    _build_transactions(services)


def _build_transactions(services: Services) -> None:
    """Issue 21: the per-transaction records (``<data_dir>/transactions.db``), ratings sent
    through the outbox; every session end is counted."""
    from kiosk.services.transactions import TransactionLog, open_store

    from kiosk.services.transactions.journeys import JourneyTransactions

    settings = services.settings
    services.transactions = TransactionLog(open_store(settings), services.outbox)
    services._stoppers.append(services.transactions.store.close)
    services.transactions.app_started()  # before any journey reports: closes the last run's
    services.transaction_journeys = JourneyTransactions(
        services.transactions, services.session, outbox=services.outbox,
        language=lambda: settings.accessibility.language)  # the app sets the UI's own
    services.journeys.add_observer(services.transaction_journeys)
    services.session.add_end_listener(services.transactions.session_ended)


def _build_fairs(services: Services) -> None:
    """Issue 20: the fair table (``<data_dir>/fairs.sqlite3``) and the e-ID login."""
    from kiosk.services.catalog import station_origin
    from kiosk.services.eid_login import EidLogin
    from kiosk.services.fairs import FairService, FairStore

    settings = services.settings
    fair_store = FairStore(services.data_dir / "fairs.sqlite3")
    services._stoppers.append(fair_store.close)
    services.fairs = FairService(fair_store, services.client, station_name=settings.station.name,
                                 hotline=settings.station.hotline,
                                 origin=station_origin(settings.station))
    services.eid = EidLogin(services.client)


def _build_guidance(services: Services) -> None:
    """Issue 22: the adviser slot table (``<data_dir>/guidance.sqlite3``) and the bookings."""
    from kiosk.services.guidance import GuidanceService, SlotStore

    settings = services.settings
    slot_store = SlotStore(services.data_dir / "guidance.sqlite3")
    services._stoppers.append(slot_store.close)
    services.guidance = GuidanceService(slot_store, services.client,
                                        station_name=settings.station.name,
                                        hotline=settings.station.hotline)


def _build_devices(services: Services) -> None:
    from kiosk.devices.idcard.factory import open_reader
    from kiosk.services.card_events import CardService
    from kiosk.services.referrals import ReferralService
    from kiosk.services.slip import build_printer

    settings = services.settings
    services.printer = build_printer(settings)
    services._stoppers.append(services.printer.close)
    reader = open_reader(settings.card_reader)
    if reader.simulator is not None:
        reader.simulator.remove()  # demo mode: the card is placed from the screen
    services.card = CardService(reader)
    services._stoppers.append(services.card.close)
    from kiosk.devices.scanner.factory import open_scanner

    services.scanner = open_scanner(settings.scanner)
    services._stoppers.append(services.scanner.close)
    if services.records is not None:
        services.referrals = ReferralService(
            services.records, services.referral_ids, services.printer,
            settings.station, services.verify_url_template,
            device_secret=getattr(services.client, "device_secret", b""))


def station_info_json(services: Services) -> str:
    """The cached station info as JSON (for diagnostics)."""
    info = services.station_info
    return json.dumps(info.model_dump() if info is not None else None, ensure_ascii=False)


def doctor_adapters() -> Any:
    """The adapters ``kiosk doctor`` exercises, made by the same factories as start-up: the card
    reader (``open_reader``), the optional scanner (``open_scanner``), the printer
    (``build_printer``) and a platform client; with
    ``base_url = "embedded"`` the client talks to a throw-away sandbox in a temporary folder
    (the running kiosk's sandbox is never touched). Returns a
    :class:`~kiosk.services.maintenance.doctor.DoctorAdapters`."""
    from kiosk.devices.idcard.factory import open_reader
    from kiosk.devices.scanner.factory import open_scanner
    from kiosk.services.maintenance.doctor import DoctorAdapters
    from kiosk.services.slip import build_printer

    return DoctorAdapters(open_reader=open_reader, build_printer=build_printer,
                          build_client=_probe_client, open_scanner=open_scanner)


def _probe_client(settings: Settings, stoppers: list[Callable[[], None]]) -> Any:
    import tempfile

    from kiosk.platform.client import build_client

    base_url = None
    if settings.platform.base_url == "embedded":
        from kiosk.platform.sandbox.embedded import start_embedded_sandbox

        folder = tempfile.TemporaryDirectory(prefix="kiosk-doctor-")
        stoppers.append(folder.cleanup)
        sandbox = start_embedded_sandbox(settings, Path(folder.name) / "sandbox.db")
        stoppers.append(sandbox.stop)
        base_url = sandbox.base_url
    client = build_client(settings, base_url)
    stoppers.append(client.close)
    return client
