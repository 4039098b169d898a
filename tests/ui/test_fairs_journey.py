"""招聘会 by touch (issue 20): the home button → the fairs near the station → a fair → sign up
with the 居民身份电子凭证 (the sandbox plays the phone) → the 报到码 on screen and on paper (both
decoded) → check in at the kiosk by scanning that slip (the scanner simulator) → a code that is
not ours does nothing."""

from __future__ import annotations

import pytest

from tests.ui.audit import audit

pytestmark = pytest.mark.ui


def _audited(ui, name: str) -> None:
    """Touch targets, text size, overflow, clipping and contrast of the shown screen."""
    ui.pump(3)
    findings = audit(ui.app.root, name, False)
    assert findings == [], "\n".join(map(str, findings))


def _today_fair(ui) -> str:
    fairs = ui.app.services.fairs
    ui.wait_until(lambda: fairs.store.count() >= 4, 30, "fairs synced from the sandbox")
    return fairs.board(limit=1)[0].id


def test_sign_up_with_the_eid_then_check_in_by_scanning_the_slip(ui):
    from tests.ui.test_jobs_journey import _decode_screen_qr, _slips

    fair_id = _today_fair(ui)
    assert fair_id.endswith("-C")
    before = len(_slips(ui))
    ui.tap(id="btn_fairs")
    listing = ui.wait_screen("fairs")
    ui.wait_until(lambda: len(listing.ids.fair_list.children) >= 3, 10, "fairs listed")
    ui.screenshot("fairs-list")
    _audited(ui, "fairs")
    ui.tap(text=next(t for t in ui.texts(listing) if "社区微型招聘会｜" in t))
    detail = ui.wait_screen("fair_detail")
    assert "天河南街道社区微型招聘会" in detail.title_text
    _audited(ui, "fair_detail")
    ui.tap(id="fair_sign_up")
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    ui.tap(id="eid_button")
    eid = ui.wait_screen("eid_login")
    ui.wait_until(lambda: eid.qr_data.startswith("https://"), 10, "e-ID QR shown")
    ui.screenshot("eid-login")
    _audited(ui, "eid_login")
    ui.tap(id="eid_demo_approve")
    signup = ui.wait_screen("fair_signup", 20)
    ui.wait_until(lambda: signup.done, 15, "signed up")
    assert ui.app.services.session.current.identity.card_type.value == "e_id"
    ui.wait_until(lambda: "已打印" in signup.print_text, 20, "slip printed")
    shot = ui.screenshot("fair-signup")
    assert signup.qr_data in _decode_screen_qr(shot)               # the phone sees the same
    slips = _slips(ui)
    assert len(slips) == before + 1
    assert signup.qr_data.encode() in slips[-1].read_bytes()        # the paper carries it too
    assert "陈*满" in signup.person_text
    _audited(ui, "fair_signup")
    ui.tap(id="signup_finish")
    ui.wait_screen("home")

    ui.tap(id="btn_fairs")
    ui.wait_screen("fairs")
    ui.tap(id="fairs_checkin")
    checkin = ui.wait_screen("fair_checkin")
    ui.app.services.demo_scan("6901234567892")                     # a bottle's barcode
    ui.wait_until(lambda: checkin.message == "这不是本站的二维码", 10, "not ours")
    ui.tap(id="checkin_demo_scan")
    ui.wait_until(lambda: checkin.result == "ok", 15, "checked in")
    assert checkin.message == "签到成功：天河南街道社区微型招聘会，请入场"
    ui.screenshot("fair-checkin")
    _audited(ui, "fair_checkin")
    ui.tap(id="checkin_finish")
    ui.wait_screen("home")
    assert "陈*满" not in " ".join(ui.texts())
