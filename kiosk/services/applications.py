"""就业援助 applications at the kiosk: 失业登记, 灵活就业登记 and 就业困难人员认定 (issue 18).

* :meth:`ApplicationService.prefill` asks the platform what it knows about the person (户籍,
  常住地, 学历, registration status, latest 失业登记 date); None when it cannot be asked now.
* :meth:`ApplicationService.submit` puts the ``ApplicationRequest`` (``docs/openapi.yaml``) in
  the outbox with the kiosk's own record in ONE transaction, kicks the worker and waits up to
  ``wait_s`` seconds: delivered → the platform's :class:`~kiosk.platform.models.Application`
  (办件号, state, time limit, progress URL; a refusal such as "already registered" is the state
  ``not_accepted`` with its plain-Chinese reason); not delivered → the local receipt number and
  "已保存，联网后自动提交". The ``Idempotency-Key`` makes a late delivery count once.
* :meth:`ApplicationService.of_person` / :meth:`status`: 办件查询.

Sensitive answers (残疾 / 健康状况 6, 失业原因 70 刑满释放, 就业困难 categories 2, 3, 8, 9, 10;
PIPL 第二十八条) are sent only with the separate ``sensitive_consent`` (PIPL 第二十九条;
:func:`kiosk.services.sensitive_consent.sensitive_consent_record`), stored on the terminal only
inside the sealed outbox payload (deleted when the platform acknowledges, :class:`Outbox`), never
in the kiosk's record (numbers only), never logged (this module logs kinds and counts only) and
never printed (:mod:`kiosk.services.slip.acceptance`).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from kiosk.domain import applications as rules
from kiosk.services.journey_store import KioskRecords
from kiosk.services.registration import DOCUMENT_TYPES, SEX

logger = logging.getLogger(__name__)

class ApplicationError(Exception):
    """The application cannot be submitted from the kiosk; ``message_zh`` says why and what to do."""

    def __init__(self, message_zh: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.fields = fields


@dataclass
class ApplicationDraft:
    """The answers of one application (personal data: nothing here is logged or printed; the
    journey clears it when the session ends). Codes: divisions GB/T 2260, education GB/T 4658,
    失业原因 :mod:`kiosk.domain.codes.unemployment_reasons`, 健康状况 GB/T 2261.3 groups,
    残疾 :mod:`kiosk.domain.codes.disability`, 灵活就业 :mod:`kiosk.domain.codes.flexible_employment`,
    categories of 粤人社规〔2023〕11号 第一条."""

    kind: str = ""
    phone: str = field(default="", repr=False)
    hukou_division: str = field(default="", repr=False)
    residence_division: str = field(default="", repr=False)
    education_code: str = field(default="", repr=False)
    reason_code: str = field(default="", repr=False)
    other_reason: str = field(default="", repr=False)
    unemployed_since: str = field(default="", repr=False)
    health_code: str = field(default="", repr=False)
    disability_document: str = field(default="", repr=False)
    disability_category: str = field(default="", repr=False)
    disability_grade: str = field(default="", repr=False)
    claims_insurance: bool = field(default=False, repr=False)
    flexible_type: str = field(default="", repr=False)
    started_on: str = field(default="", repr=False)
    workplace_division: str = field(default="", repr=False)
    employer_name: str = field(default="", repr=False)
    monthly_income: int | None = field(default=None, repr=False)
    categories: tuple[int, ...] = field(default=(), repr=False)

    def clear(self) -> None:
        for name, value in ApplicationDraft().__dict__.items():
            setattr(self, name, value)


def application_payload(card: Any, draft: ApplicationDraft, consent: dict[str, Any],
                        sensitive_consent: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``ApplicationRequest`` body from the card (``IdentityCard``), the draft and consents.

    Raises:
        ApplicationError: unknown kind, a sex code the contract cannot carry, or a payload the
            contract refuses (``fields`` names the paths, never values) — including sensitive
            answers without ``sensitive_consent``.
    """
    if draft.kind not in rules.KINDS:
        raise ApplicationError("请先选择要办理的事项。", ("kind",))
    sex = SEX.get(str(card.gender_code))
    if sex is None:
        raise ApplicationError("证件性别信息无法自助办理，请到人工窗口办理。", ("identity.sex",))
    body: dict[str, Any] = {
        "kind": draft.kind,
        "identity": {
            "document_type": DOCUMENT_TYPES.get(card.card_type.value, "resident_id"),
            "id_number": card.id_number.upper(), "name": card.name or (card.name_en or ""),
            "sex": sex, "birth_date": card.birth_date.isoformat(),
            "ethnicity_code": (card.ethnicity_code or "") if card.card_type.value == "resident" else "",
        },
        "phone": draft.phone, "hukou_division": draft.hukou_division,
        "residence_division": draft.residence_division,
        "education_code": draft.education_code or "90", "consent": consent,
    }
    if sensitive_consent is not None:
        body["sensitive_consent"] = sensitive_consent
    if draft.kind == rules.UNEMPLOYMENT:
        details: dict[str, Any] = {"reason_code": draft.reason_code,
                                   "other_reason": draft.other_reason,
                                   "unemployed_since": draft.unemployed_since,
                                   "health_code": draft.health_code,
                                   "claims_insurance": draft.claims_insurance}
        if draft.health_code == "6" and draft.disability_document:
            details["disability"] = {"document_type": draft.disability_document,
                                     "category": draft.disability_category,
                                     "grade": draft.disability_grade}
        body["unemployment"] = details
    elif draft.kind == rules.FLEXIBLE:
        flexible: dict[str, Any] = {"type_code": draft.flexible_type,
                                    "started_on": draft.started_on,
                                    "workplace_division": draft.workplace_division,
                                    "employer_name": draft.employer_name}
        if draft.monthly_income is not None:
            flexible["monthly_income"] = draft.monthly_income
        body["flexible_employment"] = flexible
    else:
        body["hardship"] = {"categories": sorted(set(draft.categories))}
    _check(body)
    return body


def _check(body: dict[str, Any]) -> None:
    from pydantic import ValidationError  # the wire models, on first use (issue 23: start-up)

    from kiosk.platform.submissions import (ApplicationRequest, carries_sensitive,
                                            sensitive_consent_given)

    try:
        parsed = ApplicationRequest.model_validate(body)
    except ValidationError as exc:
        fields = tuple(".".join(str(p) for p in e["loc"][1:]) or "<body>" for e in exc.errors()
                       if e["loc"] and e["loc"][0] == body["kind"]) or ("<body>",)
        raise ApplicationError("申请信息不完整或有误，请检查：" + "、".join(fields), fields) from exc
    if carries_sensitive(parsed.root) and not sensitive_consent_given(parsed.root):
        raise ApplicationError("涉及敏感个人信息的内容需要您单独同意后才能提交。",
                               ("sensitive_consent",))


@dataclass(frozen=True)
class ApplicationOutcome:
    """What the screen and the slip show after submitting.

    Attributes:
        delivered: the platform answered within the wait.
        receipt_no: the kiosk's local receipt number (always).
        kind: the item.
        application: the platform's ``Application`` as a dict (no personal data), or None.
    """

    delivered: bool
    receipt_no: str
    kind: str
    application: dict[str, Any] | None = None

    @property
    def application_no(self) -> str:
        return str(self.application["application_no"]) if self.application else ""

    @property
    def state(self) -> str:
        return str(self.application["state"]) if self.application else ""

    @property
    def lines_zh(self) -> tuple[str, ...]:
        """The plain-Chinese result, line by line (reason and every missing item included)."""
        name = rules.KIND_NAMES_ZH[self.kind]
        if not self.delivered or self.application is None:
            return (f"{name}申请已保存，联网后自动提交。", f"回执号：{self.receipt_no}",
                    "无需再来办理；提交后可在“办件查询”查看办件号和进度。")
        return application_lines_zh(self.application)


def application_lines_zh(app: dict[str, Any]) -> tuple[str, ...]:
    """An ``Application`` in plain Chinese: item and number, state and what it means, the time
    limit (while the case is undecided), the reason of a refusal (with the 重核 deadline) and **every** missing item."""
    state = str(app.get("state", ""))
    lines = [f"{rules.KIND_NAMES_ZH.get(str(app.get('kind')), '')}  办件号：{app.get('application_no')}",
             f"当前状态：{rules.state_label(state)}",
             rules.STATE_EXPLAINED_ZH.get(state, "")]
    if app.get("reason"):
        lines.append(f"原因：{app['reason']}")
    missing = [str(m) for m in app.get("missing_items") or []]
    if missing:
        lines.append(f"需补充以下{len(missing)}项材料：" + "；".join(
            f"{i}. {m}" for i, m in enumerate(missing, 1)))
    if app.get("appeal_until"):
        lines.append(f"如有异议，可在{app['appeal_until']}前申请重核。")
    limit = app.get("time_limit") or {}
    decided = state in rules.FINAL_STATES or state == "certified"   # 已认定 is decided too
    if limit.get("text") and not decided:
        lines.append(f"办理时限：{limit['text']}")
    return tuple(line for line in lines if line)


class ApplicationService:
    """Prefill, submit (through the outbox) and query applications.

    Args:
        records: the kiosk's own records (outbox item + ``kiosk_applications`` row).
        client: returns the ``PlatformClient``, or None when none is configured.
        wait_s: seconds the screen waits for the platform's answer before the offline receipt.
    """

    def __init__(self, records: KioskRecords, client: Callable[[], Any],
                 wait_s: float = 4.0) -> None:
        self.records = records
        self._client = client
        self.wait_s = wait_s

    def _ask(self, what: str, call: Callable[[Any], Any]) -> Any:
        from kiosk.platform.errors import PlatformError

        client = self._client()
        if client is None:
            return None
        try:
            return call(client)
        except PlatformError as exc:
            logger.info("applications: %s unavailable (%s)", what, type(exc).__name__)
            return None

    def prefill(self, card: Any) -> Any:
        """The platform's ``ApplicationPrefill`` for this card, or None (offline, not configured)."""
        return self._ask("prefill", lambda c: c.application_prefill(card.id_number))

    def of_person(self, card: Any) -> list[dict[str, Any]] | None:
        """The person's applications (``Application`` dicts, newest first), or None offline."""
        found = self._ask("query", lambda c: c.applications_of(card.id_number))
        return None if found is None else [a.model_dump() for a in found]

    def status(self, application_no: str) -> dict[str, Any] | None:
        """One application by number, or None (offline, or the platform does not know it)."""
        found = self._ask("status", lambda c: c.application(application_no))
        return None if found is None else dict(found.model_dump())

    def submit(self, card: Any, draft: ApplicationDraft, consent: dict[str, Any],
               sensitive_consent: dict[str, Any] | None = None) -> ApplicationOutcome:
        """Enqueue the application with the kiosk's record, kick the worker, wait ``wait_s``.

        Raises:
            ApplicationError: the answers cannot be submitted (message for the screen).
            kiosk.services.outbox.StorageFull / StorageError: the terminal cannot store it.
        """
        from kiosk.services.outbox import InvalidPayload

        payload = application_payload(card, draft, consent, sensitive_consent)
        try:
            sent = self.records.submit_application(draft.kind, payload, self.wait_s)
        except InvalidPayload as exc:
            logger.warning("application payload refused: %s", ", ".join(exc.fields))
            raise ApplicationError("申请信息不完整：" + "、".join(exc.fields)) from exc
        except sqlite3.Error as exc:  # the kiosk record failed inside the outbox transaction
            raise ApplicationError("本机暂时无法保存申请，请联系驿站工作人员。") from exc
        logger.info("application (%s) %s", draft.kind, "delivered" if sent.delivered else "queued")
        return ApplicationOutcome(sent.delivered, sent.receipt_no, draft.kind,
                                  sent.result if sent.delivered and sent.result else None)


def acceptance_slip(station: Any, card: Any, kind: str, receipt_no: str,
                    application: dict[str, Any] | None, submitted_at: Any) -> Any:
    """The :class:`~kiosk.services.slip.acceptance.AcceptanceSlip` of an application.

    ``station``: the ``StationInfo`` (name, hotline, complaint) or None (then the station name
    is "就业驿站" and the hotline 12333); ``application``: the platform's ``Application`` dict,
    or None offline; ``submitted_at``: an aware datetime (the platform's ``submitted_at`` is used
    when there is one).
    """
    from kiosk.platform.wire_formats import parse_iso
    from kiosk.services.slip.acceptance import AcceptanceSlip

    app = application or {}
    when = parse_iso(str(app["submitted_at"])) if app.get("submitted_at") else submitted_at
    return AcceptanceSlip(
        station_name=getattr(station, "name", "") or "就业驿站",
        hotline=getattr(station, "hotline", "") or "12333",
        complaint=getattr(station, "complaint", "") or "12333", kind=kind,
        receipt_no=receipt_no, submitted_at=when, name=card.name or (card.name_en or ""),
        id_number=card.id_number, application_no=str(app.get("application_no") or ""),
        state=str(app.get("state") or ""), progress_url=str(app.get("progress_url") or ""),
        reason=str(app.get("reason") or ""))


def print_acceptance(printer: Any, slip: Any) -> Any:
    """Lay out, encode and print ``slip`` on the kiosk's ``ReceiptPrinter`` (blocking: call it
    off the UI thread). Returns the printer's ``JobReport``.

    Raises:
        kiosk.devices.printer.PrinterError (paper end, cover open, no answer …), SlipError.
    """
    from kiosk.services.slip.acceptance import layout_acceptance
    from kiosk.services.slip.encode import encode_slip

    layout = layout_acceptance(slip, printer.profile)
    return printer.print_bytes(encode_slip(layout, printer.profile))


__all__ = ["ApplicationService", "acceptance_slip", "print_acceptance", "ApplicationDraft",
           "ApplicationOutcome", "ApplicationError", "application_payload", "application_lines_zh"]
