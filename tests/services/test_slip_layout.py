"""Slip layout + encoding, checked by decoding the bytes with the independent test decoder."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import pytest

from kiosk.devices.printer.profile import paper_profile
from kiosk.services.slip import (Referral, ReferralFormatError, UnprintableTextError, encode_slip,
                                 layout_slip, text_columns)
from kiosk.services.slip.layout import SlipLayout, SlipLine


def _decoder():
    name = "slip_escpos_decoder"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "test_slip_escpos_decoder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


REFERRAL = {
    "referral_id": "GD-DEMO-0001-20250301-0007",
    "station": {"name": "天河区天河南街道就业驿站", "hotline": "020-12345678", "complaint": "12333"},
    "issued_at": "2025-03-01T10:15:00+08:00",
    "valid_until": "2025-03-08",
    "verify_url": "https://jy.example.gov.cn/r/GD-DEMO-0001-20250301-0007?c=7F3A",
    "jobseeker": {"name": "张小明", "id_number": "449901199001011235", "phone": "13800138000"},
    "vacancy": {"id": "V-440106-000123", "title": "仓库管理员（全职）",
                "employer": "广州示例物流有限公司", "address": "广州市天河区天河路385号示例大厦12楼",
                "salary_min": 5000, "salary_max": 6500, "salary_unit": "MONTH",
                "contact_name": "李女士", "contact_phone": "020-87654321",
                "interview_note": "请携带身份证及本推荐单，工作日9:00-17:00到公司前台面试。"},
}

LINES_80 = [
    "天河区天河南街道就业驿站",
    "就业岗位推荐单",
    "-" * 48,
    "推荐单号：GD-DEMO-0001-20250301-0007",
    "开具时间：2025-03-01 10:15",
    "有效期至：2025-03-08",
    "-" * 48,
    "岗位名称：仓库管理员（全职）",
    "用人单位：广州示例物流有限公司",
    "工作地点：广州市天河区天河路385号示例大厦12楼",
    "薪资待遇：5000-6500元/月",
    "联系人：  李女士",
    "联系电话：020-87654321",
    "面试须知：请携带身份证及本推荐单，工作日",
    "          9:00-17:00到公司前台面试。",
    "-" * 48,
    "求职者：  张*明",
    "身份证号：…1235",
    "手机号码：138****8000",
    "-" * 48,
    "",  # the LF after the QR code
    "微信/手机扫码核验推荐单",
    "驿站电话：020-12345678",
    "投诉监督：12333",
    "凭本单于有效期内前往面试",
]

LINES_58 = [
    "天河区天河南街道就业驿站",
    "就业岗位推荐单",
    "-" * 32,
    "推荐单号：",                      # the number staff type in is never split (issue 17 item 7)
    "GD-DEMO-0001-20250301-0007",
    "开具时间：2025-03-01 10:15",
    "有效期至：2025-03-08",
    "-" * 32,
    "岗位名称：仓库管理员（全职）",
    "用人单位：广州示例物流有限公司",
    "工作地点：广州市天河区天河路385",
    "          号示例大厦12楼",
    "薪资待遇：5000-6500元/月",
    "联系人：  李女士",
    "联系电话：020-87654321",
    "面试须知：请携带身份证及本推荐",
    "          单，工作日9:00-17:00到",
    "          公司前台面试。",
    "-" * 32,
    "求职者：  张*明",
    "身份证号：…1235",
    "手机号码：138****8000",
    "-" * 32,
    "",
    "微信/手机扫码核验推荐单",
    "驿站电话：020-12345678",
    "投诉监督：12333",
    "凭本单于有效期内前往面试",
]


def referral(**vacancy_overrides) -> Referral:
    data = copy.deepcopy(REFERRAL)
    data["vacancy"].update(vacancy_overrides)
    return Referral.from_json(data)


def slip(ref: Referral, paper: int = 80, **kw):
    profile = paper_profile(paper, **kw)
    stream = encode_slip(layout_slip(ref, profile), profile)
    return stream, _decoder().decode(stream), profile


@pytest.mark.parametrize("paper,expected", [(80, LINES_80), (58, LINES_58)])
def test_fixed_referral_exact_lines(paper, expected):
    stream, d, profile = slip(referral(), paper)
    assert d.texts == expected
    assert stream.startswith(bytes.fromhex("1b40 1b5200 1b7400 1c26 1d2100 1b6100"))
    assert d.chinese_mode_on == 1
    assert d.qr_payloads == [b"https://jy.example.gov.cn/r/GD-DEMO-0001-20250301-0007?c=7F3A"]
    assert d.qr_module_sizes == [6 if paper == 80 else 5]
    assert d.cuts == [(66, 120)]
    # Heading styles: station name bold, double height; title bold, double width+height.
    assert (d.lines[0].align, d.lines[0].bold, d.lines[0].size) == (1, True, 0x01)
    assert (d.lines[1].align, d.lines[1].bold, d.lines[1].size) == (1, True, 0x11)
    assert (d.lines[3].align, d.lines[3].bold, d.lines[3].size) == (0, False, 0x00)
    for line in d.lines:
        factor = (line.size >> 4) + 1
        assert text_columns(line.text) * factor <= profile.columns
    # Last line is centred plain text: only the alignment is reset before feed + partial cut.
    assert stream.endswith("凭本单于有效期内前往面试".encode("gb18030")
                           + bytes.fromhex("0a 1b6100 1d564278"))


def test_no_personal_data_in_stream():
    stream, d, _ = slip(referral())
    text = "\n".join(d.texts)
    assert "张小明" not in text and "449901199001011235" not in text
    assert "13800138000" not in text
    assert b"1990" not in stream


def test_epson_42_columns_and_no_cutter():
    stream, d, profile = slip(referral(), 80, columns=42, cutter=False)
    assert profile.dots == 512
    assert d.lines[2].text == "-" * 42
    assert d.cuts == [] and d.feeds == [4]
    assert max(text_columns(t) for t in d.texts) == 42


def test_long_title_and_address_wrap_within_width():
    ref = referral(title="高级仓储物流主管兼叉车司机（需持特种设备作业人员证N1、有3年以上经验）",
                   address="广东省广州市天河区珠江新城华夏路10号富力中心写字楼第三十八层3801至3806单元")
    _, d, _ = slip(ref, 58)
    title = [t for t in d.texts if t.startswith("岗位名称：")][0]
    i = d.texts.index(title)
    assert d.texts[i:i + 4] == [
        "岗位名称：高级仓储物流主管兼叉车",
        "          司机（需持特种设备作业",
        "          人员证N1、有3年以上经",   # "验" moved down: "）" may not start a line
        "          验）",
    ]
    j = d.texts.index("工作地点：广东省广州市天河区珠江")
    assert d.texts[j:j + 4] == [
        "工作地点：广东省广州市天河区珠江",
        "          新城华夏路10号富力中心",
        "          写字楼第三十八层3801至",
        "          3806单元",
    ]


def test_mixed_latin_keeps_words_and_no_line_starts_with_punctuation():
    ref = referral(title="Java开发工程师（Spring Boot）", interview_note=(
        "面试地点：B座3楼HR部，请提前10分钟到达；迟到者，请电话联系，谢谢。"))
    _, d, _ = slip(ref, 58)
    assert "岗位名称：Java开发工程师（Spring" in d.texts
    assert "          Boot）" in d.texts
    i = d.texts.index("面试须知：面试地点：B座3楼HR部，")
    assert d.texts[i:i + 3] == [
        "面试须知：面试地点：B座3楼HR部，",
        "          请提前10分钟到达；迟到",
        "          者，请电话联系，谢谢。",
    ]
    for t in d.texts:
        assert t.strip()[:1] not in set("，。、；：？！）」》"), t


def test_kinsoku_moves_a_character_down():
    # 11 Chinese characters fill 22 columns exactly; the "。" would start the next line.
    ref = referral(interview_note="一二三四五六七八九十百。千")
    _, d, _ = slip(ref, 58)
    i = d.texts.index("面试须知：一二三四五六七八九十")
    assert d.texts[i + 1] == "          百。千"


def test_yen_and_fullwidth_punctuation_encode_two_bytes():
    ref = referral(interview_note="试用期薪资¥4500，转正后¥5000；包食宿！")
    stream, d, _ = slip(ref)
    i = d.texts.index("面试须知：试用期薪资￥4500，转正后￥5000；包食")
    assert d.texts[i + 1] == "          宿！"  # 46 + 2 + 2 columns > 48: "宿" moves with "！"
    assert "￥4500".encode("gb18030") == bytes.fromhex("a3a4") + b"4500"
    assert bytes.fromhex("a3a4") + b"4500" in stream
    assert bytes.fromhex("81308436") not in stream  # the 4-byte code of U+00A5


def test_four_byte_character_is_substituted():
    data = copy.deepcopy(REFERRAL)
    data["jobseeker"]["name"] = "王小䶮"
    data["vacancy"]["employer"] = "𠀀示例餐饮😀有限公司"
    profile = paper_profile(80)
    layout = layout_slip(Referral.from_json(data), profile)
    d = _decoder().decode(encode_slip(layout, profile))
    assert "求职者：  王*〓" in d.texts
    assert "用人单位：〓示例餐饮〓有限公司" in d.texts
    assert layout.substituted == 3


def test_control_bytes_in_fields_never_reach_the_printer():
    stream, d, _ = slip(referral(title="仓管\x1bd\x05员\x1dV\x00"))
    assert "岗位名称：仓管d员V" in d.texts


def test_raster_qr_fallback():
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image
    stream, d, _ = slip(referral(), 58, qr="raster")
    assert d.qr_payloads == []
    (xb, height, data), = d.rasters
    img = Image.frombytes("1", (xb * 8, height), bytes(b ^ 0xFF for b in data))
    assert xb * 8 <= 384
    results = zxingcpp.read_barcodes(img.convert("L"))
    assert [r.text for r in results] == [REFERRAL["verify_url"]]


def test_encoder_refuses_unsafe_lines():
    profile = paper_profile(58)
    with pytest.raises(UnprintableTextError):
        encode_slip(SlipLayout((SlipLine("刘䶮"),), 32), profile)
    with pytest.raises(ValueError):
        encode_slip(SlipLayout((SlipLine("就" * 9, width=2),), 32), profile)


@pytest.mark.parametrize("path,value,field", [
    (("vacancy", "salary_min"), -1, "vacancy.salary_min"),
    (("vacancy", "salary_unit"), "WEEK", "vacancy.salary_unit"),
    (("issued_at",), "yesterday", "issued_at"),
    (("valid_until",), "2025-02-01", "valid_until"),
    (("verify_url",), "ftp://x/y", "verify_url"),
    (("jobseeker", "name"), 5, "jobseeker.name"),
])
def test_referral_errors_name_the_field(path, value, field):
    data = copy.deepcopy(REFERRAL)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ReferralFormatError) as info:
        Referral.from_json(data)
    assert info.value.field == field


def test_verify_url_is_made_ascii_and_repr_hides_personal_data():
    data = copy.deepcopy(REFERRAL)
    data["verify_url"] = "https://jy.example.gov.cn/r/推荐?c=1"
    ref = Referral.from_json(data)
    assert ref.verify_url == "https://jy.example.gov.cn/r/%E6%8E%A8%E8%8D%90?c=1"
    assert "张小明" not in repr(ref) and "123X" not in repr(ref)
