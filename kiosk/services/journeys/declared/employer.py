"""用工单位/雇主 (employer mode, issues 19 and 20): identify the handler by ID card (the same
consent and card reading as a jobseeker) → 单位 or 个人雇主 → for a 单位 the 统一社会信用代码 (or
the old 15-digit 注册号, checked offline with plain-Chinese reasons) and the unit's name → the
posting by pick-lists → review (pay below the Guangdong minimum wage flagged, submitting
refused until it is changed) → submit through the outbox → the slip; or the progress query of
the handler's postings (我的发布) with their audit states; or 预订招聘会展位 (a 单位 books one
booth per fair).

Steps (screen in brackets) and the values they are shown with:

* ``kind`` [``employer``] — needs the identity; ``step="kind"``, ``card``;
* ``licence`` [``employer``] — ``step="licence"``, ``code`` (normalised), ``problem`` (why
  the code is refused: 长度不对 / 含有不能使用的字母 / 校验位不对，请核对营业执照), ``purpose``
  (``posting`` | ``booth``);
* ``unit_name`` [``employer``] — ``step="unit_name"``, ``code``, ``name``, ``problem``,
  ``warnings`` (GB 11714 inner check and category warnings: shown, never blocking);
* ``posting`` [``employer_posting``] — ``draft`` (:class:`PostingDraft`; the screen puts the
  station's place in an empty draft), ``problems`` (what is missing, plain Chinese), ``card``;
* ``description`` [``employer_description``] — 详细说明 typed on the employer's phone (optional):
  ``draft``, ``prompt`` (what the phone page shows), ``link`` (the
  :class:`~kiosk.services.text_handoff.HandoffQr` being shown, or None before the platform
  answered), ``outcome`` (the last :class:`~kiosk.services.text_handoff.HandoffOutcome`, or
  None), ``card``;
* ``review`` [``employer_review``] — ``draft``, ``pay_flag`` (the minimum-wage message when
  the pay is below it, else ""), ``pay_note`` (the check's other message: not below, or 计件
  cannot be checked), ``card``, ``refusal`` ("" or the platform's refusal);
* ``done`` [``employer_done``] — ``draft``, ``outcome`` (``PostingOutcome``), ``card``;
* ``progress`` [``employer_progress``] — ``postings`` (``PostingStatus`` list, newest first,
  or None before the platform answered / when it cannot be asked), ``card``;
* ``booth`` [``employer_booth``] — ``code``, ``name``, ``bookings`` (this session's
  ``BoothBooking`` by fair id), ``phone``.

Events: ``kind_chosen(kind)`` (``unit`` | ``individual`` | ``progress`` | ``booth``),
``code_entered(code)``, ``name_entered(name)``, ``posting_filled(draft)``,
``handoff_started(link)`` (a ``HandoffQr`` or the ``HandoffOutcome`` why there is none),
``handoff_polled(outcome)``, ``description_taken()`` (the received text, personal numbers
masked, becomes the draft's description), ``description_skipped()``, ``description_removed()``,
``submitted(outcome)`` (delivered or queued: the transaction is done), ``refused(outcome)``
(the platform refused it: stay on the review with the reason), ``progress_loaded(postings)``,
``booth_booked(outcome)`` / ``booth_cancelled(outcome)`` (``BoothOutcome``).

Consent purpose ``employer_posting``. What it records: the posting (outbox + the kiosk's own
record, :class:`~kiosk.services.employer_postings.EmployerService`); the posting is one
transaction (per-transaction record and 好差评 rating, bound to the posting number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain import credit_code
from kiosk.services.employer_postings import (PostingDraft, PostingOutcome, draft_problems,
                                              pay_check)
from kiosk.services.journeys.spec import (GoTo, IdentityNeed, JourneySpec, Next, RecordKind,
                                          Stay, Step, Transaction, Transition, Values,
                                          outcome_number)
from kiosk.services.journeys.state import Journey

PURPOSES = ("employer_posting",)
NAME_MISSING = "请填写单位名称（与营业执照一致）"
BOOTH_NEEDS_CREDIT_CODE = "预订展位需要18位统一社会信用代码（旧的15位注册号不能预订）"


@dataclass
class EmployerState:
    """The employer part of the session (the draft names the handler's unit and phone: it is
    cleared with the session)."""

    draft: PostingDraft = field(default_factory=PostingDraft)
    purpose: str = "posting"              # what the licence steps lead to: posting | booth
    warnings: tuple[str, ...] = ()
    outcome: PostingOutcome | None = None
    link: object | None = None            # the HandoffQr shown for the 详细说明, or None
    received: object | None = None        # the HandoffOutcome received from the phone, or None
    postings: list[object] | None = None
    bookings: dict[str, object] = field(default_factory=dict)

    def clear(self) -> None:
        self.draft = PostingDraft()
        self.purpose = "posting"
        self.warnings = ()
        self.outcome = None
        self.link = self.received = None
        self.postings = None
        self.bookings = {}


def state_of(journey: Journey) -> EmployerState:
    return journey.part(EmployerState)


def _on_start(journey: Journey, inputs: Values) -> None:
    state = state_of(journey)
    state.clear()
    station = inputs.get("station")
    if isinstance(station, dict):
        state.draft = with_station(state.draft, station)


def with_station(draft: PostingDraft, station: dict[str, object]) -> PostingDraft:
    """``draft`` with the station's place (``division_code``, ``address``, ``latitude``,
    ``longitude``; 0 coordinates mean unknown) as the default work place."""
    lat, lon = station.get("latitude"), station.get("longitude")
    return draft.with_(
        division_code=str(station.get("division_code", "") or ""),
        address=str(station.get("address", "") or ""),
        latitude=float(lat) if isinstance(lat, (int, float)) and lat else None,
        longitude=float(lon) if isinstance(lon, (int, float)) and lon else None)


# ---- views -----------------------------------------------------------------------------------
def _kind_view(journey: Journey) -> dict[str, object]:
    return {"step": "kind", "card": journey.identity}


def _licence_view(journey: Journey) -> dict[str, object]:
    state = state_of(journey)
    return {"step": "licence", "code": state.draft.credit_code, "problem": "",
            "purpose": state.purpose, "card": journey.identity}


def _name_view(journey: Journey) -> dict[str, object]:
    state = state_of(journey)
    return {"step": "unit_name", "code": state.draft.credit_code,
            "name": state.draft.employer_name, "problem": "", "warnings": state.warnings,
            "card": journey.identity}


def _posting_view(journey: Journey) -> dict[str, object]:
    return {"draft": state_of(journey).draft, "problems": [], "card": journey.identity}


def _description_view(journey: Journey) -> dict[str, object]:
    state = state_of(journey)
    state.link = state.received = None          # a new QR each time the step is shown
    return {"draft": state.draft, "prompt": description_prompt(state.draft), "link": None,
            "outcome": None, "card": journey.identity}


def description_prompt(draft: PostingDraft) -> str:
    """What the phone's page shows above the form: "保洁员（零工）的详细说明" (no personal data)."""
    kind = "零工" if draft.gig else "长期招聘"
    return f"{draft.title}（{kind}）的详细说明：工作内容、时间安排、待遇等" if draft.title \
        else "招聘信息的详细说明：工作内容、时间安排、待遇等"


def _review_view(journey: Journey) -> dict[str, object]:
    draft = state_of(journey).draft
    check = pay_check(draft)
    below = check is not None and check.below is True
    return {"draft": draft, "pay_flag": check.message_zh if check and below else "",
            "pay_note": check.message_zh if check and not below else "",
            "card": journey.identity, "refusal": ""}


def _done_view(journey: Journey) -> dict[str, object]:
    state = state_of(journey)
    return {"draft": state.draft, "outcome": state.outcome, "card": journey.identity}


def _progress_view(journey: Journey) -> dict[str, object]:
    return {"postings": state_of(journey).postings, "card": journey.identity}


def _booth_view(journey: Journey) -> dict[str, object]:
    state = state_of(journey)
    return {"code": state.draft.credit_code, "name": state.draft.employer_name,
            "bookings": dict(state.bookings), "phone": journey.phone}


# ---- handlers --------------------------------------------------------------------------------
def _kind_chosen(journey: Journey, values: Values) -> Transition:
    kind = str(values.get("kind", ""))
    state = state_of(journey)
    if kind == "progress":
        state.postings = None
        return GoTo("progress")
    if kind == "booth":
        state.purpose = "booth"
        state.draft = state.draft.with_(employer_kind="unit")
        return GoTo("licence")
    if kind not in ("unit", "individual"):
        raise KeyError(kind)
    state.purpose = "posting"
    state.draft = state.draft.with_(employer_kind=kind)
    if kind == "individual":
        state.draft = state.draft.with_(credit_code="", employer_name="")
        state.warnings = ()
        return GoTo("posting")
    return Next()


def _code_entered(journey: Journey, values: Values) -> Transition:
    """The code typed on the large keyboard, checked offline (GB 32100-2015 / GS15—2006):
    refused → stay with the plain-Chinese reason; accepted → the unit's name (warnings kept)."""
    check = credit_code.check_code(str(values.get("code", "")))
    state = state_of(journey)
    state.draft = state.draft.with_(credit_code=check.code)
    if not check.valid:
        return Stay({"problem": check.reason or "", "code": check.code})
    if state.purpose == "booth" and check.kind != credit_code.KIND_CREDIT_CODE:
        return Stay({"problem": BOOTH_NEEDS_CREDIT_CODE, "code": check.code})
    state.warnings = check.warnings
    return Next()


def _name_entered(journey: Journey, values: Values) -> Transition:
    name = str(values.get("name", "")).strip()
    state = state_of(journey)
    state.draft = state.draft.with_(employer_name=name)
    if not name:
        return Stay({"problem": NAME_MISSING, "name": ""})
    return GoTo(state.purpose)


def _posting_filled(journey: Journey, values: Values) -> Transition:
    draft = values.get("draft")
    if not isinstance(draft, PostingDraft):
        raise TypeError("posting_filled needs draft=PostingDraft")
    state = state_of(journey)
    # the employer part was settled on the earlier steps; the screen cannot change it
    draft = draft.with_(employer_kind=state.draft.employer_kind,
                        employer_name=state.draft.employer_name,
                        credit_code=state.draft.credit_code)
    state.draft = draft
    if draft.contact_phone:
        journey.phone = draft.contact_phone
    problems = draft_problems(draft)
    if problems:
        return Stay({"problems": problems, "draft": draft})
    return Next()


def _handoff_started(journey: Journey, values: Values) -> Transition:
    from kiosk.services.text_handoff import HandoffOutcome, HandoffQr

    link = values.get("link")
    state = state_of(journey)
    if isinstance(link, HandoffQr):
        state.link, state.received = link, None
        return Stay({"link": link, "outcome": HandoffOutcome("waiting")})
    if isinstance(link, HandoffOutcome) and link.final:
        state.link = None
        return Stay({"link": None, "outcome": link})
    raise TypeError("handoff_started needs link=HandoffQr or a final HandoffOutcome")


def _handoff_polled(journey: Journey, values: Values) -> Transition:
    """A poll's outcome: waiting (nothing changes), received (shown for confirmation), expired
    or offline (the QR goes; 重新生成二维码 or 跳过)."""
    from kiosk.services.text_handoff import HandoffOutcome

    outcome = values.get("outcome")
    if not isinstance(outcome, HandoffOutcome):
        raise TypeError("handoff_polled needs outcome=HandoffOutcome")
    state = state_of(journey)
    if state.link is None:                  # a late answer for a QR no longer shown
        return Stay({})
    if outcome.status == "received":
        state.received = outcome
    if outcome.final:
        state.link = None
    return Stay({"outcome": outcome, "link": state.link})


def _description_taken(journey: Journey, values: Values) -> Transition:
    from kiosk.services.text_handoff import HandoffOutcome

    state = state_of(journey)
    received = state.received
    if not isinstance(received, HandoffOutcome) or received.status != "received":
        raise TypeError("description_taken needs a text received from the phone")
    state.draft = state.draft.with_(description=received.masked_text)
    state.link = state.received = None
    return Next()


def _description_skipped(journey: Journey, values: Values) -> Transition:
    state = state_of(journey)
    state.link = state.received = None
    return Next()


def _description_removed(journey: Journey, values: Values) -> Transition:
    state = state_of(journey)
    state.draft = state.draft.with_(description="")
    return Stay({"draft": state.draft})


def _submitted(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    if not isinstance(outcome, PostingOutcome) or outcome.refused:
        raise TypeError("submitted needs outcome=PostingOutcome (not refused)")
    state_of(journey).outcome = outcome
    return GoTo("done", remember=False, clear_history=True)


def _refused(journey: Journey, values: Values) -> Transition:
    outcome = values.get("outcome")
    if not isinstance(outcome, PostingOutcome) or not outcome.refused:
        raise TypeError("refused needs a refused PostingOutcome")
    return Stay({"refusal": outcome.message_zh})


def _progress_loaded(journey: Journey, values: Values) -> Transition:
    postings = values.get("postings")
    state_of(journey).postings = list(postings) if isinstance(postings, list) else None
    return Stay({"postings": state_of(journey).postings})


def _booth_changed(journey: Journey, values: Values) -> Transition:
    # the fair service (pydantic, the printer driver) loads after the first frame
    from kiosk.services.fairs.service import BoothOutcome

    outcome = values.get("outcome")
    if not isinstance(outcome, BoothOutcome):
        raise TypeError("booth events need outcome=BoothOutcome")
    state = state_of(journey)
    booking = outcome.booking
    if booking is not None:
        if booking.status == "booked":
            state.bookings[booking.fair_id] = booking
        else:
            state.bookings.pop(booking.fair_id, None)
    return Stay({"outcome": outcome, "bookings": dict(state.bookings)})


JOURNEY = JourneySpec(
    name="employer",
    title_zh="用工单位/雇主",
    identity=IdentityNeed(purposes=PURPOSES),
    steps=(Step("kind", screen="employer", needs_identity=True, view=_kind_view),
           Step("licence", screen="employer", view=_licence_view),
           Step("unit_name", screen="employer", view=_name_view),
           Step("posting", screen="employer_posting", view=_posting_view),
           Step("description", screen="employer_description", view=_description_view),
           Step("review", screen="employer_review", view=_review_view),
           Step("done", screen="employer_done", remember=False, view=_done_view),
           Step("progress", screen="employer_progress", view=_progress_view),
           Step("booth", screen="employer_booth", view=_booth_view)),
    records=(RecordKind.POSTING,),
    ends="employer-done",
    on_start=_on_start,
    events={"kind_chosen": _kind_chosen, "code_entered": _code_entered,
            "name_entered": _name_entered, "posting_filled": _posting_filled,
            "handoff_started": _handoff_started, "handoff_polled": _handoff_polled,
            "description_taken": _description_taken,
            "description_skipped": _description_skipped,
            "description_removed": _description_removed,
            "submitted": _submitted, "refused": _refused,
            "progress_loaded": _progress_loaded, "booth_booked": _booth_changed,
            "booth_cancelled": _booth_changed},
    # 好差评 and the record: one posting is one transaction, from the posting form (a progress
    # query or a booth booking is none) to ``submitted``; bound to the posting number, or to
    # its outbox item while offline; kind posting:unit / posting:individual
    transaction=Transaction("posting", ("submitted",), outcome_number(
        "posting_no", kind=lambda j: f"posting:{state_of(j).draft.employer_kind}"),
        starts_at="posting"),
)
