"""好差评 levels, labels and reason chips, and the rating the platform receives.

Levels and labels are the national convention (``employment-services.md`` §8.2, 国办发〔2019〕51号
and the national 好差评 specification): five levels, 5 = ★★★★★ 非常满意 … 1 = ★ 非常不满意. A
rating of 1 or 2 (不满意 / 非常不满意) is a 差评: the platform turns it into a work order the
station must answer (核实—整改—反馈, §8.1). Reason chips are offered for those two levels only
and are optional (issue 21; §8.4 suggests requiring one — never block the jobseeker).

The chips are the kiosk's own list, versioned as :data:`REASONS_VERSION`, grouped by the offline
indicators of §8.2 (整体满意度, 服务效率, 服务水平); the national versioned evaluation content was
not readable **(unclear)**, so the platform receives codes plus the version, never free text.

Nothing in a rating is personal: the platform knows who did the transaction from its number
(实名评价 is bound to the 办件, §8.4), so the payload carries no identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, UTC
from typing import Any

#: ``level → (Chinese label, English label)``; the Chinese labels are the official ones.
LEVELS: dict[int, tuple[str, str]] = {
    5: ("非常满意", "Very satisfied"),
    4: ("满意", "Satisfied"),
    3: ("基本满意", "Fairly satisfied"),
    2: ("不满意", "Dissatisfied"),
    1: ("非常不满意", "Very dissatisfied"),
}
#: Levels that are a 差评 (bad rating → follow-up work order at the platform).
BAD_LEVELS = frozenset({1, 2})
#: Levels counted as satisfied in the satisfaction rate (基本满意 and better).
SATISFIED_LEVELS = frozenset({3, 4, 5})

REASONS_VERSION = "gd-kiosk-2026.1"


@dataclass(frozen=True)
class ReasonChip:
    """One reason chip: code (sent), labels (shown), the §8.2 indicator it belongs to."""

    code: str
    zh: str
    en: str
    indicator: str


REASON_CHIPS: tuple[ReasonChip, ...] = (
    ReasonChip("not_done", "事情没办成", "Could not get it done", "整体满意度"),
    ReasonChip("too_slow", "办理时间太长", "Took too long", "服务效率"),
    ReasonChip("hard_to_use", "操作不方便", "Hard to use", "服务水平"),
    ReasonChip("unclear_guide", "指引说明不清楚", "Instructions unclear", "服务水平"),
    ReasonChip("device_fault", "设备故障（读卡、打印等）", "Device fault (card, printer…)",
               "服务水平"),
    ReasonChip("wrong_info", "信息不准确", "Information was wrong", "服务水平"),
)
REASON_CODES = frozenset(chip.code for chip in REASON_CHIPS)


def label(level: int, language: str = "zh_CN") -> str:
    """The label of a level (``label(5)`` → ``"非常满意"``). Raises KeyError for a bad level."""
    zh, en = LEVELS[level]
    return en if language == "en" else zh


def check_rating(level: int, reasons: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate a rating; returns the reasons sorted and de-duplicated.

    Raises:
        ValueError: level not 1–5, reasons with a level above 2, or an unknown reason code.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValueError("rating level must be a whole number 1–5 (5 = 非常满意)")
    chosen = tuple(sorted(set(reasons)))
    if chosen and level not in BAD_LEVELS:
        raise ValueError("reason chips are only for 不满意 / 非常不满意 (levels 1–2)")
    unknown = [code for code in chosen if code not in REASON_CODES]
    if unknown:
        raise ValueError(f"unknown reason code(s): {', '.join(unknown)}")
    return chosen


def more_url(template: str, platform_base: str, transaction_no: str) -> str:
    """The phone page where a 差评 can be explained at more length (the rating screen's QR).

    ``template`` is ``[transactions] rating_more_url`` with ``{transaction_no}``; "" = the
    platform's ``/ratings/{transaction_no}`` page beside its API (``platform_base`` without
    ``/v1``; an assumption like the other phone links: the sandbox serves no such page). The QR
    holds only the 办件 number, never who rated.
    """
    if not template:
        root = platform_base.rstrip("/")
        root = root[:-3] if root.endswith("/v1") else root
        template = (root or "https://platform.invalid") + "/ratings/{transaction_no}"
    return template.replace("{transaction_no}", transaction_no)


def iso_utc(epoch_s: float) -> str:
    """``2026-11-30T08:00:00.000000Z``: the contract's time format."""
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rating_payload(transaction_no: str, kind: str, level: int, reasons: tuple[str, ...],
                   completed_at: float, rated_at: float) -> dict[str, Any]:
    """The ``RatingRequest`` body of ``POST /v1/ratings`` (``docs/openapi.yaml``)."""
    return {
        "transaction_no": transaction_no,
        "transaction_kind": kind,
        "level": level,
        "reasons": list(reasons),
        "content_version": REASONS_VERSION,
        "channel": "self_service_terminal",
        "completed_at": iso_utc(completed_at),
        "rated_at": iso_utc(rated_at),
    }


__all__ = ["LEVELS", "BAD_LEVELS", "SATISFIED_LEVELS", "REASONS_VERSION", "ReasonChip",
           "REASON_CHIPS", "REASON_CODES", "label", "more_url", "check_rating", "rating_payload", "iso_utc"]
