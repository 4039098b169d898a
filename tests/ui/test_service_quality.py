"""Issue 21 in the running demo app: a 求职登记 made by touch is one completed transaction in
``kiosk stats --json`` and in ``kiosk metrics``; 完成 brings up the 好差评 step, where a 差评
with a reason chip is given by touch, delivered to the sandbox bound to the registration number
(a work order) and counted; the rating screen keeps nothing for the next person."""

from __future__ import annotations

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.cli import main
from tests.ui.test_registration_journey import fill_form, journey, make_card  # noqa: F401

pytestmark = pytest.mark.ui


def _figures(capsys, config) -> tuple[dict, dict]:  # noqa: ANN001
    assert main(["--config", str(config), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert main(["--config", str(config), "metrics", "--offline"]) == 0
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(capsys.readouterr().out) for s in f.samples}
    return stats, samples


def test_demo_registration_shows_in_stats_and_metrics(journey, tmp_path, capsys):  # noqa: F811
    ui = journey
    services = ui.app.services
    config = tmp_path / "site.toml"
    config.write_text(f'[paths]\ndata_dir = "{services.data_dir}"\n', encoding="utf-8")
    before, before_metrics = _figures(capsys, config)
    done_key = ("kiosk_transactions_total", (("kind", "registration"), ("outcome", "completed")))
    bad_key = ("kiosk_ratings_total", (("level", "2"),))

    card_path, _card = make_card(tmp_path, name="孙立新")
    ui.tap(id="btn_register")
    ui.wait_screen("consent")
    ui.tap(id="agree_button")
    ui.wait_screen("card_read")
    services.demo_place_card(card_path)
    fill_form(ui, phone="13812340021")
    ui.tap(id="submit_button")
    number = ui.wait_screen("register_done").registration_no
    assert number.startswith("REG-")
    ui.tap(id="finish_button")
    rating = ui.wait_screen("rating")
    assert "请您对本次“求职登记”服务进行评价" in ui.texts()
    ui.tap(id="rate_2")                                     # 不满意: the reasons are offered
    ui.wait_until(lambda: rating.reasons_shown, 5, "reason chips")
    assert rating.more_qr.endswith("/ratings/" + number)   # the phone QR: the number only
    ui.tap(text="办理时间太长")
    ui.tap(id="submit_reasons")
    ui.wait_screen("home")
    assert rating.level == 0 and not rating.reasons_shown and rating.more_qr == ""
    assert not any(tile.selected for tile in rating.ids.reason_grid.children)
    item = max((i for i in services.outbox.items("pending") + services.outbox.items("in_flight")
              + services.outbox.items("delivered") if i.kind == "rating"),
               key=lambda i: i.item_id)
    assert services.outbox.wait_delivered(item.item_id, 15)
    result = services.outbox.results(item.item_id)
    assert result["transaction_no"] == number and result["work_order"]

    after, after_metrics = _figures(capsys, config)
    reg_before = before["by_kind"].get("registration", {"completed": 0})["completed"]
    assert after["by_kind"]["registration"]["completed"] == reg_before + 1
    assert after["ratings"]["by_level"]["2"] == before["ratings"]["by_level"]["2"] + 1
    assert after["ratings"]["reasons"]["too_slow"] >= 1
    assert after_metrics[done_key] == before_metrics.get(done_key, 0.0) + 1
    assert after_metrics[bad_key] == before_metrics[bad_key] + 1
    dump = json.dumps(after, ensure_ascii=False)
    assert "孙立新" not in dump and "13812340021" not in dump
