"""求职登记 (jobseeker registration): from the card and the form to the platform, online or
through the outbox.

Every registration is enqueued in the outbox (encrypted) together with the kiosk's own record,
then the worker is kicked and the screen waits up to ``wait_s`` seconds for delivery. Delivered:
the platform's registration number (and whether it was new, an update, or already there).
Not delivered in time: the receipt number and "will be submitted automatically". Either way
nothing is lost, and the idempotency key makes a late delivery count once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from kiosk.domain.codes.key_groups import CONTRACT_CODES
from kiosk.domain.identity_card import IdentityCard
from kiosk.services.consent import consent_record
from kiosk.services.journey_store import KioskRecords

if TYPE_CHECKING:
    from kiosk.platform.models import LookupResult

logger = logging.getLogger(__name__)

DOCUMENT_TYPES = {"resident": "resident_id", "hk_macao_taiwan": "hk_mo_tw_residence",
                  "foreign_permanent_2017": "foreign_permanent",
                  "foreign_permanent_2023": "foreign_permanent"}
SEX = {"1": "male", "2": "female"}
# 到岗时间 from the form (kiosk.services.registration_form) to the contract's enum.
AVAILABILITY = {"NOW": "immediately", "WEEK": "within_week", "MONTH": "within_month"}


class RegistrationError(Exception):
    """The registration cannot be submitted from the kiosk; ``message_zh`` says what to do."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class RegistrationOutcome:
    delivered: bool
    receipt_no: str
    registration_no: str | None = None
    status: str | None = None          # created | updated | already_registered (when delivered)

    @property
    def message_zh(self) -> str:
        if not self.delivered:
            return f"登记已保存（回执号 {self.receipt_no}），网络恢复后将自动提交，无需再来办理。"
        if self.status == "updated":
            return f"您的求职登记已更新，登记号 {self.registration_no}。"
        if self.status == "already_registered":
            return f"您已登记过，登记号 {self.registration_no}。"
        return f"求职登记成功，登记号 {self.registration_no}。"


def identity_payload(card: IdentityCard) -> dict[str, Any]:
    """The ``identity`` object of the contract from an ``IdentityCard``.

    Raises:
        RegistrationError: a sex code the contract cannot carry (0 未知 / 9 未说明).
    """
    sex = SEX.get(str(card.gender_code))
    if sex is None:
        raise RegistrationError("证件性别信息无法自助登记，请到人工窗口办理")
    return {
        "document_type": DOCUMENT_TYPES.get(card.card_type.value, "resident_id"),
        "id_number": card.id_number.upper(),
        "name": card.name or (card.name_en or ""),
        "sex": sex,
        "birth_date": card.birth_date.isoformat(),
        "ethnicity_code": card.ethnicity_code or "" if card.card_type.value == "resident" else "",
    }


def registration_payload(card: IdentityCard, form: dict[str, Any], consent: dict[str, Any]) -> dict[str, Any]:
    """The ``RegistrationRequest`` body (docs/openapi.yaml) from card, form and consent.

    ``form`` keys: phone, education_code, desired_occupations, desired_divisions, salary_min,
    salary_max, employment_type, key_groups (catalog codes such as "GRADUATE"), availability
    (NOW | WEEK | MONTH, sent as the contract's immediately | within_week | within_month).
    """
    payload: dict[str, Any] = {
        "identity": identity_payload(card),
        "phone": form.get("phone", ""),
        "education_code": form.get("education_code", "90"),
        "desired_occupations": list(form.get("desired_occupations", []))[:5],
        "desired_divisions": list(form.get("desired_divisions", []))[:5],
        "employment_type": form.get("employment_type", "FULL_TIME"),
        "key_groups": [CONTRACT_CODES[g] for g in form.get("key_groups", []) if g in CONTRACT_CODES],
        "availability": AVAILABILITY.get(form.get("availability", "NOW"), "immediately"),
        "consent": consent,
    }
    lo, hi = int(form.get("salary_min", 0) or 0), int(form.get("salary_max", 0) or 0)
    if lo or hi:
        payload["expected_salary"] = {"min": lo, "max": max(lo, hi), "unit": "MONTH"}
    return payload


class RegistrationService:
    """Looks up and submits registrations.

    Args:
        records: the kiosk's own records (outbox item + ``kiosk_registrations`` row).
        client: callable returning the ``PlatformClient`` (or None when not configured).
        wait_s: seconds the screen waits for an online answer before showing the offline receipt.
    """

    def __init__(self, records: KioskRecords, client: Callable[[], Any],
                 wait_s: float = 4.0) -> None:
        self.records = records
        self._client = client
        self.wait_s = wait_s

    def lookup(self, card: IdentityCard) -> LookupResult | None:
        """The platform's ``LookupResult`` for this person, or None when it cannot be asked now."""
        from kiosk.platform.errors import PlatformError

        client = self._client()
        if client is None:
            return None
        try:
            return client.lookup_jobseeker(card.id_number)
        except PlatformError as exc:
            logger.info("registration lookup unavailable: %s", type(exc).__name__)
            return None

    def submit(self, card: IdentityCard, form: dict[str, Any], consent: dict[str, Any] | None = None
               ) -> RegistrationOutcome:
        """Enqueue, kick the worker, wait up to ``wait_s`` for delivery.

        Raises:
            RegistrationError: the data cannot be submitted (message for the screen).
            kiosk.services.outbox.StorageFull / StorageError: the terminal cannot store it.
        """
        from kiosk.services.outbox import InvalidPayload

        payload = registration_payload(card, form, consent or consent_record(["registration"]))
        try:
            sent = self.records.submit_registration(payload, self.wait_s)
        except InvalidPayload as exc:
            logger.warning("registration payload refused: %s", ", ".join(exc.fields))
            raise RegistrationError("登记信息不完整：" + "、".join(exc.fields)) from exc
        return RegistrationOutcome(sent.delivered, sent.receipt_no,
                                   sent.result.get("registration_no"), sent.result.get("status"))
