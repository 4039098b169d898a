"""Memory and fault endurance (issue 12): many simulated jobseeker sessions in one process,
through the real services (``kiosk.bootstrap.build_services``: embedded sandbox platform over
loopback HTTP, outbox, catalog, simulated ID-card reader on a pty at wire speed, preview
printer writing ``.bin``/``.png`` slips).

One session, as at the terminal: consent → card placed (the reader reads it) → 求职登记 lookup
and submit → search (rotating queries) → vacancy detail → referral created → slip printed →
card removed → session ended ("walk away"). Every 7th jobseeker is a returning one (same ID
number as the session before). After each session the ``Journey`` (the session state), the card, the
registration outcome, the ``ReferralTicket`` and its slip must be gone: weak references are
checked first as they are (freed by reference counting) and, if still alive, after
``gc.collect()`` (a survivor there is a leak).

Every ``--sample`` sessions: RSS (``/proc/self/status`` VmRSS), ``len(gc.get_objects())``,
open file descriptors and threads. Goal: RSS growth ≤ 15 MB from session 100 to the last.

With faults (``--fault-sessions``), in each block of 10 sessions: #2 the reader is unplugged
before the card is laid on it and replugged 1 s later; #5 the printer runs out of paper (the
print fails, the jobseeker leaves without a slip) and is refilled after the session; #7 and #8
the platform is down (registration and referral go through the outbox offline) and comes back
after #8. At the end the outbox must drain, and: zero crashes (exceptions escaping a session or
a thread), zero lost registrations (every receipt delivered, one sandbox record per distinct
person), zero duplicated referrals (each id once at the platform, each slip printed at most
once: referral ids read back from the printed bytes).

Run: ``.venv/bin/python bench/bench_endurance.py [--sessions 1000] [--fault-sessions 300]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import queue
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import weakref
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.bootstrap import Services, build_services  # noqa: E402
from kiosk.devices.idcard.numbers import gb11643_check_char  # noqa: E402
from kiosk.devices.printer import PaperEnd  # noqa: E402
from kiosk.services.consent import consent_record  # noqa: E402
from kiosk.services.journeys.declared.referral import ReferralState  # noqa: E402
from kiosk.services.journeys.declared.registration import RegistrationDraft  # noqa: E402
from kiosk.settings import load_settings  # noqa: E402

GOAL_RSS_GROWTH_MB = 15.0
QUERIES = ("保洁", "保安", "普工", "厨师", "销售", "司机", "客服", "电工", "仓管", "")
NAMES = ("陈晓满", "李伟", "王芳", "欧阳小明", "张建国", "黄丽华", "刘洋")
DEMO_CARD = REPO / "assets" / "demo" / "cards" / "resident.json"
REFERRAL_ID = re.compile(rb"[A-Z0-9-]+-\d{8}-\d{4,}")


class EnduranceError(Exception):
    """A session step did not happen in time (``step`` names it)."""

    def __init__(self, step: str) -> None:
        super().__init__(f"timed out at step {step!r}")
        self.step = step


def person(n: int) -> dict[str, Any]:
    """Card JSON for jobseeker ``n`` (every 7th is person ``n - 1`` returning)."""
    if n % 7 == 0:
        n -= 1
    card = json.loads(DEMO_CARD.read_text(encoding="utf-8"))
    birth = date(1970, 1, 1) + timedelta(days=37 * n % 12000)
    seq = 100 + n % 900
    first17 = f"440106{birth:%Y%m%d}{seq:03d}"
    card.update(id_number=first17 + gb11643_check_char(first17), birth_date=birth.isoformat(),
                gender_code="1" if seq % 2 else "2", name=NAMES[n % len(NAMES)])
    return card


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Tally:
    """What happened, for the verdict."""

    sessions: int = 0
    crashes: Counter = field(default_factory=Counter)       # exception type → count
    crash_log: list[str] = field(default_factory=list)      # "session n: Type: message"
    thread_crashes: list[str] = field(default_factory=list)
    registrations: dict[int, str] = field(default_factory=dict)   # outbox item → id number
    delivered_online: int = 0
    referrals: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)
    print_failed: int = 0
    freed_by_refcount: int = 0
    freed_by_gc: int = 0
    survivors: Counter = field(default_factory=Counter)      # kind → alive after its session
    leaked: Counter = field(default_factory=Counter)         # kind → alive after the next one
    leaked_sessions: list[int] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    samples: list[dict[str, float]] = field(default_factory=list)


class EnduranceLoop:
    """Drive sessions through ``services`` (built with a started reader, worker and sandbox)."""

    def __init__(self, services: Services, card_timeout_s: float = 20.0) -> None:
        self.services = services
        self.card_timeout_s = card_timeout_s
        self.events: queue.Queue = queue.Queue()
        self.tally = Tally()
        services.card.subscribe(self.events.put)
        threading.excepthook = self._thread_crash

    def _thread_crash(self, args: threading.ExceptHookArgs) -> None:
        self.tally.thread_crashes.append(f"{args.thread.name if args.thread else '?'}: "
                                         f"{args.exc_type.__name__}")

    def _wait_card(self, kind: str) -> Any:
        deadline = time.monotonic() + self.card_timeout_s
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event.kind == kind:
                return event
        raise EnduranceError(f"card {kind}")

    # ---- one jobseeker ------------------------------------------------------------------
    def session(self, n: int, faults: bool) -> list[weakref.ref]:
        """Run session ``n``; returns weak references to its per-session objects."""
        svc, slot = self.services, n % 10
        session = svc.session.start()
        session.consent = consent_record(["registration", "referral"])
        svc.card.allow_reading(True)
        if faults and slot == 2:
            svc.card.reader.simulator.unplug()
        svc.card.reader.simulator.place(person(n))
        if faults and slot == 2:
            time.sleep(1.0)
            svc.card.reader.simulator.replug()
        card = self._wait_card("placed").card
        session.identity = card
        if faults and slot in (7, 8):
            svc.sandbox.faults.down = True
        if faults and slot == 5:
            svc.printer.connector.set_state("paper_end")
        svc.registration.lookup(card)
        form = {"phone": f"139{n:08d}", "education_code": "40", "desired_occupations": ["4-07"],
                "desired_divisions": ["440106"], "salary_min": 4000, "salary_max": 6000,
                "employment_type": "FULL_TIME", "key_groups": []}
        draft = session.part(RegistrationDraft)
        draft.form.update(form)
        outcome = svc.registration.submit(card, form, session.consent)
        draft.outcome = outcome
        self.tally.delivered_online += outcome.delivered
        with svc.outbox.transaction() as conn:
            item = conn.execute("SELECT item_id FROM kiosk_registrations WHERE receipt_no = ?",
                                (outcome.receipt_no,)).fetchone()
        self.tally.registrations[item[0] if item else -n] = card.id_number
        items = svc.catalog.search(QUERIES[n % len(QUERIES)]).items or svc.catalog.search("").items
        vacancy = svc.catalog.get(items[n % len(items)].vacancy.id)
        ticket = svc.referrals.create(card, form["phone"], vacancy, outcome.registration_no)
        referral = session.part(ReferralState)
        referral.tickets[vacancy.id] = ticket
        referral.referral_ids.append(ticket.referral_id)
        self.tally.referrals.append(ticket.referral_id)
        try:
            svc.referrals.print_slip(ticket).result(timeout=30)
            self.tally.printed.append(ticket.referral_id)
        except PaperEnd:
            self.tally.print_failed += 1
        refs = [weakref.ref(x) for x in (session, card, outcome, ticket, ticket.slip)]
        svc.card.reader.simulator.remove()
        self._wait_card("removed")
        svc.card.allow_reading(False)
        svc.session.end("finished")
        if faults and slot == 5:
            svc.printer.connector.set_state("ok")
        if faults and slot == 8:
            svc.sandbox.faults.down = False
            svc.worker.kick()
        return refs

    def run(self, count: int, faults: bool, sample_every: int = 100,
            progress: bool = False) -> Tally:
        kinds = ("Journey", "IdentityCard", "RegistrationOutcome", "ReferralTicket",
                 "Referral")
        previous: list[weakref.ref] = []
        for n in range(1, count + 1):
            started = time.monotonic()
            refs: list[weakref.ref] = []
            try:
                refs = self.session(n, faults)
            except Exception as exc:  # noqa: BLE001 - the benchmark counts what escapes
                self.tally.crashes[type(exc).__name__] += 1
                self.tally.crash_log.append(f"session {n}: {type(exc).__name__}: {exc}"[:200])
                self.services.session.end("crash")
                self.services.sandbox.faults.down = False
                self.services.printer.connector.set_state("ok")
            self.tally.sessions += 1
            self.tally.durations.append(time.monotonic() - started)
            alive = [i for i, ref in enumerate(refs) if ref() is not None]
            if not alive:
                self.tally.freed_by_refcount += 1
            else:
                gc.collect()
                alive = [i for i in alive if refs[i]() is not None]
                self.tally.freed_by_gc += not alive
                for i in alive:
                    self.tally.survivors[kinds[i]] += 1
            for i, ref in enumerate(previous):
                if ref() is not None:
                    gc.collect()
                    if ref() is not None:
                        self.tally.leaked[kinds[i]] += 1
                        if n - 1 not in self.tally.leaked_sessions:
                            self.tally.leaked_sessions.append(n - 1)
            previous = refs
            del refs
            if n % sample_every == 0 or n == 1:
                gc.collect()
                self.tally.samples.append({
                    "session": n, "rss_mb": rss_mb(), "objects": len(gc.get_objects()),
                    "fds": len(os.listdir("/proc/self/fd")), "threads": threading.active_count()})
                if progress:
                    s = self.tally.samples[-1]
                    print(f"  session {n:5d}: RSS {s['rss_mb']:.1f} MB, {s['objects']} objects, "
                          f"{s['fds']} fds, {s['threads']} threads", flush=True)
        return self.tally

    # ---- after the loop -----------------------------------------------------------------
    def settle(self, timeout_s: float = 120.0) -> dict[str, Any]:
        """Faults off, drain the outbox, and check nothing was lost or duplicated."""
        svc, tally = self.services, self.tally
        svc.sandbox.faults.down = False
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = svc.outbox.status()
            if status.pending == 0 and status.in_flight == 0:
                break
            svc.worker.kick()
            time.sleep(0.2)
        status = svc.outbox.status()
        undelivered = [i for i in tally.registrations if i < 0 or svc.outbox.results(i) is None]
        people = set(tally.registrations.values())
        at_platform = svc.sandbox.casework.registrations()
        referral_counts = Counter(svc.sandbox.casework.referral_ids())
        slips = Counter()
        for path in Path(svc.printer.connector.out_dir).glob("*.bin"):
            found = REFERRAL_ID.search(path.read_bytes())
            slips[found.group().decode() if found else path.name] += 1
        with svc.outbox.transaction() as conn:
            printed_twice = conn.execute(
                "SELECT COUNT(*) FROM kiosk_referrals WHERE printed_count > 1").fetchone()[0]
        return {
            "outbox": status,
            "lost_registrations": len(undelivered) + max(0, len(people) - len(at_platform)),
            "platform_registrations": len(at_platform), "distinct_people": len(people),
            "missing_referrals": len(set(tally.referrals) - set(referral_counts)),
            "duplicated_referrals": sum(1 for c in referral_counts.values() if c > 1)
            + sum(1 for c in slips.values() if c > 1) + printed_twice,
            "slips": sum(slips.values()), "slips_expected": len(tally.printed),
            "idempotency_replays": sum(n - 1 for n in svc.sandbox.store.idempotency_counts().values()),
        }


def open_services(folder: Path) -> Services:
    """Demo-mode services on ``folder`` (reader polls every 50 ms), started, catalog synced.

    Raises:
        EnduranceError: the first catalog sync did not finish within 60 s.
    """
    site = folder / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{folder}"\n[card_reader]\npoll_interval_ms = 50\n',
                    encoding="utf-8")
    services = build_services(load_settings(site, environ={}))
    services.registration.wait_s = 1.5  # the screen's online wait; shortens offline sessions
    services.start()
    deadline = time.monotonic() + 60  # the periodic catalog sync's first run (started above)
    while services.catalog.last_synced_at() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if services.catalog.last_synced_at() is None:
        services.stop()
        raise EnduranceError("first catalog sync")
    return services


def report(title: str, tally: Tally, checks: dict[str, Any]) -> bool:
    d = sorted(tally.durations)
    print(f"{title}: {tally.sessions} sessions, session time median {statistics.median(d):.3f} s "
          f"(p95 {d[int(0.95 * (len(d) - 1))]:.3f}, max {d[-1]:.3f})")
    first = next((s for s in tally.samples if s["session"] >= 100), tally.samples[0])
    last = tally.samples[-1]
    growth = last["rss_mb"] - first["rss_mb"]
    print(f"  RSS {first['rss_mb']:.1f} MB at session {first['session']} → {last['rss_mb']:.1f} MB "
          f"at {last['session']}: growth {growth:+.1f} MB (goal ≤ {GOAL_RSS_GROWTH_MB:.0f} MB: "
          f"{'met' if growth <= GOAL_RSS_GROWTH_MB else 'MISSED'}); objects "
          f"{first['objects']} → {last['objects']}; fds {first['fds']} → {last['fds']}; "
          f"threads {first['threads']} → {last['threads']}")
    print(f"  per-session objects (sessions): all freed by refcount {tally.freed_by_refcount}, "
          f"only by gc {tally.freed_by_gc}; alive after their session {dict(tally.survivors) or 0}; "
          f"still alive after the next session {dict(tally.leaked) or 0}")
    print(f"  crashes {sum(tally.crashes.values())} {dict(tally.crashes) or ''}, thread crashes "
          f"{len(tally.thread_crashes)} {Counter(tally.thread_crashes) or ''}; "
          f"lost registrations {checks['lost_registrations']} "
          f"({checks['platform_registrations']} at the platform for {checks['distinct_people']} "
          f"people; {tally.delivered_online} answered online); duplicated referrals "
          f"{checks['duplicated_referrals']}, missing {checks['missing_referrals']}; slips "
          f"{checks['slips']} printed of {checks['slips_expected']} expected, "
          f"{tally.print_failed} refused for paper out; idempotent replays "
          f"{checks['idempotency_replays']}; outbox pending {checks['outbox'].pending}, "
          f"dead {checks['outbox'].dead}")
    for line in tally.crash_log[:5]:
        print(f"  crash: {line}")
    return (growth <= GOAL_RSS_GROWTH_MB and not tally.crashes and not tally.thread_crashes
            and not tally.survivors and not tally.leaked and checks["lost_registrations"] == 0
            and checks["duplicated_referrals"] == 0 and checks["missing_referrals"] == 0
            and checks["slips"] == checks["slips_expected"])


def run_phase(title: str, sessions: int, faults: bool, sample: int) -> bool:
    folder = Path(tempfile.mkdtemp(prefix="bench-endurance-"))
    services = open_services(folder)
    try:
        loop = EnduranceLoop(services)
        print(f"{title}: {sessions} sessions{' with faults' if faults else ''}", flush=True)
        tally = loop.run(sessions, faults, sample, progress=True)
        return report(title, tally, loop.settle())
    finally:
        services.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="memory and fault endurance (services level)")
    parser.add_argument("--sessions", type=int, default=1000, help="memory phase (0 = skip)")
    parser.add_argument("--fault-sessions", type=int, default=300, help="fault phase (0 = skip)")
    parser.add_argument("--sample", type=int, default=100, help="sample every N sessions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    ok = True
    if args.sessions:
        ok &= run_phase("memory endurance", args.sessions, False, args.sample)
    if args.fault_sessions:
        ok &= run_phase("fault endurance", args.fault_sessions, True, args.sample)
    print(f"all endurance goals: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
