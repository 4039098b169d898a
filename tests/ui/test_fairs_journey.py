"""招聘会 by touch (issue 20): the home button → the fairs near the station (a full one says so
on its detail, without a sign-up button) → a fair → sign up with the 居民身份电子凭证 (a code
that is not ours does nothing, a used code says so with 重试; the sandbox plays the phone) →
the 报到码 on screen and on paper (both decoded) → check in by scanning that slip (the scanner
simulator); a code that is not ours does nothing, a 报到码 of a later fair explains the day.

Every fair screen is audited (touch targets, text size, overflow, clipping, contrast) portrait
and landscape, normal and 长辈模式, with a screenshot of each
(``tests/artifacts/<screen>[-elderly]-<orientation>.png``)."""

from __future__ import annotations

import pytest

from tests.ui.audit import audit

pytestmark = pytest.mark.ui


def _audited(ui, name: str, shot: str) -> None:
    """The audit of the shown screen in portrait and landscape, normal and 长辈模式, with a
    screenshot of each (ordered so each step changes one thing); back to portrait, normal."""
    findings: list = []
    for elderly, size in ((False, (1080, 1920)), (False, (1920, 1080)), (True, (1920, 1080)),
                          (True, (1080, 1920))):
        if ui.app.theme.elderly != elderly:
            ui.app.toggle_elderly()
        if tuple(ui.app.root.size) != size:
            ui.set_size(*size)
        ui.pump(3)
        label = f"{name}{' elderly' if elderly else ''} {size[0]}x{size[1]}"
        findings += audit(ui.app.root, label, elderly) + _tile_overlaps(ui.app.sm.current_screen)
        ui.screenshot(shot + ("-elderly" if elderly else ""))
    ui.app.toggle_elderly()
    ui.pump(3)
    assert findings == [], "\n".join(map(str, findings))


def _tile_overlaps(screen) -> list[str]:
    """Tiles of the screen's grids that overlap a neighbour or are shorter than their text."""
    found = []
    for grid_id in ("fair_list", "post_list"):
        grid = screen.ids.get(grid_id)
        if grid is None:
            continue
        tiles = list(grid.children)
        for i, a in enumerate(tiles):
            need = a.ids.big_title.texture_size[1] + a.ids.sub.texture_size[1]
            if a.height < need:
                found.append(f"{grid_id}: {a.text!r} {a.height:.0f} px < text {need:.0f} px")
            for b in tiles[i + 1:]:
                if a.collide_widget(b) and min(a.top, b.top) - max(a.y, b.y) > 1 \
                        and min(a.right, b.right) - max(a.x, b.x) > 1:
                    found.append(f"{grid_id}: {a.text!r} overlaps {b.text!r}")
    return found


def _full_fair_tomorrow(ui) -> str:
    """A fair tomorrow with one place, taken by someone else at the platform; synced here."""
    from dataclasses import replace
    from datetime import timedelta

    from kiosk.platform.sandbox.routes import fairs as fair_routes
    from kiosk.services.consent import consent_record

    services = ui.app.services
    today = services.fairs.board(limit=1)[0]
    full = replace(today, id=today.id + "-FULL", title="天河南街道家政服务专场",
                   starts_at=today.starts_at + timedelta(days=1, hours=10),
                   ends_at=today.starts_at + timedelta(days=1, hours=12), capacity=1)
    fair_routes.casework(services.sandbox.platform.store).put_fairs([full])
    other = type("Person", (), {"name": "张小明", "id_number": "449901199001011235"})()
    assert services.fairs.sign_up(full.id, other, consent_record(["fair_signup"], today.starts_at)).ok
    services.fairs.sync()
    return full.id


def _today_fair(ui) -> str:
    fairs = ui.app.services.fairs
    ui.wait_until(lambda: fairs.store.count() >= 4, 30, "fairs synced from the sandbox")
    return fairs.board(limit=1)[0].id


def test_sign_up_with_the_eid_then_check_in_by_scanning_the_slip(ui):
    from tests.ui.test_jobs_journey import _decode_screen_qr, _slips

    fair_id = _today_fair(ui)
    assert fair_id.endswith("-C")
    full_id = _full_fair_tomorrow(ui)
    before = len(_slips(ui))
    ui.tap(id="btn_fairs")
    listing = ui.wait_screen("fairs")
    ui.wait_until(lambda: len(listing.ids.fair_list.children) >= 4, 10, "fairs listed")
    full_row = next(t for t in ui.texts(listing) if "家政服务专场" in t)
    _audited(ui, "fairs", "fairs-list")
    ui.tap(text=full_row)
    detail = ui.wait_screen("fair_detail")
    assert detail.title_text == "天河南街道家政服务专场" and full_id
    assert ui.find(id="fair_status").text == "本场招聘会报名人数已满，请选择其他场次"
    assert detail.ids.fair_sign_up.opacity == 0 and detail.ids.fair_sign_up.disabled
    ui.screenshot("fair-detail-full")
    ui.tap(id="back")
    ui.wait_screen("fairs")
    ui.tap(text=next(t for t in ui.texts(listing) if "社区微型招聘会｜" in t))
    ui.wait_until(lambda: detail.title_text == "天河南街道社区微型招聘会", 10, "detail")
    assert detail.status_text == "" and detail.can_sign_up
    _audited(ui, "fair_detail", "fair-detail")
    ui.tap(id="fair_sign_up")
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    ui.tap(id="eid_button")
    eid = ui.wait_screen("eid_login")
    ui.wait_until(lambda: eid.qr_data.startswith("https://"), 10, "e-ID QR shown")
    qr = eid.qr_data
    ui.app.services.demo_scan("https://example.com/promo")         # not ours: nothing happens
    ui.wait_until(lambda: eid.message == "这不是本站的二维码", 10, "not ours")
    assert eid.qr_data == qr and not eid.failed
    code = ui.app.services.demo_eid_code()
    assert ui.app.services.eid.redeem(code).status == "approved"   # used once elsewhere
    ui.app.services.demo_scan(code)
    ui.wait_until(lambda: eid.failed, 10, "used code refused")
    assert eid.message == "此电子凭证码已使用过，请在手机上刷新后重新出示"
    assert ui.find(id="eid_retry").opacity == 1
    ui.screenshot("eid-login-used")
    ui.tap(id="eid_retry")
    ui.wait_until(lambda: eid.qr_data.startswith("https://") and eid.qr_data != qr, 10, "new QR")
    _audited(ui, "eid_login", "eid-login")
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
    _audited(ui, "fair_signup", "fair-signup")
    ui.tap(id="signup_finish")
    ui.wait_screen("rating")                       # 好差评 (issue 21), skipped with one tap
    ui.tap(id="skip_button")
    ui.wait_screen("home")

    ui.tap(id="btn_fairs")
    ui.wait_screen("fairs")
    ui.tap(id="fairs_checkin")
    checkin = ui.wait_screen("fair_checkin")
    ui.app.services.demo_scan("6901234567892")                     # a bottle's barcode
    ui.wait_until(lambda: checkin.message == "这不是本站的二维码", 10, "not ours")
    later = ui.app.services.fairs.fair(full_id)                     # a 报到码 for tomorrow
    ui.app.services.demo_scan(f"GDJY:FAIR:1:{full_id}:{'A' * 26}")
    ui.wait_until(lambda: checkin.result == "refused" and "当天" in checkin.message, 10, "day")
    assert checkin.message == f"招聘会在{later.when_text()}举行，请当天再来签到"
    ui.screenshot("fair-checkin-too-early")
    ui.tap(id="checkin_demo_scan")
    ui.wait_until(lambda: checkin.result == "ok", 15, "checked in")
    assert checkin.message == "签到成功：天河南街道社区微型招聘会，请入场"
    _audited(ui, "fair_checkin", "fair-checkin")
    ui.tap(id="checkin_finish")
    ui.wait_screen("home")
    assert "陈*满" not in " ".join(ui.texts())
