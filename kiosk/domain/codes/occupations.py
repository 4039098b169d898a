"""职业分类大典 (2022) major (大类) and middle (中类) categories, and a title classifier.

Codes are the 大典's hierarchical form: major ``"4"``, middle ``"4-07"`` (GB/T 6565-2015 writes
the same middle category as ``40700``; :func:`gbt6565_code` converts). 8 major and 79 middle
categories; the 8th major has the single middle ``"8-00"``.

:func:`classify_title` maps a vacancy title (as job boards write it) to a middle category by
keyword rules, for imports that carry no occupation code; "" when no rule applies.
"""

from __future__ import annotations

import re

from kiosk.domain.codes.errors import UnknownCodeError

MAJORS: dict[str, str] = {
    "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "2": "专业技术人员",
    "3": "办事人员和有关人员",
    "4": "社会生产服务和生活服务人员",
    "5": "农、林、牧、渔业生产及辅助人员",
    "6": "生产制造及有关人员",
    "7": "军队人员",
    "8": "不便分类的其他从业人员",
}

_MIDDLES = """
1-01 中国共产党机关和基层组织负责人|1-02 国家机关负责人|1-03 民主党派和工商联负责人
1-04 人民团体和群众团体、社会组织及其他成员组织负责人|1-05 基层群众性自治组织负责人
1-06 企事业单位负责人
2-01 科学研究人员|2-02 工程技术人员|2-03 农业技术人员|2-04 飞机和船舶技术人员
2-05 卫生专业技术人员|2-06 经济和金融专业人员|2-07 监察、法律、社会和宗教专业人员
2-08 教学人员|2-09 文学艺术、体育专业人员|2-10 新闻出版、文化专业人员|2-99 其他专业技术人员
3-01 行政办事及辅助人员|3-02 安全和消防及辅助人员|3-03 仲裁、调解及相关法律事务辅助人员
3-99 其他办事人员和有关人员
4-01 批发与零售服务人员|4-02 交通运输、仓储物流和邮政业服务人员|4-03 住宿和餐饮服务人员
4-04 信息传输、软件和信息技术服务人员|4-05 金融服务人员|4-06 房地产服务人员
4-07 租赁和商务服务人员|4-08 技术辅助服务人员|4-09 水利、环境和公共设施管理服务人员
4-10 居民服务人员|4-11 电力、燃气及水供应服务人员|4-12 修理及制作服务人员
4-13 文化和教育服务人员|4-14 健康、体育和休闲服务人员|4-99 其他社会生产服务和生活服务人员
5-01 农业生产人员|5-02 林业生产人员|5-03 畜牧业生产人员|5-04 渔业生产人员
5-05 农、林、牧、渔业生产辅助人员|5-99 其他农、林、牧、渔业生产及辅助人员
6-01 农副产品加工人员|6-02 食品、饮料生产加工人员|6-03 烟草及其制品加工人员
6-04 纺织、针织、印染人员|6-05 纺织品、服装和皮革、毛皮制品加工制作人员
6-06 木材加工、家具与木制品制作人员|6-07 纸及纸制品生产加工人员|6-08 印刷和记录媒介复制人员
6-09 文教、工美、体育和娱乐用品制造人员|6-10 石油加工和炼焦、煤化工生产人员
6-11 化学原料和化学制品制造人员|6-12 医药制造人员|6-13 化学纤维制造人员
6-14 橡胶和塑料制品制造人员|6-15 非金属矿物制品制造人员|6-16 采矿人员
6-17 金属冶炼和压延加工人员|6-18 机械制造基础加工人员|6-19 金属制品制造人员
6-20 通用设备制造人员|6-21 专用设备制造人员|6-22 汽车制造人员|6-23 铁路、船舶、航空设备制造人员
6-24 电气机械和器材制造人员|6-25 计算机、通信和其他电子设备制造人员|6-26 仪器仪表制造人员
6-27 再生资源综合利用人员|6-28 电力、热力、气体、水生产和输配人员|6-29 建筑施工人员
6-30 运输设备和通用工程机械操作人员及有关人员|6-31 生产辅助人员|6-99 其他生产制造及有关人员
7-01 军官(警官)|7-02 军士(警士)|7-03 义务兵|7-04 文职人员
8-00 不便分类的其他从业人员
"""

MIDDLES: dict[str, str] = {
    entry[:4]: entry[5:]
    for line in _MIDDLES.strip().splitlines() for entry in line.split("|")
}

#: English names of the major categories (the 大典 has no official English edition; these follow
#: the Chinese wording, in the style of ISCO-08's group titles).
MAJORS_EN: dict[str, str] = {
    "1": "Leaders of Party and state organs, mass and social organisations, enterprises and institutions",
    "2": "Professional and technical personnel",
    "3": "Clerks and related personnel",
    "4": "Social production and life service personnel",
    "5": "Agriculture, forestry, animal husbandry and fishery production and support personnel",
    "6": "Production, manufacturing and related personnel",
    "7": "Military personnel",
    "8": "Other workers not elsewhere classified",
}

_MIDDLES_EN = """
1-01 Heads of Communist Party of China organs and grassroots organisations|1-02 Heads of state organs
1-03 Heads of democratic parties and federations of industry and commerce
1-04 Heads of people's, mass, social and other membership organisations
1-05 Heads of grassroots self-governing organisations|1-06 Heads of enterprises and public institutions
2-01 Scientific researchers|2-02 Engineering technicians|2-03 Agricultural technicians
2-04 Aircraft and ship technicians|2-05 Health professionals
2-06 Economic and financial professionals|2-07 Supervision, legal, social and religious professionals
2-08 Teaching staff|2-09 Literature, arts and sports professionals
2-10 Journalism, publishing and culture professionals|2-99 Other professional and technical personnel
3-01 Administrative clerks and assistants|3-02 Security and fire-fighting staff and assistants
3-03 Arbitration, mediation and related legal support staff|3-99 Other clerks and related personnel
4-01 Wholesale and retail service workers|4-02 Transport, warehousing, logistics and postal service workers
4-03 Accommodation and catering service workers
4-04 Information transmission, software and IT service workers|4-05 Financial service workers
4-06 Real estate service workers|4-07 Leasing and business service workers
4-08 Technical support service workers
4-09 Water conservancy, environment and public facility management workers
4-10 Residential service workers|4-11 Electricity, gas and water supply service workers
4-12 Repair and making service workers|4-13 Culture and education service workers
4-14 Health, sports and leisure service workers|4-99 Other social production and life service workers
5-01 Crop farming workers|5-02 Forestry workers|5-03 Animal husbandry workers|5-04 Fishery workers
5-05 Agriculture, forestry, animal husbandry and fishery support workers
5-99 Other agriculture, forestry, animal husbandry and fishery workers
6-01 Agricultural and sideline product processing workers|6-02 Food and beverage processing workers
6-03 Tobacco product processing workers|6-04 Textile, knitting and dyeing workers
6-05 Textile product, garment, leather and fur product makers
6-06 Wood processing, furniture and wood product makers|6-07 Paper and paper product makers
6-08 Printing and recording media reproduction workers
6-09 Stationery, arts and crafts, sports and entertainment goods makers
6-10 Petroleum processing, coking and coal chemical workers
6-11 Chemical raw material and chemical product makers|6-12 Pharmaceutical manufacturing workers
6-13 Chemical fibre manufacturing workers|6-14 Rubber and plastic product makers
6-15 Non-metallic mineral product makers|6-16 Miners|6-17 Metal smelting and rolling workers
6-18 Basic machining workers|6-19 Metal product makers|6-20 General equipment manufacturing workers
6-21 Special equipment manufacturing workers|6-22 Motor vehicle manufacturing workers
6-23 Railway, ship and aerospace equipment manufacturing workers
6-24 Electrical machinery and equipment manufacturing workers
6-25 Computer, communication and other electronic equipment manufacturing workers
6-26 Instrument and meter manufacturing workers|6-27 Recycling workers
6-28 Electricity, heat, gas and water production and distribution workers|6-29 Construction workers
6-30 Transport equipment and general construction machinery operators and related workers
6-31 Production support workers|6-99 Other production, manufacturing and related workers
7-01 Officers (police officers)|7-02 Non-commissioned officers|7-03 Conscripts|7-04 Civilian staff
8-00 Other workers not elsewhere classified
"""

MIDDLES_EN: dict[str, str] = {
    entry[:4]: entry[5:]
    for line in _MIDDLES_EN.strip().splitlines() for entry in line.split("|")
}

# (pattern, middle code), first match wins: specific service trades before broad IT words.
_TITLE_RULES: tuple[tuple[str, str], ...] = (
    (r"公益性岗位|公益岗|协管员|网格员", "3-01"),
    (r"保安|安保|安检|门卫|巡逻", "4-07"),
    (r"保洁|清洁|环卫|绿化", "4-09"),
    (r"家政|保姆|育婴|月嫂|养老护理|钟点工", "4-10"),
    (r"护工|护理员|陪护|康复", "4-14"),
    (r"护士|医生|药师|医师", "2-05"),
    (r"厨|餐饮|服务员|传菜|洗碗|面点|奶茶|咖啡|前厅|客房|酒店", "4-03"),
    (r"快递|外卖|配送|骑手|仓管|仓库|物流|分拣|理货|司机|驾驶员|装卸", "4-02"),
    (r"普工|操作工|装配|包装工|质检员|生产线|车间|流水线|技工|焊工|电工|机修", "6-31"),
    (r"电子厂|贴片|SMT|插件", "6-25"),
    (r"收银|导购|店员|营业员|电商|客服|直播|主播|销售|零售", "4-01"),
    (r"会计|出纳|财务|金融|投融资|风控|审计|经济|分析师.*金融", "2-06"),
    (r"教师|老师|讲师|助教|培训", "2-08"),
    (r"文员|行政|人事|助理|前台|档案|统计员", "3-01"),
    (r"设计|美工|UI|用户研究", "2-09"),
    (r"运维|网管|技术支持|IT支持|数据标注|数据采集|运营", "4-04"),
    (r"测试|开发|工程师|程序|软件|算法|数据|Android|iOS|Java|前端|后端|架构|DBA|产品经理"
     r"|嵌入式|系统|BI", "2-02"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), code) for p, code in _TITLE_RULES)


def major_of(code: str) -> str:
    """The major code of a middle (or longer) code: "4-07" → "4"."""
    return code.split("-", 1)[0]


def name_of(code: str) -> str:
    """Name of a major ("4") or middle ("4-07") category; raises UnknownCodeError."""
    try:
        return MAJORS[code] if "-" not in code else MIDDLES[code]
    except KeyError as exc:
        raise UnknownCodeError("职业分类大典2022", code) from exc


def name_en_of(code: str) -> str:
    """English name of a major ("4") or middle ("4-07") category (:data:`MAJORS_EN`,
    :data:`MIDDLES_EN`); raises UnknownCodeError."""
    try:
        return MAJORS_EN[code] if "-" not in code else MIDDLES_EN[code]
    except KeyError as exc:
        raise UnknownCodeError("职业分类大典2022", code) from exc


def middles_of(major: str) -> dict[str, str]:
    """The middle categories of a major, code → name, in code order."""
    return {c: n for c, n in MIDDLES.items() if major_of(c) == major}


def gbt6565_code(code: str) -> str:
    """GB/T 6565-style 5-digit form: "4-07" → "40700", "2-10" → "21000", "4" → "40000"."""
    if code in MAJORS:
        return f"{code}0000"
    if code not in MIDDLES:
        raise UnknownCodeError("职业分类大典2022", code)
    major, middle = code.split("-")
    return f"{major}{int(middle):02d}00" if middle != "00" else f"{major}0000"


def classify_title(*texts: str) -> str:
    """Middle-category code for a vacancy from its title (and category text); "" if unknown.

    Example: ``classify_title("电子厂普工")`` → ``"6-31"``; ``classify_title("软件测试工程师")``
    → ``"2-02"``.
    """
    for text in texts:
        for pattern, code in _COMPILED:
            if text and pattern.search(text):
                return code
    return ""
