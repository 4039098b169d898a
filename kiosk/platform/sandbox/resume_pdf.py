"""The sandbox's PDF of a résumé handed to a phone (``GET /resumes/<token>.pdf``).

Rendered with fpdf2 (a sandbox-only dependency, see ``pyproject.toml``): A4 portrait, the
Simplified-Chinese face of Noto Sans CJK embedded as a subset (only the glyphs used; a
résumé is ~10 KB), so any phone's PDF viewer shows the Chinese without fonts of its own. The
content is exactly the :class:`~kiosk.platform.guidance_wire.ResumeShareRequest` (which is what
the paper shows): no ID number can appear, because the request has none.

The font: ``fc-match "Noto Sans CJK SC"`` (face index of the ``.ttc`` collection), the same
family the kiosk UI uses (``kiosk/services/cjk_font.py`` finds it for the screens; the sandbox
sits below the services and looks for itself).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from kiosk.platform.guidance_wire import ResumeShareRequest

FAMILY = "Noto Sans CJK SC"


class ResumePdfError(Exception):
    """The PDF cannot be made (no CJK font on this machine): ``message_zh`` for the page."""

    message_zh = "简历文件暂时无法生成，请在终端打印纸质简历"


@lru_cache(maxsize=1)
def cjk_font() -> tuple[Path, int]:
    """(font file, face index) of Noto Sans CJK SC.

    Raises:
        ResumePdfError: fontconfig is missing or finds no Noto CJK (``apt install
            fonts-noto-cjk``, which ``scripts/setup.sh`` does).
    """
    if shutil.which("fc-match") is None:
        raise ResumePdfError("fc-match not found (install fontconfig)")
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", FAMILY],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ResumePdfError(f"fc-match failed: {exc}") from exc
    parts = out.split("\t")
    if len(parts) < 3 or "noto" not in parts[2].lower() or not Path(parts[0]).is_file():
        raise ResumePdfError("no Noto Sans CJK font (apt install fonts-noto-cjk)")
    return Path(parts[0]), int(parts[1] or 0)


def render_resume_pdf(resume: ResumeShareRequest) -> bytes:
    """The PDF bytes of ``resume`` (sections in the paper's order).

    Raises:
        ResumePdfError: no CJK font.
    """
    from fpdf import FPDF  # sandbox only: imported when a phone opens a link

    path, face = cjk_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title("求职简历")
    pdf.set_creator("就业驿站自助服务终端")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    if path.suffix.lower() in (".ttc", ".otc"):
        pdf.add_font("cjk", fname=str(path), collection_font_number=face)
    else:
        pdf.add_font("cjk", fname=str(path))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: float = 12, align: str = "L") -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(width, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_draw_color(160, 160, 160)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(2)
        line(text, 14)

    def field(label: str, value: str) -> None:
        if value:
            line(f"{label}：{value}")

    line("求职简历", 22, "C")
    p = resume.person
    heading("个人信息")
    field("姓名", p.name)
    field("性别", p.gender)
    field("年龄", f"{p.age}岁" if p.age is not None else "")
    field("学历", p.education)
    field("现居住", p.residence)
    field("联系电话", p.phone)
    if resume.past_jobs:
        heading("工作经历")
        for job in resume.past_jobs:
            line("· " + job.job + "  " + ("不满1年" if job.years < 1 else f"{job.years:g}年"))
    if resume.skills or resume.certificates:
        heading("技能与证书")
        field("技能特长", "、".join(resume.skills))
        field("证书", "、".join(resume.certificates))
    w = resume.wanted
    if w.jobs or w.places or w.employment_type or w.salary or w.note:
        heading("求职意向")
        field("想做", "、".join(w.jobs))
        field("工作地点", "、".join(w.places))
        field("用工形式", w.employment_type)
        field("期望薪资", w.salary)
        field("其他要求", w.note)
    if resume.self_intro:
        heading("自我介绍")
        line(resume.self_intro)
    pdf.ln(6)
    line(f"{resume.station_name}  {resume.created_on} 自助终端制作", 10, "C")
    return bytes(pdf.output())
