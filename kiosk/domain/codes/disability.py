"""残疾类别 / 等级 (GB/T 26341-2010) and the 20-character 残疾人证号. Pure data.

Sources: ``shared/design/employment-services.md`` §10.2 (32h.pingguodj.com/article/5576637.html;
dzyyw.com). 7 categories × 4 grades (一级 most severe … 四级 least). 残疾人证号 = 18-character
公民身份号码 + category digit + grade digit.

**(unclear)** Some pages swap 1 视力 / 2 听力; :data:`CATEGORIES` is the majority reading and
must be checked against the standard's table (open item 6). The 退役军人 伤残证件 accepted by
粤人社规〔2023〕11号 第一条(二) uses the 10-grade 伤残等级 instead (:data:`INJURY_GRADES`), so the
form asks the 证件类型 first (:data:`DOCUMENT_TYPES`) and offers the grades of that document.
"""

from __future__ import annotations

import re

from kiosk.domain.codes.errors import UnknownCodeError

CATEGORIES: dict[str, str] = {"1": "视力残疾", "2": "听力残疾", "3": "言语残疾", "4": "肢体残疾",
                              "5": "智力残疾", "6": "精神残疾", "7": "多重残疾"}
GRADES: dict[str, str] = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
INJURY_GRADES: dict[str, str] = {f"{n:02d}": f"{'一二三四五六七八九十'[n - 1]}级" for n in range(1, 11)}
DOCUMENT_TYPES: dict[str, str] = {
    "disability_certificate": "中华人民共和国残疾人证",
    "veteran_injury_certificate": "退役军人事务部门发放的伤残证件",
}
_CERT_RE = re.compile(r"^\d{17}[\dX][1-7][1-4]$")


def grades_for(document_type: str) -> dict[str, str]:
    """The grade pick-list for a document type (4 grades or the 10 injury grades)."""
    if document_type == "disability_certificate":
        return GRADES
    if document_type == "veteran_injury_certificate":
        return INJURY_GRADES
    raise UnknownCodeError("残疾证件类型", document_type)


def split_certificate_number(number: str) -> tuple[str, str]:
    """(category, grade) from a 20-character 残疾人证号: suffix "23" → ("2", "3") 听力三级.

    Raises:
        UnknownCodeError: not 18 ID characters followed by category 1–7 and grade 1–4. The
            message never contains the number.
    """
    value = number.strip().upper()
    if not _CERT_RE.match(value):
        raise UnknownCodeError("残疾人证号", "…")
    return value[18], value[19]
