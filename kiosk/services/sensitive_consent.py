"""The separate consent for sensitive personal information (PIPL 第二十八条、第二十九条).

Asked on its own screen, after the ordinary notice and only when the person is about to answer
questions about disability, 低保, drug rehabilitation, prison release or mental-disorder
recovery (the 就业困难 self-check and 认定, the 失业登记 health status 残疾 and 失业原因 70). PIPL
第三十条 requires telling the person why the information is necessary and how it affects them.
The record goes with the application as ``sensitive_consent`` (purpose ``sensitive_key_group``);
declining only skips those questions.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, UTC
from typing import Any

SENSITIVE_CONSENT_VERSION = "2026-12-sensitive-v1"
PURPOSE = "sensitive_key_group"

NOTICE_ZH = (
    "敏感个人信息单独同意\n"
    "接下来的问题涉及残疾、最低生活保障、戒毒康复、刑满释放、精神障碍康复等情况，属于敏感个人信息。\n"
    "1. 用途：仅用于判断您可能属于哪一类就业困难人员，或随本次申请提交给经办机构审核。\n"
    "2. 影响：不回答不影响其他业务办理，只是无法据此为您提示相关类别。\n"
    "3. 保护：不打印在任何回执上，不写入本机日志；本机只在提交成功前加密暂存，提交后立即删除。\n"
    "4. 您可以不同意：点“不同意”将跳过这些问题。"
)
NOTICE_EN = (
    "Separate consent for sensitive personal information\n"
    "The next questions concern disability, minimum living allowance, drug rehabilitation, release "
    "from prison or recovery from a mental disorder: sensitive personal information.\n"
    "1. Use: only to tell which category of employment difficulty may apply to you, or sent with "
    "this application for the office to review.\n"
    "2. Effect: not answering does not affect other services; those categories just cannot be "
    "suggested.\n"
    "3. Protection: never printed on a slip, never written to this terminal's logs; kept encrypted "
    "only until submitted, then deleted.\n"
    "4. You may decline: the questions are skipped."
)


def sensitive_notice(language: str) -> str:
    return NOTICE_EN if language == "en" else NOTICE_ZH


def sensitive_consent_record(accepted_at: datetime | None = None) -> dict[str, Any]:
    """The ``sensitive_consent`` object (``docs/openapi.yaml`` ``Consent``, purpose
    ``sensitive_key_group``); the digest is over the Chinese text."""
    when = (accepted_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": SENSITIVE_CONSENT_VERSION,
        "text_sha256": hashlib.sha256(NOTICE_ZH.encode("utf-8")).hexdigest(),
        "accepted_at": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "purposes": [PURPOSE],
    }


__all__ = ["sensitive_consent_record", "sensitive_notice", "SENSITIVE_CONSENT_VERSION", "PURPOSE"]
