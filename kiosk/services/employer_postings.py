"""Employer postings at the kiosk (issue 19): the draft, its offline checks, submission through
the outbox and the progress query.

* :class:`PostingDraft` — what the employer picked on the screens (everyday job, headcount, pay
  and unit, gig day/start/duration, place, requirements, contact phone);
* :func:`draft_problems` — plain-Chinese reasons the draft cannot be sent yet (licence code by
  GB 32100 / GS15—2006 through :func:`kiosk.domain.credit_code.check_code`, a gig without its
  day …); :func:`pay_check` — the Guangdong minimum-wage flag shown **before** submitting
  (:func:`kiosk.domain.minimum_wage.check_pay`: 粤府函〔2021〕 table by place and pay unit);
* :func:`posting_payload` — the ``PostingRequest`` body (``docs/openapi.yaml``);
* :class:`EmployerService` — ``submit`` enqueues the posting in the (encrypted) outbox together
  with the kiosk's own record ``kiosk_postings(receipt_no, item_id, kind, created_at)`` in one
  transaction, kicks the worker and waits up to ``wait_s`` seconds: delivered → the posting
  number (待审核); refused by the platform (duplicate, limit, code) → the reason; not delivered
  in time → the receipt number and "will be submitted automatically" (offline works).
  ``progress`` asks the platform for the handler's postings and their audit states; ``handoff``
  brings the 详细说明 from the employer's phone (:class:`~kiosk.services.text_handoff.TextHandoffService`).

Nothing personal is logged; the own record holds numbers only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any

from kiosk.domain import credit_code
from kiosk.domain.codes import divisions, everyday_jobs
from kiosk.domain.codes.errors import CodeError
from kiosk.domain.minimum_wage import PayCheck, check_pay
from kiosk.domain.postings import MAX_GIG_DAYS, PAY_UNITS
from kiosk.domain.vacancy import SETTLEMENTS
from kiosk.services.journey_store import KioskRecords

if TYPE_CHECKING:  # imported when the service is built: its wire models need pydantic, which
    # the journey declarations must not load before the home screen's first frame (issue 23)
    from kiosk.services.text_handoff import TextHandoffService

logger = logging.getLogger(__name__)

#: platform refusals (problem ``code``) and what the employer reads
REFUSALS = {
    "posting_duplicate": "这条招聘信息已经提交过，正在审核或已发布，无需重复提交",
    "posting_limit_reached": "您同时发布的招聘信息已达上限，请等已有信息审核或下架后再发布",
    "credit_code_invalid": "统一社会信用代码未通过平台核验，请核对营业执照",
}


class PostingError(Exception):
    """The posting cannot be submitted from the kiosk; ``message_zh`` says what to do."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class PostingDraft:
    """An employer's posting as picked on the screens.

    ``employer_kind`` ``unit`` | ``individual``; ``job_id`` an everyday job
    (:mod:`kiosk.domain.codes.everyday_jobs`); ``pay`` whole yuan per ``pay_unit``
    (:data:`kiosk.domain.postings.PAY_UNITS`); ``gig`` True for a 零工 gig on ``work_date``
    (YYYY-MM-DD, the first day) and ``more_dates`` (further days, at most
    :data:`~kiosk.domain.postings.MAX_GIG_DAYS` in all) at ``start_time`` ("HH:MM") for
    ``duration_hours`` h, paid by ``settlement``
    (DAILY | WEEKLY | ON_COMPLETION); ``division_code`` GB/T 2260 of the place; coordinates
    WGS-84 degrees (the station's when its address is kept).
    """

    employer_kind: str = "unit"
    employer_name: str = ""
    credit_code: str = ""
    phone: str = ""
    job_id: str = ""
    headcount: int = 1
    pay: int = 0
    pay_unit: str = "DAY"
    gig: bool = True
    work_date: str = ""
    more_dates: tuple[str, ...] = ()
    start_time: str = "08:00"
    duration_hours: float = 8.0
    settlement: str = "DAILY"
    division_code: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    requirements: tuple[str, ...] = ()
    description: str = ""
    contact_phone: str = ""

    def with_(self, **changes: Any) -> PostingDraft:
        return replace(self, **changes)

    @property
    def work_dates(self) -> tuple[str, ...]:
        """Every day of a gig, sorted (``work_date`` first)."""
        return tuple(sorted({d for d in (self.work_date, *self.more_dates) if d}))

    @property
    def title(self) -> str:
        """The everyday job's name ("" when none is picked)."""
        try:
            return everyday_jobs.get(self.job_id).name if self.job_id else ""
        except CodeError:
            return ""


def draft_problems(draft: PostingDraft, whitelist: tuple[str, ...] = ()) -> list[str]:
    """Why the draft cannot be submitted yet, plain Chinese, in screen order ([] = ready).

    The licence code is checked offline (GB 32100-2015 / GS15—2006, the reasons of
    :mod:`kiosk.domain.credit_code`); an individual employer gives none.
    """
    out: list[str] = []
    if draft.employer_kind not in ("unit", "individual"):
        out.append("请选择单位或个人雇主")
    if draft.employer_kind == "unit":
        if not draft.employer_name.strip():
            out.append("请填写单位名称")
        check = credit_code.check_code(draft.credit_code, whitelist)
        if not check.valid:
            out.append(f"统一社会信用代码：{check.reason}")
    if not draft.title:
        out.append("请选择招聘的工种")
    if not 1 <= draft.headcount <= 999:
        out.append("招聘人数应为1到999人")
    if draft.pay_unit not in PAY_UNITS:
        out.append("请选择工资单位")
    if draft.pay <= 0:
        out.append("请填写工资")
    if draft.gig:
        if len(draft.work_date) != 10:
            out.append("请选择上工日期")
        elif len(draft.work_dates) > MAX_GIG_DAYS:
            out.append(f"上工日期最多选{MAX_GIG_DAYS}天")
        if not 0 < draft.duration_hours <= 24:
            out.append("工作时长应在24小时以内")
        if draft.settlement not in SETTLEMENTS:
            out.append("请选择结算方式")
    if not divisions.is_known(draft.division_code):
        out.append("请选择工作地点")
    if not _phone_ok(draft.contact_phone):
        out.append("请填写联系电话（手机11位或座机）")
    return out


def _phone_ok(phone: str) -> bool:
    import re

    from kiosk.platform.submissions import PHONE
    return bool(re.match(PHONE, phone or ""))


def pay_check(draft: PostingDraft) -> PayCheck | None:
    """The minimum-wage check of the draft's pay at its place (None: place or unit unknown).

    ``below`` True is shown to the employer before submitting ("低于当地最低工资标准…").
    """
    try:
        return check_pay(draft.pay, draft.pay_unit, draft.division_code,
                         hours_per_day=draft.duration_hours if draft.gig else None)
    except (CodeError, ValueError):
        return None


def posting_payload(card: Any, draft: PostingDraft, now: datetime) -> dict[str, Any]:
    """The ``PostingRequest`` body from the handler's ``IdentityCard`` and the draft.

    A 个人雇主's name is the handler's (from the card).
    """
    job = everyday_jobs.get(draft.job_id)
    name = draft.employer_name.strip() if draft.employer_kind == "unit" else card.name
    payload: dict[str, Any] = {
        "employer": {"kind": draft.employer_kind, "name": name,
                     "credit_code": credit_code.normalise(draft.credit_code)
                     if draft.employer_kind == "unit" else "",
                     "handler": {"id_number": card.id_number.upper(), "name": card.name},
                     "phone": draft.phone or draft.contact_phone},
        "title": job.name, "occupation_code": job.occupation_code,
        "headcount": draft.headcount, "pay": draft.pay, "pay_unit": draft.pay_unit,
        "gig": {"work_date": draft.work_dates[0] if draft.work_dates else draft.work_date,
                "more_dates": list(draft.work_dates[1:]),
                "start_time": draft.start_time,
                "duration_hours": draft.duration_hours, "settlement": draft.settlement}
        if draft.gig else None,
        "division_code": draft.division_code, "address": draft.address,
        "latitude": draft.latitude, "longitude": draft.longitude,
        "requirements": [r for r in draft.requirements if r][:8],
        "description": draft.description,
        "contact_phone": draft.contact_phone,
        "submitted_at": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    return payload


@dataclass(frozen=True)
class PostingOutcome:
    """What the screen and the slip show after 提交.

    ``delivered``: the platform answered; ``posting_no``/``manage_url`` then (待审核).
    ``refused``: the platform refused it (``message_zh`` says why; nothing to print).
    Otherwise the posting waits in the outbox under ``receipt_no``.
    """

    delivered: bool
    receipt_no: str
    posting_no: str | None = None
    manage_url: str = ""
    refused: bool = False
    refusal_zh: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def message_zh(self) -> str:
        if self.refused:
            return self.refusal_zh
        if not self.delivered:
            return (f"招聘信息已保存（回执号 {self.receipt_no}），网络恢复后将自动提交审核，"
                    "可凭身份证在任一驿站终端查询进度。")
        return f"招聘信息已提交，编号 {self.posting_no}，状态：待审核。审核通过后各驿站终端均可查到。"


class EmployerService:
    """Submits postings through the outbox and reads their audit states.

    Args:
        records: the kiosk's own records (outbox item + ``kiosk_postings`` row).
        client: callable returning the ``PlatformClient`` (or None when not configured).
        wait_s: seconds the screen waits for the platform before showing the offline receipt.
        now: UTC time source (``submitted_at``).
    """

    def __init__(self, records: KioskRecords, client: Callable[[], Any], wait_s: float = 4.0,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.records = records
        self.outbox = records.outbox
        self._client = client
        self.wait_s = wait_s
        self._now = now
        from kiosk.services.text_handoff import TextHandoffService

        #: 详细说明 typed on the employer's phone (:mod:`kiosk.services.text_handoff`)
        self.handoff: TextHandoffService = TextHandoffService(client, now)

    def submit(self, card: Any, draft: PostingDraft) -> PostingOutcome:
        """Enqueue, kick the worker, wait up to ``wait_s`` for the platform's answer.

        Raises:
            PostingError: the draft is incomplete (:func:`draft_problems`) or malformed.
            kiosk.services.outbox.StorageFull / StorageError: the terminal cannot store it.
        """
        from kiosk.services.outbox import InvalidPayload

        problems = draft_problems(draft)
        if problems:
            raise PostingError("；".join(problems))
        payload = posting_payload(card, draft, self._now())
        try:
            sent = self.records.submit_posting("gig" if draft.gig else "job", payload,
                                               self.wait_s)
        except InvalidPayload as exc:
            logger.warning("posting payload refused: %s", ", ".join(exc.fields))
            raise PostingError("招聘信息不完整：" + "、".join(exc.fields)) from exc
        if sent.delivered:
            return PostingOutcome(True, sent.receipt_no, sent.result.get("posting_no"),
                                  str(sent.result.get("manage_url", "")))
        item = self.outbox.item(sent.item_id)
        if item.state == "dead":
            error = item.last_error or ""
            code = next((c for c in REFUSALS if c in error), "")
            # A refusal needs no technician: nothing of it is kept for a resend.
            self.outbox.discard(sent.item_id)
            return PostingOutcome(False, sent.receipt_no, refused=True,
                                  refusal_zh=REFUSALS.get(code, "平台未接受这条招聘信息，请到人工窗口咨询"))
        return PostingOutcome(False, sent.receipt_no)

    def progress(self, card: Any) -> list[Any] | None:
        """The handler's postings (``PostingStatus``, newest first), or None when the platform
        cannot be asked now."""
        from kiosk.platform.errors import PlatformError

        client = self._client()
        if client is None:
            return None
        try:
            return list(client.postings_of(card.id_number))
        except PlatformError as exc:
            logger.info("posting progress unavailable: %s", type(exc).__name__)
            return None


__all__ = ["PostingDraft", "PostingOutcome", "PostingError", "EmployerService",
           "draft_problems", "pay_check", "posting_payload", "REFUSALS"]
