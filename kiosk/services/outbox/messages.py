"""What a screen tells the jobseeker about an outbox item (Simplified Chinese and English).

The issue's promise: a registration made offline gets a receipt number and the message that it
will be submitted automatically, so the jobseeker does not have to come back.
"""

from __future__ import annotations

_WHAT = {
    "registration": ("求职登记", "job-seeker registration"),
    "referral": ("岗位推荐", "referral"),
    "assistance": ("业务申请", "request"),
    "rating": ("服务评价", "rating"),
    "application": ("办件申请", "application"),
    "posting": ("招聘信息", "job posting"),
}


def queued_message(kind: str, receipt_no: str, language: str = "zh_CN") -> str:
    """The message for an item saved on the terminal but not yet acknowledged.

    Args:
        kind: ``"registration"``, ``"referral"`` or ``"assistance"``.
        receipt_no: :attr:`OutboxReceipt.receipt_no`.
        language: ``"zh_CN"`` or ``"en"`` (``[accessibility].language``).

    Raises:
        KeyError: unknown kind.
    """
    zh, en = _WHAT[kind]
    if language == "en":
        return (f"Your {en} has been saved on this terminal (receipt no. {receipt_no}). "
                "It will be submitted automatically when the network is back; "
                "you do not need to come again.")
    return (f"您的{zh}已保存在本终端，回执号：{receipt_no}。网络恢复后系统将自动提交，"
            "无需再次前来办理。")


def delivered_message(kind: str, platform_no: str, language: str = "zh_CN") -> str:
    """The message once the platform acknowledged, with its number (registration/ticket no.).

    Raises:
        KeyError: unknown kind.
    """
    zh, en = _WHAT[kind]
    if language == "en":
        return f"Your {en} has been submitted (no. {platform_no})."
    return f"您的{zh}已提交成功，编号：{platform_no}。"


__all__ = ["queued_message", "delivered_message"]
