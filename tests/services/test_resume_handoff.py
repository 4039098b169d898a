"""The kiosk's résumé (:mod:`kiosk.services.resume_handoff`): made from a card, the platform's
prefill and the pick-list answers; the preview's lines are the printed lines (decoded from the
ESC/POS bytes at 58 and 80 mm), the preview picture is the render of those same bytes, and the
phone payload is the paper's content without any ID-number field."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from kiosk.devices.idcard.model import IdentityCard
from kiosk.devices.printer.profile import paper_profile
from kiosk.platform.guidance_wire import ResumeShareRequest
from kiosk.services.resume_handoff import make_resume, paper_lines, preview_png, share_payload
from kiosk.services.slip import encode_slip
from kiosk.services.slip.resume import layout_resume
from tests.services.test_resume_layout import _decoder

CARD = IdentityCard.from_json(json.loads(
    (Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards" / "resident.json")
    .read_text(encoding="utf-8")))
ANSWERS = {"past_jobs": [("cleaner", 6.0), ("kitchen_helper", 0.5)], "skills": ["会说粤语"],
           "certificates": ["健康证"], "wanted_jobs": ["cleaner"], "wanted_places": [],
           "employment_type": "FULL_TIME", "salary_min": 4000}
PREFILL = {"known": True, "education_code": "61", "residence_division": "440106"}


def _resume(show_name: bool, show_phone: bool, **kw):
    return make_resume(CARD, station_name="天河区天河南街道就业驿站", today=date(2026, 12, 1),
                       show_name=show_name, show_phone=show_phone,
                       phone=kw.get("phone", "13900139000"), answers=kw.get("answers", ANSWERS),
                       prefill=kw.get("prefill", PREFILL))


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("ticks", [(False, False), (True, False), (True, True)])
def test_preview_lines_are_the_printed_lines(paper, ticks):
    profile = paper_profile(paper)
    resume = _resume(*ticks)
    decoded = _decoder().decode(encode_slip(layout_resume(resume, profile), profile))
    lines = paper_lines(resume, profile)
    assert [t.strip() for t in decoded.texts] == [line.strip() for line in lines if line.strip()]
    text = "".join(decoded.texts)
    assert (CARD.name in text) is ticks[0] and ("13900139000" in text) is ticks[1]
    assert CARD.id_number not in text and CARD.id_number[-6:] not in text
    assert "保洁员" in text and "不满1年" in text and "普通高中" in text and "广州市天河区" in text


def test_preview_picture_is_the_render_of_the_printed_bytes():
    profile = paper_profile(58)
    image = Image.open(io.BytesIO(preview_png(_resume(True, False), profile)))
    assert image.width == profile.dots + 16 and image.height > 400


def test_phone_payload_is_the_paper_without_an_id_field():
    hidden = share_payload(_resume(False, False))
    assert "name" not in hidden["person"] and "phone" not in hidden["person"]
    shown = share_payload(_resume(True, True))
    assert (shown["person"]["name"], shown["person"]["phone"]) == (CARD.name, "13900139000")
    assert shown["past_jobs"][1] == {"job": "帮厨", "years": 0.5}
    assert shown["wanted"] == {"jobs": ["保洁员"], "places": [], "employment_type": "全职",
                               "salary": "4000元/月以上", "note": ""}
    ResumeShareRequest.model_validate(shown)                 # the contract's request body
    assert CARD.id_number not in json.dumps(shown, ensure_ascii=False)


def test_phone_tick_without_a_number_prints_no_phone_and_unknown_prefill_is_left_out():
    resume = _resume(True, True, phone="", prefill={"education_code": "99x",
                                                    "residence_division": "110101"})
    text = "\n".join(paper_lines(resume, paper_profile(80)))
    assert "联系电话" not in text and "学历" not in text and "现居住" not in text
