"""The personal-information notice shown before the card is read, and the consent record.

PIPL (个人信息保护法) Art. 14 and 17: consent must be informed (what is processed, why, by whom,
how long, how to refuse) and given before processing; the record keeps which text was agreed
(version and SHA-256 of the exact text) and when. Declining reads nothing.
"""

from __future__ import annotations

from datetime import datetime, UTC
from typing import Any

CONSENT_VERSION = "2026-12-v2"  # v2: the purposes name every service that reads the card

NOTICE_ZH = (
    "个人信息处理告知\n"
    "1. 读取内容：身份证上的姓名、性别、民族、出生日期、住址、证件号码和有效期（不读取、不保存照片和指纹）。\n"
    "2. 用途：办理您选择的服务（求职登记、岗位推荐、就业援助申请和办件查询、零工报名、招聘会报名和签到、"
    "职业指导预约和简历、单位或个人发布岗位），建立您的就业服务档案。\n"
    "3. 接收方：广东省就业信息平台及本驿站工作人员；推荐单上只显示姓名（部分遮挡）和证件号后4位。\n"
    "4. 保存期限：本机只在提交成功前加密暂存，最长7天，提交后立即删除；平台按就业服务档案规定保存。\n"
    "5. 您可以拒绝：拒绝后不会读取任何信息，您仍可查看岗位和政策，或到人工窗口办理。\n"
    "6. 离开或长时间无操作时，本机会自动清除本次显示的全部信息。"
)
NOTICE_EN = (
    "How we use your personal information\n"
    "1. What is read: name, sex, ethnicity, date of birth, address, ID number and validity from your ID card "
    "(no photo or fingerprint is read or kept).\n"
    "2. Why: the service you chose (jobseeker registration, job referral, assistance applications and their "
    "progress, gig sign-up, job fair sign-up and check-in, career guidance booking and résumé, posting a "
    "vacancy as an employer); your employment service record.\n"
    "3. Who receives it: the Guangdong employment information platform and this station's staff; a referral "
    "slip shows only your masked name and the last 4 characters of your ID number.\n"
    "4. How long: this terminal keeps it encrypted only until it is submitted, 7 days at most, then deletes it.\n"
    "5. You may decline: nothing is read, and you can still browse jobs and policies or go to the counter.\n"
    "6. When you leave or stop using the screen, everything shown is cleared automatically."
)


def notice_text(language: str) -> str:
    return NOTICE_EN if language == "en" else NOTICE_ZH


def _sha256_hex(data: bytes) -> str:
    import hashlib  # imported on the first consent, not at start-up (OpenSSL's ~3 ms)

    return hashlib.sha256(data).hexdigest()


def consent_record(purposes: list[str], accepted_at: datetime | None = None) -> dict[str, Any]:
    """The ``consent`` object of the registration/assistance payload (docs/openapi.yaml ``Consent``).

    The digest is over the Chinese text, the legally binding version.
    """
    when = (accepted_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": CONSENT_VERSION,
        "text_sha256": _sha256_hex(NOTICE_ZH.encode("utf-8")),
        "accepted_at": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "purposes": list(purposes),
    }
