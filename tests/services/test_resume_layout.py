"""求职简历 layout at 80 and 58 mm, decoded from the ESC/POS bytes with the independent test
decoder; name/phone only when ticked; the ID number never; ``kiosk resume render``."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.devices.printer.profile import paper_profile
from kiosk.services.slip import encode_slip, text_columns
from kiosk.services.slip.resume import Resume, ResumeFormatError, layout_resume

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "assets" / "demo" / "resume.example.json"
RESUME = json.loads(EXAMPLE.read_text(encoding="utf-8"))
ID_NUMBER = RESUME["person"]["id_number"]


def _decoder():
    name = "slip_escpos_decoder"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "test_slip_escpos_decoder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def render(data: dict, paper: int = 80):
    profile = paper_profile(paper)
    stream = encode_slip(layout_resume(Resume.from_json(data), profile), profile)
    return stream, _decoder().decode(stream), profile


def changed(**top) -> dict:
    data = copy.deepcopy(RESUME)
    data.update(top)
    return data


LINES_80 = [
    "求职简历",
    "-" * 48,
    "姓名：    陈秀英",
    "性别：    女",
    "年龄：    46岁",
    "学历：    普通高中",
    "现居住：  广州市天河区",
    "联系电话：13900139000",
    "-" * 48,
    "工作经历",
    "· 保洁员  6年",
    "· 家政服务员  3年",
    "· 帮厨  不满1年",
    "-" * 48,
    "技能特长：会做粤菜家常菜、会用洗地机、能上早班",
    "证书：    健康证、家政服务员（五级）",
    "-" * 48,
    "求职意向",
    "想做：    保洁员、家政服务员、养老护理员",
    "工作地点：广州市天河区、广州市越秀区",
    "用工形式：全职",
    "期望薪资：4000元/月以上",
    "其他要求：离家近，包午餐更好",
    "-" * 48,
    "自我介绍",
    "做事细心，吃得了苦，照顾过家里老人，邻居都说我干",
    "活利索。",
    "-" * 48,
    "",  # the LF after the QR code
    "扫码在手机上查看简历",
    "天河区天河南街道就业驿站",
    "2026-12-01 自助终端制作",
]

LINES_58 = [
    "求职简历",
    "-" * 32,
    "姓名：    陈秀英",
    "性别：    女",
    "年龄：    46岁",
    "学历：    普通高中",
    "现居住：  广州市天河区",
    "联系电话：13900139000",
    "-" * 32,
    "工作经历",
    "· 保洁员  6年",
    "· 家政服务员  3年",
    "· 帮厨  不满1年",
    "-" * 32,
    "技能特长：会做粤菜家常菜、会用洗",
    "          地机、能上早班",
    "证书：    健康证、家政服务员",   # a short bracketed note stays whole (避头尾)
    "          （五级）",
    "-" * 32,
    "求职意向",
    "想做：    保洁员、家政服务员、养",
    "          老护理员",
    "工作地点：广州市天河区、广州市越",
    "          秀区",
    "用工形式：全职",
    "期望薪资：4000元/月以上",
    "其他要求：离家近，包午餐更好",
    "-" * 32,
    "自我介绍",
    "做事细心，吃得了苦，照顾过家里老",
    "人，邻居都说我干活利索。",
    "-" * 32,
    "",
    "扫码在手机上查看简历",
    "天河区天河南街道就业驿站",
    "2026-12-01 自助终端制作",
]


@pytest.mark.parametrize("paper,expected", [(80, LINES_80), (58, LINES_58)])
def test_example_exact_lines_at_both_widths(paper, expected):
    stream, d, profile = render(RESUME, paper)
    assert d.texts == expected
    assert d.chinese_mode_on == 1
    assert d.qr_payloads == [b"https://jy.example.gov.cn/resume/R-DEMO-0001?c=5B2E"]
    assert (d.lines[0].align, d.lines[0].bold, d.lines[0].size) == (1, True, 0x11)
    assert d.lines[d.texts.index("工作经历")].bold
    assert d.cuts == [(66, 120)]
    for line in d.lines:
        assert text_columns(line.text) * ((line.size >> 4) + 1) <= profile.columns


@pytest.mark.parametrize("paper", [58, 80])
def test_id_number_never_printed(paper):
    data = changed(self_intro=f"身份证{ID_NUMBER}，另一个证件440106199001011234也别印")
    data["skills"].append(ID_NUMBER.lower())
    stream, d, _ = render(data, paper)
    text = "\n".join(d.texts)
    for needle in (ID_NUMBER, ID_NUMBER.lower(), "440106199001011234", ID_NUMBER[-4:], "19800315"):
        assert needle not in text
        assert needle.encode("gb18030") not in stream
    assert "身份证******，另一个证件******也别印" in "".join(d.texts)


@pytest.mark.parametrize("paper", [58, 80])
def test_name_and_phone_only_when_ticked(paper):
    for show_name in (False, True):
        for show_phone in (False, True):
            stream, d, _ = render(changed(show_name=show_name, show_phone=show_phone), paper)
            text = "\n".join(d.texts)
            assert ("陈秀英" in text) is show_name
            assert ("13900139000" in text) is show_phone
            assert (b"13900139000" in stream) is show_phone
            assert ("陈秀英".encode("gb18030") in stream) is show_name
            assert not any(t.startswith("姓名") for t in d.texts) or show_name


def test_minimal_resume():
    data = {"station": {"name": "示例就业驿站"}, "created_on": "2026-12-01",
            "person": {"name": "王五", "id_number": "440106199001011234"},
            "show_name": False, "show_phone": False}
    _, d, _ = render(data, 58)
    assert d.texts == ["求职简历", "-" * 32, "-" * 32, "示例就业驿站", "2026-12-01 自助终端制作"]
    assert d.qr_payloads == []


@pytest.mark.parametrize("change,field", [
    ({"show_name": "yes"}, "show_name"),
    ({"created_on": "2026-12-32"}, "created_on"),
    ({"past_jobs": [{"job": "astronaut", "years": 2}]}, "past_jobs[0].job"),
    ({"past_jobs": [{"job": "cleaner", "years": -1}]}, "past_jobs[0].years"),
    ({"wanted": {"places": ["110105"]}}, "wanted.places[0]"),
    ({"wanted": {"employment_type": "ALWAYS"}}, "wanted.employment_type"),
    ({"share_url": "ftp://x"}, "share_url"),
    ({"photo": "x.jpg"}, "photo"),
])
def test_bad_resumes(change, field):
    with pytest.raises(ResumeFormatError) as info:
        Resume.from_json(changed(**change))
    assert info.value.field == field


def test_repr_holds_no_personal_data():
    text = repr(Resume.from_json(RESUME))
    assert "陈秀英" not in text and "13900139000" not in text and ID_NUMBER not in text


def test_cli_writes_bytes_and_png(tmp_path, capsys):
    out, png = tmp_path / "r.bin", tmp_path / "r.png"
    assert main(["resume", "render", "--resume", str(EXAMPLE), "--paper", "58",
                 "--out", str(out), "--png", str(png)]) == 0
    data = out.read_bytes()
    assert _decoder().decode(data).texts == LINES_58
    assert ID_NUMBER.encode() not in data
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert capsys.readouterr().out.startswith(f"{out}: {len(data)} bytes, 35 lines at 32 columns")


def test_cli_bad_input_is_one_line_exit_1(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(changed(show_phone=None)), encoding="utf-8")
    assert main(["resume", "render", "--resume", str(bad), "--paper", "80",
                 "--out", str(tmp_path / "x.bin")]) == 1
    err = capsys.readouterr().err
    assert err == "error: resume show_phone: must be true or false (what the person ticked)\n"
    bad.write_text("{", encoding="utf-8")
    assert main(["resume", "render", "--resume", str(bad), "--paper", "80",
                 "--out", str(tmp_path / "x.bin")]) == 1
    assert "is not UTF-8 JSON" in capsys.readouterr().err
    assert not (tmp_path / "x.bin").exists()


def test_skill_and_certificate_lists_print_without_substitution():
    from kiosk.domain.codes import skills
    from kiosk.services.slip import printable

    for entries in (skills.SKILLS, skills.CERTIFICATES):
        assert len(set(entries)) == len(entries)
        for entry in entries:
            assert printable(entry).substituted == 0 and printable(entry).text == entry
    data = changed(skills=list(skills.SKILLS[:10]), certificates=list(skills.CERTIFICATES[:10]))
    _, d, _ = render(data, 58)
    assert "".join(d.texts).count("、") >= 18
