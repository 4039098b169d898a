"""就业帮办 (assistance requests): 失业登记, 就业困难人员认定申请, 补贴申领, 职业指导预约.

The jobseeker confirms identity by card, leaves a phone number, and gets a ticket number that
station staff follow up. Like registrations, requests go through the outbox: delivered within
``wait_s`` → the platform's ticket number; otherwise the receipt number and automatic delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.identity_card import IdentityCard
from kiosk.services.consent import consent_record
from kiosk.services.journey_store import KioskRecords

# contract kind → (Chinese name, what to bring)
ASSISTANCE_SERVICES: dict[str, tuple[str, str]] = {
    "unemployment_registration": ("失业登记", "身份证；如有劳动合同解除证明请一并带上"),
    "employment_difficulty_certification": ("就业困难人员认定申请", "身份证及相关证明材料"),
    "subsidy_application": ("补贴申领", "身份证、银行卡及相关证明"),
    "career_guidance_appointment": ("职业指导预约", "身份证；可带上个人简历"),
}


@dataclass(frozen=True)
class AssistanceOutcome:
    delivered: bool
    receipt_no: str
    ticket_no: str | None = None
    follow_up: str = ""

    @property
    def number(self) -> str:
        return self.ticket_no or self.receipt_no

    @property
    def message_zh(self) -> str:
        if self.delivered:
            return f"已受理，业务编号 {self.ticket_no}。驿站工作人员将在2个工作日内与您联系。"
        return (f"申请已保存（回执号 {self.receipt_no}），网络恢复后将自动提交；"
                "驿站工作人员收到后会与您联系。")


class AssistanceService:
    """就业帮办 requests: the outbox item and the ``kiosk_assistance`` row (``records``)."""

    def __init__(self, records: KioskRecords, wait_s: float = 4.0) -> None:
        self.records = records
        self.wait_s = wait_s

    def submit(self, kind: str, card: IdentityCard, phone: str, note: str = "",
               consent: dict[str, Any] | None = None) -> AssistanceOutcome:
        """Enqueue an ``AssistanceRequest`` (docs/openapi.yaml) and wait briefly for its ticket.

        ``consent`` is the record the person gave on the notice (a fresh ``assistance`` record
        when None, for technician tools).

        Raises:
            KeyError: unknown ``kind``; kiosk.services.outbox.InvalidPayload / StorageFull.
        """
        if kind not in ASSISTANCE_SERVICES:
            raise KeyError(kind)
        payload = {
            "kind": kind,
            "jobseeker": {"id_number": card.id_number.upper(),
                          "name": card.name or card.name_en or "", "phone": phone},
            "note": note,
            "consent": consent or consent_record(["assistance"]),
        }
        sent = self.records.submit_assistance(kind, payload, self.wait_s)
        return AssistanceOutcome(sent.delivered, sent.receipt_no, sent.result.get("ticket_no"),
                                 sent.result.get("follow_up", ""))
