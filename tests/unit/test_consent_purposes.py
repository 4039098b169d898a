"""The personal-information notice names every service that reads the card (PIPL Art. 17(1)(2):
the purpose is told before processing), in both languages."""

from __future__ import annotations

from kiosk.services.consent import CONSENT_VERSION, NOTICE_EN, NOTICE_ZH, consent_record


def test_every_card_reading_service_is_named_in_the_purpose_line() -> None:
    purpose = next(line for line in NOTICE_ZH.splitlines() if line.startswith("2. 用途"))
    for service in ("求职登记", "岗位推荐", "就业援助", "零工报名", "招聘会", "职业指导", "发布岗位"):
        assert service in purpose
    purpose_en = next(line for line in NOTICE_EN.splitlines() if line.startswith("2. Why"))
    for service in ("registration", "referral", "assistance", "gig", "job fair", "career guidance",
                    "employer"):
        assert service in purpose_en


def test_the_record_names_the_new_version() -> None:
    assert CONSENT_VERSION == "2026-12-v2"
    assert consent_record(["gig_signup"])["version"] == "2026-12-v2"
