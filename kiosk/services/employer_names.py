"""Pinyin candidates for typing an employer's name (单位名称) on the on-screen pinyin keyboard.

A unit's name is free Chinese text ("广州市天河区某某物业管理有限公司"), unlike a search term, so
the candidates are wider than the search vocabulary (:class:`~kiosk.services.catalog.
PinyinVocabulary`): place names (GB/T 2260) and the catalog's words as there, the employers'
names already in the catalog (an employer who posts again finds its own name by its initials),
the words company names are made of (有限公司, 物业管理, 家政服务 …, :data:`NAME_WORDS`), and
every character of GB 2312 level 1 (the 3,755 common characters, in the standard's pinyin
order) so any name can be typed character by character. Ranking is the vocabulary's: an exact
pinyin key first, then words before single characters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kiosk.domain.codes import divisions
from kiosk.domain.vacancy import Vacancy
from kiosk.services.catalog.vocabulary import PinyinVocabulary

#: words that make up most unit names (weight 2: above places and single characters)
NAME_WORDS = (
    "有限公司", "有限责任公司", "股份有限公司", "集团", "分公司", "公司", "个体", "商行", "商店",
    "店", "厂", "工厂", "经营部", "工作室", "中心", "合作社", "事务所", "酒店", "餐厅", "饭店",
    "物业管理", "物业服务", "家政服务", "保洁服务", "保安服务", "人力资源", "劳务派遣", "劳务",
    "餐饮管理", "餐饮服务", "食品", "物流", "快递", "运输", "仓储", "装饰工程", "建筑工程", "工程",
    "科技", "信息技术", "网络", "电子", "贸易", "商贸", "实业", "投资", "服务", "管理", "发展",
    "广东", "广州", "深圳", "佛山", "东莞", "天河", "越秀", "海珠", "番禺", "白云", "黄埔",
    "养老服务", "护理", "医院", "诊所", "学校", "幼儿园", "培训", "教育", "美容", "美发", "超市",
    "便利店", "服装", "制衣", "五金", "塑料", "机械", "汽车", "维修", "清洁", "园林绿化",
)


def common_characters() -> list[str]:
    """The 3,755 characters of GB 2312 level 1 (rows 16–55), in the standard's order."""
    chars: list[str] = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue   # the unused cells at the end of row 55
    return chars


def name_vocabulary(vacancies: Iterable[Vacancy] = ()) -> PinyinVocabulary:
    """The candidates for a unit's name (see the module docstring); ``vacancies`` are the
    catalog's (their employer names and titles count by how often they occur)."""
    weights: Counter[str] = Counter({ch: 0 for ch in common_characters()})
    for word in (*divisions.CITIES.values(), *divisions.COUNTIES.values(),
                 *divisions.TOWNS.values()):
        weights[word] = max(weights[word], 1)
    for word in NAME_WORDS:
        weights[word] = max(weights[word], 2)
    for vacancy in vacancies:
        name = vacancy.employer.strip()
        if name and len(name) <= 60:
            weights[name] += 3
    return PinyinVocabulary(weights)


__all__ = ["NAME_WORDS", "common_characters", "name_vocabulary"]
