"""Everyday job names (保洁, 保安, 普工, 厨师 …) grouped, each with its 职业分类大典 middle category.

One list for registration (求职意向), employer postings (the posting's job name), the interest
exploration's suggestions (``assets/interests/jobs.json``) and the résumé's past jobs. Pure data.

* ``id``: stable ASCII key stored in profiles and postings;
* ``name``: what a station visitor calls the job; "月嫂/育婴员" style names are one choice;
* ``occupation_code``: 职业分类大典 (2022) middle category (:mod:`kiosk.domain.codes.occupations`),
  the level the catalog and matching use. The codes agree with the catalog's title classifier
  (:func:`~kiosk.domain.codes.occupations.classify_title`) except where the 大典 places the trade
  elsewhere: 焊工 is under 6-18 机械制造基础加工人员 and 水电工 (building) under 6-29 建筑施工人员
  (the classifier files both under 6-31) — see :data:`CLASSIFIER_DIFFERENCES`;
* ``synonyms``: other names people type or say (清洁工, 保姆, 骑手 …).

Search (:func:`search`) matches Chinese text, full pinyin and pinyin initials of the name and
the synonyms. Readings (:data:`READINGS`) were produced with pypinyin's phrase dictionary
(so 会计 is "kuai ji", 仓管 "cang guan"; ü written "v") and are checked against it by the tests;
they are stored here so the domain needs no dictionary at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.codes.errors import UnknownCodeError


@dataclass(frozen=True)
class EverydayJob:
    """One everyday job name (see the module docstring for the fields)."""

    id: str
    name: str
    group: str
    occupation_code: str
    name_en: str
    synonyms: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The name's parts ("月嫂/育婴员" → 月嫂, 育婴员) and the synonyms, in order."""
        return tuple(dict.fromkeys((*self.name.split("/"), *self.synonyms)))


#: Groups in the order a jobseeker browses them: (id, Chinese name, English name).
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("care", "家政护理", "Home help and care"),
    ("cleaning_security", "保洁保安", "Cleaning and security"),
    ("catering", "餐饮酒店", "Restaurants and hotels"),
    ("logistics", "快递物流运输", "Delivery, logistics and driving"),
    ("factory", "工厂生产", "Factory work"),
    ("trades", "技术工种", "Skilled trades"),
    ("repair", "维修", "Repairs"),
    ("sales", "销售客服", "Sales and customer service"),
    ("office", "办公文员", "Office work"),
    ("personal", "生活服务", "Personal services"),
    ("farming", "农业", "Farming"),
    ("education", "教育培训", "Teaching and tutoring"),
)
GROUP_NAMES: dict[str, str] = {g[0]: g[1] for g in GROUPS}

JOBS: tuple[EverydayJob, ...] = (
    EverydayJob("housekeeper", "家政服务员", "care", "4-10", "Housekeeper", ("保姆", "钟点工", "家政")),
    EverydayJob("maternity_nanny", "月嫂/育婴员", "care", "4-10", "Maternity nurse / nanny",
                ("月嫂", "育婴员", "育婴师", "育儿嫂", "母婴护理")),
    EverydayJob("elderly_carer", "养老护理员", "care", "4-10", "Elderly carer",
                ("照顾老人", "养老院护理", "护理员")),
    EverydayJob("hospital_carer", "护工", "care", "4-14", "Care assistant (hospital)",
                ("陪护", "医院护工", "医疗护理员")),
    EverydayJob("childcare_worker", "保育员", "care", "4-10", "Childcare worker", ("幼儿园阿姨", "生活老师")),
    EverydayJob("cleaner", "保洁员", "cleaning_security", "4-09", "Cleaner",
                ("保洁", "清洁工", "打扫卫生", "清洁")),
    EverydayJob("security_guard", "保安员", "cleaning_security", "4-07", "Security guard",
                ("保安", "门卫", "安保")),
    EverydayJob("street_cleaner", "环卫工", "cleaning_security", "4-09", "Street cleaner",
                ("环卫", "扫马路")),
    EverydayJob("gardener", "绿化工", "cleaning_security", "4-09", "Gardener", ("园林绿化", "绿化养护")),
    EverydayJob("property_clerk", "物业管理员", "cleaning_security", "4-06", "Property management assistant",
                ("物业", "物业管家")),
    EverydayJob("cook", "厨师", "catering", "4-03", "Cook", ("大厨", "炒锅", "厨子")),
    EverydayJob("kitchen_helper", "帮厨", "catering", "4-03", "Kitchen helper", ("切配", "打荷", "厨房帮工")),
    EverydayJob("pastry_cook", "面点师", "catering", "4-03", "Pastry cook", ("面点", "点心师")),
    EverydayJob("waiter", "服务员", "catering", "4-03", "Waiter / waitress", ("餐厅服务员", "传菜员", "前厅")),
    EverydayJob("dishwasher", "洗碗工", "catering", "4-03", "Dishwasher", ("洗碗", "洗碗阿姨")),
    EverydayJob("room_attendant", "客房服务员", "catering", "4-03", "Hotel room attendant",
                ("客房", "酒店保洁")),
    EverydayJob("courier", "快递员", "logistics", "4-02", "Courier", ("快递", "收派员")),
    EverydayJob("food_delivery_rider", "外卖骑手", "logistics", "4-02", "Food delivery rider",
                ("外卖", "骑手", "送外卖", "网约配送员")),
    EverydayJob("driver", "司机", "logistics", "4-02", "Driver", ("驾驶员", "网约车司机", "货车司机", "开车")),
    EverydayJob("warehouse_keeper", "仓管员", "logistics", "4-02", "Warehouse keeper",
                ("仓管", "仓库管理员", "库管")),
    EverydayJob("sorter", "分拣员", "logistics", "4-02", "Parcel sorter", ("分拣", "理货员")),
    EverydayJob("loader", "装卸搬运工", "logistics", "4-02", "Loader / mover", ("装卸工", "搬运工", "搬家")),
    EverydayJob("factory_worker", "普工", "factory", "6-31", "Factory worker",
                ("操作工", "流水线", "电子厂普工", "工厂")),
    EverydayJob("packer", "包装工", "factory", "6-31", "Packer", ("包装", "打包员")),
    EverydayJob("quality_inspector", "质检员", "factory", "6-31", "Quality inspector",
                ("质检", "品检", "检验员")),
    EverydayJob("sewing_worker", "缝纫工", "factory", "6-05", "Sewing machinist",
                ("车位", "车缝工", "服装厂")),
    EverydayJob("machine_repairer", "机修工", "factory", "6-31", "Machine maintenance worker",
                ("机修", "设备维修")),
    EverydayJob("electrician", "电工", "trades", "6-31", "Electrician", ("维修电工", "电工证")),
    EverydayJob("welder", "焊工", "trades", "6-18", "Welder", ("电焊工", "焊接", "电焊")),
    EverydayJob("plumber_electrician", "水电工", "trades", "6-29", "Plumber and electrician (building)",
                ("水电安装", "水电师傅")),
    EverydayJob("carpenter", "木工", "trades", "6-29", "Carpenter", ("木匠",)),
    EverydayJob("bricklayer", "泥水工", "trades", "6-29", "Bricklayer / tiler", ("泥瓦工", "瓦工", "贴砖")),
    EverydayJob("painter", "油漆工", "trades", "6-29", "Painter", ("刷漆", "油工")),
    EverydayJob("construction_worker", "建筑工", "trades", "6-29", "Construction worker",
                ("工地", "钢筋工", "杂工")),
    EverydayJob("appliance_repairer", "家电维修工", "repair", "4-12", "Appliance repairer",
                ("修家电", "空调安装", "空调维修")),
    EverydayJob("ebike_repairer", "电动车维修工", "repair", "4-12", "E-bike repairer", ("修电动车", "修车")),
    EverydayJob("car_mechanic", "汽车维修工", "repair", "4-12", "Car mechanic", ("汽修", "修汽车", "汽车美容")),
    EverydayJob("phone_repairer", "手机维修员", "repair", "4-12", "Phone repairer", ("修手机",)),
    EverydayJob("salesperson", "销售", "sales", "4-01", "Salesperson", ("销售员", "业务员", "推销")),
    EverydayJob("shop_assistant", "导购/营业员", "sales", "4-01", "Shop assistant", ("导购", "营业员", "店员")),
    EverydayJob("cashier", "收银员", "sales", "4-01", "Cashier", ("收银",)),
    EverydayJob("customer_service", "客服", "sales", "4-01", "Customer service",
                ("客服专员", "电话客服", "接线员")),
    EverydayJob("live_streamer", "主播/电商", "sales", "4-01", "Live-stream seller / online shop",
                ("主播", "直播带货", "电商", "网店")),
    EverydayJob("clerk", "文员", "office", "3-01", "Office clerk", ("办公室文员", "录入员", "打字员")),
    EverydayJob("receptionist", "前台", "office", "3-01", "Receptionist", ("前台接待", "接待员")),
    EverydayJob("accountant", "会计/出纳", "office", "2-06", "Accountant / cashier (office)",
                ("会计", "出纳", "记账")),
    EverydayJob("hr_admin", "人事行政", "office", "3-01", "HR and administration",
                ("人事", "行政", "行政助理")),
    EverydayJob("data_labeller", "数据标注员", "office", "4-04", "Data labeller", ("数据标注",)),
    EverydayJob("hairdresser", "美发师", "personal", "4-10", "Hairdresser", ("理发", "理发师", "剪头发")),
    EverydayJob("beautician", "美容师", "personal", "4-10", "Beautician", ("美容", "美甲")),
    EverydayJob("massage_therapist", "保健按摩师", "personal", "4-10", "Massage therapist",
                ("按摩师", "按摩", "足疗", "推拿")),
    EverydayJob("crop_farmer", "种植工", "farming", "5-01", "Crop farm worker", ("种菜", "种地", "果园")),
    EverydayJob("livestock_farmer", "养殖工", "farming", "5-03", "Livestock worker",
                ("养猪", "养鸡", "养殖")),
    EverydayJob("tutor", "辅导老师", "education", "2-08", "Tutor / teacher", ("老师", "教师", "托管老师")),
)
BY_ID: dict[str, EverydayJob] = {job.id: job for job in JOBS}
#: The jobs most station visitors ask for (issue 17's list), shown first as 常见工作 before the
#: groups (each stays in its group too): 保洁, 保安, 普工, 厨师, 服务员, 快递员, 外卖骑手, 司机,
#: 仓管, 月嫂/育婴, 护工, 电工, 焊工, 销售, 客服, 文员.
POPULAR: tuple[str, ...] = (
    "cleaner", "security_guard", "factory_worker", "cook", "waiter", "courier",
    "food_delivery_rider", "driver", "warehouse_keeper", "maternity_nanny", "hospital_carer",
    "electrician", "welder", "salesperson", "customer_service", "clerk")
CLASSIFIER_DIFFERENCES = frozenset({"welder", "plumber_electrician"})

_READINGS = """
家政服务员 jia zheng fu wu yuan
保姆 bao mu
钟点工 zhong dian gong
家政 jia zheng
月嫂 yue sao
育婴员 yu ying yuan
育婴师 yu ying shi
育儿嫂 yu er sao
母婴护理 mu ying hu li
养老护理员 yang lao hu li yuan
照顾老人 zhao gu lao ren
养老院护理 yang lao yuan hu li
护理员 hu li yuan
护工 hu gong
陪护 pei hu
医院护工 yi yuan hu gong
医疗护理员 yi liao hu li yuan
保育员 bao yu yuan
幼儿园阿姨 you er yuan a yi
生活老师 sheng huo lao shi
保洁员 bao jie yuan
保洁 bao jie
清洁工 qing jie gong
打扫卫生 da sao wei sheng
清洁 qing jie
保安员 bao an yuan
保安 bao an
门卫 men wei
安保 an bao
环卫工 huan wei gong
环卫 huan wei
扫马路 sao ma lu
绿化工 lv hua gong
园林绿化 yuan lin lv hua
绿化养护 lv hua yang hu
物业管理员 wu ye guan li yuan
物业 wu ye
物业管家 wu ye guan jia
厨师 chu shi
大厨 da chu
炒锅 chao guo
厨子 chu zi
帮厨 bang chu
切配 qie pei
打荷 da he
厨房帮工 chu fang bang gong
面点师 mian dian shi
面点 mian dian
点心师 dian xin shi
服务员 fu wu yuan
餐厅服务员 can ting fu wu yuan
传菜员 chuan cai yuan
前厅 qian ting
洗碗工 xi wan gong
洗碗 xi wan
洗碗阿姨 xi wan a yi
客房服务员 ke fang fu wu yuan
客房 ke fang
酒店保洁 jiu dian bao jie
快递员 kuai di yuan
快递 kuai di
收派员 shou pai yuan
外卖骑手 wai mai qi shou
外卖 wai mai
骑手 qi shou
送外卖 song wai mai
网约配送员 wang yue pei song yuan
司机 si ji
驾驶员 jia shi yuan
网约车司机 wang yue che si ji
货车司机 huo che si ji
开车 kai che
仓管员 cang guan yuan
仓管 cang guan
仓库管理员 cang ku guan li yuan
库管 ku guan
分拣员 fen jian yuan
分拣 fen jian
理货员 li huo yuan
装卸搬运工 zhuang xie ban yun gong
装卸工 zhuang xie gong
搬运工 ban yun gong
搬家 ban jia
普工 pu gong
操作工 cao zuo gong
流水线 liu shui xian
电子厂普工 dian zi chang pu gong
工厂 gong chang
包装工 bao zhuang gong
包装 bao zhuang
打包员 da bao yuan
质检员 zhi jian yuan
质检 zhi jian
品检 pin jian
检验员 jian yan yuan
缝纫工 feng ren gong
车位 che wei
车缝工 che feng gong
服装厂 fu zhuang chang
机修工 ji xiu gong
机修 ji xiu
设备维修 she bei wei xiu
电工 dian gong
维修电工 wei xiu dian gong
电工证 dian gong zheng
焊工 han gong
电焊工 dian han gong
焊接 han jie
电焊 dian han
水电工 shui dian gong
水电安装 shui dian an zhuang
水电师傅 shui dian shi fu
木工 mu gong
木匠 mu jiang
泥水工 ni shui gong
泥瓦工 ni wa gong
瓦工 wa gong
贴砖 tie zhuan
油漆工 you qi gong
刷漆 shua qi
油工 you gong
建筑工 jian zhu gong
工地 gong di
钢筋工 gang jin gong
杂工 za gong
家电维修工 jia dian wei xiu gong
修家电 xiu jia dian
空调安装 kong tiao an zhuang
空调维修 kong tiao wei xiu
电动车维修工 dian dong che wei xiu gong
修电动车 xiu dian dong che
修车 xiu che
汽车维修工 qi che wei xiu gong
汽修 qi xiu
修汽车 xiu qi che
汽车美容 qi che mei rong
手机维修员 shou ji wei xiu yuan
修手机 xiu shou ji
销售 xiao shou
销售员 xiao shou yuan
业务员 ye wu yuan
推销 tui xiao
导购 dao gou
营业员 ying ye yuan
店员 dian yuan
收银员 shou yin yuan
收银 shou yin
客服 ke fu
客服专员 ke fu zhuan yuan
电话客服 dian hua ke fu
接线员 jie xian yuan
主播 zhu bo
电商 dian shang
直播带货 zhi bo dai huo
网店 wang dian
文员 wen yuan
办公室文员 ban gong shi wen yuan
录入员 lu ru yuan
打字员 da zi yuan
前台 qian tai
前台接待 qian tai jie dai
接待员 jie dai yuan
会计 kuai ji
出纳 chu na
记账 ji zhang
人事行政 ren shi xing zheng
人事 ren shi
行政 xing zheng
行政助理 xing zheng zhu li
数据标注员 shu ju biao zhu yuan
数据标注 shu ju biao zhu
美发师 mei fa shi
理发 li fa
理发师 li fa shi
剪头发 jian tou fa
美容师 mei rong shi
美容 mei rong
美甲 mei jia
保健按摩师 bao jian an mo shi
按摩师 an mo shi
按摩 an mo
足疗 zu liao
推拿 tui na
种植工 zhong zhi gong
种菜 zhong cai
种地 zhong di
果园 guo yuan
养殖工 yang zhi gong
养猪 yang zhu
养鸡 yang ji
养殖 yang zhi
辅导老师 fu dao lao shi
老师 lao shi
教师 jiao shi
托管老师 tuo guan lao shi
"""
#: Chinese word → its pinyin syllables (lower case, no tones, ü as "v").
READINGS: dict[str, tuple[str, ...]] = {
    line.split(" ", 1)[0]: tuple(line.split(" ")[1:]) for line in _READINGS.strip().splitlines()
}


def get(job_id: str) -> EverydayJob:
    """The job with ``job_id``; raises UnknownCodeError."""
    try:
        return BY_ID[job_id]
    except KeyError as exc:
        raise UnknownCodeError("常用工种", job_id) from exc


def in_group(group: str) -> tuple[EverydayJob, ...]:
    """The jobs of one group, in list order; raises UnknownCodeError for an unknown group."""
    if group not in GROUP_NAMES:
        raise UnknownCodeError("常用工种分组", group)
    return tuple(job for job in JOBS if job.group == group)


def for_occupation(code: str) -> tuple[EverydayJob, ...]:
    """The jobs filed under a 大典 middle category ("4-03") or major ("4")."""
    return tuple(job for job in JOBS
                 if job.occupation_code == code or job.occupation_code.split("-")[0] == code)


def _keys(word: str) -> tuple[str, str]:
    syllables = READINGS[word]
    return "".join(syllables), "".join(s[0] for s in syllables)


def search(query: str) -> list[EverydayJob]:
    """Jobs matching ``query``: Chinese text, full pinyin ("baojie") or initials ("bj") of the
    name or a synonym, case and spaces ignored.

    Ranking (then list order): 0 the query starts the name (or a part of "月嫂/育婴员");
    1 it is a whole synonym; 2 it starts a synonym; 3 it appears inside the name or a synonym.
    "cg" therefore finds 仓管员 (name) before 厨师 (synonym 炒锅). Empty query → every job in
    list (browse) order.
    """
    return [job for job, _word in search_words(query)]


def search_words(query: str) -> list[tuple[EverydayJob, str]]:
    """:func:`search`, each job with the word that matched best: a part of its name, or the
    synonym ("门卫" for 保安员), so a screen can say why a job was found. Empty query → every
    job with its name."""
    q = "".join(query.split()).lower()
    if not q:
        return [(job, job.name) for job in JOBS]
    ranked: list[tuple[int, int, EverydayJob, str]] = []
    for index, job in enumerate(JOBS):
        names = job.name.split("/")
        best, matched = 4, ""
        for word in job.words:
            keys = (word, *_keys(word))
            if word in names and any(k.startswith(q) for k in keys):
                tier = 0
            elif q in keys:
                tier = 1
            elif any(k.startswith(q) for k in keys):
                tier = 2
            elif any(q in k for k in keys):
                tier = 3
            else:
                continue
            if tier < best:
                best, matched = tier, word
        if best < 4:
            ranked.append((best, index, job, matched))
    return [(job, word) for _tier, _index, job, word in sorted(ranked, key=lambda r: (r[0], r[1]))]
