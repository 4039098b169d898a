"""The 招聘会报到码 slip: laid out, encoded to ESC/POS and decoded by the independent decoder."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path

from kiosk.devices.printer.profile import paper_profile
from kiosk.domain.fairs import Fair, FairKind, Venue
from kiosk.services.slip import encode_slip
from kiosk.services.slip.fair_checkin import FairCheckinSlip, layout_fair_checkin

TOKEN = "MZXW6YTBOI2DKNZQGEZDGNBVGY"
FAIR = Fair("F-440106-0001", "天河区2026年冬季综合招聘会", FairKind.GENERAL,
            datetime(2026, 12, 5, 1, 0, tzinfo=UTC), datetime(2026, 12, 5, 3, 30, tzinfo=UTC),
            Venue("天河区人力资源市场", "广州市天河区天河路123号", "440106", 23.13, 113.32),
            "天河区人力资源和社会保障局", capacity=300)
SLIP = FairCheckinSlip(FAIR, TOKEN, "ABCD2345", datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
                       "天河南街道就业驿站", "020-12345678", "张小明", "449901199001011235")


def _decoder():
    name = "slip_escpos_decoder"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "test_slip_escpos_decoder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_80mm_slip_decoded():
    profile = paper_profile(80)
    decoded = _decoder().decode(encode_slip(layout_fair_checkin(SLIP, profile), profile))
    assert decoded.texts == [
        "天河南街道就业驿站",
        "招聘会报到码",
        "-" * 48,
        "招聘会：  天河区2026年冬季综合招聘会",
        "类型：    综合招聘会",
        "时间：    12月5日（星期六）09:00–11:30",
        "地点：    天河区人力资源市场",
        "地址：    广州市天河区天河路123号",
        "主办单位：天河区人力资源和社会保障局",
        "-" * 48,
        "",                                       # the line feed after the QR code
        "招聘会当天在任一驿站终端扫码签到",
        "报到码 ABCD-2345",
        "-" * 48,
        "请携带：  身份证、学历证书、职业资格证书、个人",   # no lone 历 (孤字)
        "          简历",
        "求职者：  张*明",
        "身份证号：…1235",
        "报名时间：2026-12-01 10:00",
        "-" * 48,
        "驿站电话：020-12345678",
        "凭本码于招聘会当天签到入场，本码仅限本人使用",
    ]
    assert decoded.qr_payloads == [b"GDJY:FAIR:1:F-440106-0001:" + TOKEN.encode()]
    assert SLIP.qr_payload.encode() == decoded.qr_payloads[0]       # the screen shows the same
    code_line = next(line for line in decoded.lines if "ABCD-2345" in line.text)
    assert code_line.bold and code_line.size == 0x11                 # double width and height
    assert decoded.cuts


def test_58mm_slip_never_prints_the_full_name_or_number():
    profile = paper_profile(58)
    job = encode_slip(layout_fair_checkin(SLIP, profile), profile)
    decoded = _decoder().decode(job)
    text = "".join(decoded.texts)
    assert "张小明" not in text and "449901199001011235" not in text
    assert "报到码 ABCD-2345" in decoded.texts
    assert max(len(t.encode("gb18030")) for t in decoded.texts) <= 32
    assert "ABCD2345" not in repr(SLIP) and TOKEN not in repr(SLIP)
