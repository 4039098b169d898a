"""Jobseeker journey 2 (issue 9): vacancy search, detail, matching, referral slip printing,
policies, training and assistance — driven through the real app against the sandbox platform,
the simulated card reader and the preview printer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def _catalog_ready(ui) -> None:
    catalog = ui.app.services.catalog
    ui.wait_until(lambda: catalog.count() >= 300, 30, "catalog synced from the sandbox")


def _open_search(ui):
    _catalog_ready(ui)
    ui.tap(id="btn_search")
    screen = ui.wait_screen("search")
    ui.wait_until(lambda: screen.total >= 0, 10, "first results")
    return screen


def test_pinyin_search_to_a_result(ui):
    screen = _open_search(ui)
    for letter in "baojie":
        ui.tap(text=letter.upper())
    keyboard = screen.ids.keyboard
    ui.wait_until(lambda: "保洁员" in keyboard.candidates, 10, "candidate 保洁员")
    ui.screenshot("search-pinyin")


def _identify(ui, card_placed_by_test: bool = True) -> None:
    """Consent → lay the demo card on the simulated reader → card read → remove it."""
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    ui.app.services.demo_place_card()
    ui.wait_until(lambda: ui.app.services.session.current is not None
                  and ui.app.services.session.current.identity is not None, 15, "card read")
    ui.app.services.demo_remove_card()


def _slips(ui) -> list:
    out_dir = ui.app.services.printer.connector.out_dir
    return sorted(out_dir.glob("slip-*.bin")) if out_dir.exists() else []


def _type_phone(ui, number: str) -> None:
    screen = ui.app.sm.current_screen
    keypad = screen.ids.phone_entry.ids.keypad
    for digit in number:
        ui.tap(next(k for k in keypad.children if k.text == digit))


def _decode_screen_qr(path) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(path).convert("L"))]


def _to_referral(ui, query_letters: str = "bj"):
    """Search by initials, open the first result, apply, identify: the referral screen."""
    screen = _open_search(ui)
    for letter in query_letters:
        ui.tap(text=letter.upper())
    ui.tap(text="搜索")
    ui.wait_until(lambda: not screen.searching and screen.ids.results.data
                  and screen.ids.keyboard.query() == query_letters, 10, "results")
    first = screen.ids.results.data[0]
    ui.wait_until(lambda: ui._try_find(None, first["title"]), 5, "first row drawn")
    row = next(w for w in ui.walk(screen.ids.results) if getattr(w, "vacancy_id", "")
               == first["vacancy_id"])
    ui.tap(row)
    detail = ui.wait_screen("vacancy_detail")
    assert detail.vacancy.id == first["vacancy_id"]
    ui.tap(id="apply_button")
    _identify(ui)
    return ui.wait_screen("referral"), detail.vacancy


def test_detail_card_referral_slip_printed_and_qr_matches(ui):
    from tests.services.test_slip_escpos_decoder import decode

    services = ui.app.services
    services.printer.connector.set_state("ok")
    before = _slips(ui)
    referral, vacancy = _to_referral(ui)
    assert referral.step == "phone"          # no phone in this session yet
    ui.screenshot("referral-phone")
    _type_phone(ui, "13812345678")
    ui.tap(id="phone_ok")
    ui.wait_until(lambda: referral.step == "confirm", 5, "confirm step")
    texts = " ".join(ui.texts(referral))
    assert "138****5678" in texts and "13812345678" not in texts
    assert "陈*满" in texts and "440106199203154525" not in texts
    ui.screenshot("referral-confirm")
    ui.tap(id="confirm_button")
    ui.wait_until(lambda: referral.step == "printed", 20, "slip printed")
    session = services.session.current
    ticket = session.extras["referral_tickets"][vacancy.id]
    slips = [p for p in _slips(ui) if p not in before]
    assert len(slips) == 1
    paper = decode(slips[0].read_bytes())
    printed = "\n".join(paper.texts)
    assert ticket.referral_id in printed and vacancy.title in printed
    assert vacancy.employer in printed and "138****5678" in printed
    assert paper.qr_payloads == [ticket.verify_url.encode("ascii")]
    shot = ui.screenshot("referral-printed")
    assert _decode_screen_qr(shot) == [ticket.verify_url]
    assert services.referrals.print_state(ticket.referral_id) == "printed"
    # A second tap on the referral for the same vacancy prints nothing by accident.
    referral.print_slip()
    ui.wait_until(lambda: not referral.busy, 10, "refusal")
    assert "已打印" in referral.message and len([p for p in _slips(ui) if p not in before]) == 1
    # An explicit reprint is allowed.
    ui.tap(id="reprint_button")
    ui.wait_until(lambda: len([p for p in _slips(ui) if p not in before]) == 2, 20, "reprint")
    ui.set_size(1920, 1080)
    ui.screenshot("referral-printed")
