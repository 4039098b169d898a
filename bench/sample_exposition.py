"""A demo-like session without the screens, then what the operator sees (issue 21).

Builds the demo services (embedded sandbox, simulated card reader and scanner, preview printer)
in a fresh data folder with ``[metrics] serve = "on"``, starts them as ``kiosk run`` does, and
drives the real journey engine with a recording display: 求职登记 → 申请推荐 for a catalog
vacancy → 完成 → the 好差评 step (registration rated 不满意 with a reason, the referral 非常满意)
→ the session ends. Then it prints ``kiosk metrics`` (read from the running kiosk's loopback
endpoint) and ``kiosk stats --json`` for that data folder.

    .venv/bin/python bench/sample_exposition.py [--port 19477] [--out bench/out/exposition]

The excerpt in docs/metrics.md comes from this script. Not a test: it waits for deliveries.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.bootstrap import build_services  # noqa: E402
from kiosk.cli import main as kiosk  # noqa: E402
from kiosk.domain.identity_card import IdentityCard  # noqa: E402
from kiosk.services.card_events import CardEvent  # noqa: E402
from kiosk.services.journeys.declared.registration import RegistrationDraft, submission  # noqa: E402
from kiosk.services.journeys.declared.referral import referral_request  # noqa: E402
from kiosk.settings import load_settings  # noqa: E402

FORM = {"phone": "13800138000", "education_code": "70", "desired_occupations": ["4-07"],
        "desired_divisions": ["440106"], "salary_min": 4000, "salary_max": 6000,
        "employment_type": "FULL_TIME", "key_groups": [], "availability": "WEEK"}


class Screens:
    """The engine's display: what would be shown, in order."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, screen: str, values: object) -> None:
        self.shown.append(screen)

    def update(self, screen: str, values: object) -> None:
        pass

    def ended(self, reason: str) -> None:
        self.shown.append(f"ended:{reason}")


class PersonClock:
    """The records' monotonic clock plus the time a person would take (``pace``): the script
    runs in a second, a person at the kiosk takes minutes; durations in the records follow
    the person (3 min for the registration form, 45 s for the referral)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def pace(self, seconds: float) -> None:
        self.offset += seconds


def wait(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = kiosk(list(args))
    if status != 0:
        raise SystemExit(f"kiosk {' '.join(args)} exited {status}")
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=19477)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "exposition")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="kiosk-exposition-"))
    site = data / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{data}"\n\n[metrics]\nserve = "on"\n'
                    f'port = {args.port}\n', encoding="utf-8")
    services = build_services(load_settings(site, environ={}))
    services.start()
    try:
        wait(lambda: services.catalog.last_synced_at() is not None, 30, "catalog sync")
        wait(lambda: services.card is not None and services.card.last_state == "ready", 20,
             "card reader ready")
        card = IdentityCard.from_json(json.loads(
            (REPO / "assets/demo/cards/resident.json").read_text(encoding="utf-8")))
        engine, screens = services.journeys, Screens()
        engine.attach(screens)
        person = PersonClock()
        services.transactions.monotonic = person

        engine.start("register")                          # 求职登记
        engine.agree()
        engine.card_event(CardEvent("placed", card=card))
        engine.identity_shown()
        engine.send("looked_up", registered=False, registration_no="")
        engine.journey.part(RegistrationDraft).form.update(FORM)
        person.pace(170.0)                                # filling in the form
        engine.next()
        person.pace(25.0)                                 # checking it
        sub = submission(engine.journey)
        outcome = services.registration.submit(sub.card, sub.form, sub.consent)
        engine.send("submitted", outcome=outcome)

        vacancy = services.catalog.search("保洁").items[0].vacancy   # 申请推荐 for a vacancy
        engine.start("referral", vacancy=vacancy)
        person.pace(30.0)                                 # reading the vacancy
        engine.send("phone_entered", phone=FORM["phone"])
        person.pace(15.0)
        req = referral_request(engine.journey)
        ticket = services.referrals.create(req.card, req.phone, req.vacancy, req.registration_no)
        engine.send("created", ticket=ticket)
        wait(lambda: services.outbox.results(ticket.item_id) is not None, 30, "referral delivered")

        engine.start("search")                            # browsing (no transaction)
        engine.finish("finished")                         # 完成 → the 好差评 step
        engine.rate(2)                                    # 不满意 …
        engine.rate_reasons(["too_slow"])                 # … because it took too long
        engine.rate(5)                                    # the referral: 非常满意
        print("screens:", " → ".join(screens.shown), file=sys.stderr)
        services.transactions.release_held()
        wait(lambda: not [i for i in services.outbox.items("pending")
                          + services.outbox.items("in_flight")], 30, "ratings delivered")
        metrics = cli("--config", str(site), "metrics")
        stats = cli("--config", str(site), "stats", "--json")
        text = cli("--config", str(site), "stats")
    finally:
        services.stop()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "metrics.txt").write_text(metrics, encoding="utf-8")
    (args.out / "stats.json").write_text(stats, encoding="utf-8")
    (args.out / "stats.txt").write_text(text, encoding="utf-8")
    sys.stdout.write(metrics + "\n" + stats + "\n" + text + "\n")
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
