"""Write the project's demo data: assets/demo/vacancies.json and assets/demo/content.json.

Deterministic (fixed seed, fixed dates): running it again gives the same files. Everything is
written for this project: employers are fictitious and marked "（演示）", phone numbers are
"<area code>-8000xxxx" placeholders, coordinates are jittered around district centres (天河区
near the demo station 23.1365, 113.3240 so the 15-minute employment circle shows).
Codes come from kiosk.domain.codes (GB/T 2260 towns, 大典 2022 middle categories, GB/T 4658).

Run: .venv/bin/python assets/demo/make_demo_data.py
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from kiosk.domain.codes import divisions, occupations  # noqa: E402
from kiosk.domain.vacancy import Vacancy  # noqa: E402

SEED = 20261130
BASE_DAY = date(2026, 11, 29)
STATION = (23.1365, 113.3240)
AREA_CODES = {"4401": "020", "4402": "0751", "4403": "0755", "4404": "0756", "4405": "0754",
              "4406": "0757", "4407": "0750", "4408": "0759", "4409": "0668", "4412": "0758",
              "4413": "0752", "4414": "0753", "4415": "0660", "4416": "0762", "4417": "0662",
              "4418": "0763", "4419": "0769", "4420": "0760", "4451": "0768", "4452": "0663",
              "4453": "0766"}
# (district or city code, number of vacancies, centre lat/lon or None)
PLACES = [
    ("440106", 84, STATION), ("440105", 16, (23.0960, 113.3170)),
    ("440111", 16, (23.1580, 113.2730)), ("440306", 16, None), ("440307", 14, None),
    ("4419", 26, None), ("4420", 16, None), ("440203", 6, None), ("440402", 8, None),
    ("440507", 8, None), ("440604", 6, None), ("440606", 8, None), ("440703", 6, None),
    ("440802", 6, None), ("440902", 6, None), ("441202", 6, None), ("441302", 8, None),
    ("441402", 6, None), ("441502", 6, None), ("441602", 6, None), ("441702", 6, None),
    ("441802", 6, None), ("445102", 6, None), ("445202", 6, None), ("445302", 6, None),
]
# title choices, 大典 middle code, pay range (low, high, unit), education, employment type,
# tags, employer trade, duties, weight
JOBS = [
    (["电子厂普工", "流水线操作工", "包装普工", "注塑车间普工", "五金厂普工"], "6-31",
     (4300, 6800, "MONTH"), "", "FULL_TIME", ["包吃住", "五险一金", "长白班"], "电子科技",
     "按作业指导书完成装配、检测或包装，服从班组长安排，可接受两班倒。", 14),
    (["保洁员", "商场保洁员", "写字楼保洁员", "医院保洁员"], "4-09", (2600, 3800, "MONTH"), "",
     "FULL_TIME", ["就近上班", "提供工作餐"], "物业服务", "负责公共区域清洁、垃圾分类收运，"
     "年龄55岁以下，身体健康。", 10),
    (["保安员", "小区保安员", "夜班保安员", "园区巡逻保安"], "4-07", (3600, 5200, "MONTH"), "70",
     "FULL_TIME", ["退役军人优先", "包住"], "保安服务", "门岗值守、巡逻、来访登记，持保安员证优先。",
     8),
    (["家政服务员", "育婴员", "养老护理员", "月嫂", "住家保姆"], "4-10", (5000, 9500, "MONTH"), "",
     "FULL_TIME", ["南粤家政", "免费岗前培训"], "家政服务", "照料老人或婴幼儿起居，做饭、清洁；"
     "公司提供南粤家政岗前培训，持证上岗。", 9),
    (["餐厅服务员", "厨师助理", "面点师", "粤菜厨师", "传菜员", "洗碗工"], "4-03",
     (3800, 6000, "MONTH"), "", "FULL_TIME", ["包吃", "月休4天"], "餐饮管理", "负责点餐、传菜、"
     "备料或厨房清洁，有粤菜师傅证书者优先。", 10),
    (["快递员", "外卖骑手", "快递分拣员", "同城配送员"], "4-02", (6000, 11000, "MONTH"), "",
     "FULL_TIME", ["多劳多得", "电动车可租"], "速递", "负责片区收派件或订单配送，熟悉本地道路，"
     "有智能手机。", 9),
    (["电商客服", "售后客服专员", "直播电商助理", "网店客服"], "4-01", (4000, 6500, "MONTH"), "60",
     "FULL_TIME", ["坐班", "双休"], "电子商务", "通过在线平台解答顾客咨询、处理售后，打字每分钟"
     "40字以上。", 7),
    (["仓库管理员", "仓管员", "物流理货员"], "4-02", (4500, 6500, "MONTH"), "60", "FULL_TIME",
     ["五险一金"], "供应链管理", "负责出入库登记、盘点、系统录入，会用电脑表格。", 6),
    (["货车司机（C1）", "通勤班车司机", "冷链配送司机"], "4-02", (6500, 9500, "MONTH"), "70",
     "FULL_TIME", ["驾龄3年以上"], "运输", "按线路完成配送或接送，持相应驾驶证，无不良驾驶记录。", 5),
    (["医院护工", "陪护护理员", "康复护理员"], "4-14", (4200, 6500, "MONTH"), "", "FULL_TIME",
     ["包住", "免费培训"], "护理服务", "协助病人或老人日常护理、翻身、喂饭，有护理员证优先。", 5),
    (["钟点工（家政）", "兼职保洁"], "4-10", (25, 35, "HOUR"), "", "PART_TIME", ["时间灵活"],
     "家政服务", "按预约上门清洁，每次2至4小时，可就近派单。", 3),
    (["日结装卸工", "临时搬运工"], "4-02", (180, 260, "DAY"), "", "TEMPORARY", ["日结"],
     "物流", "仓库或货运站装卸货物，当天结算工资。", 3),
    (["社区公益性岗位（保洁）", "公益性岗位-网格协管员", "公益性岗位-停车秩序协管员"], "3-01",
     (2300, 2800, "MONTH"), "", "FULL_TIME", ["公益性岗位", "就业困难人员优先"], "街道公共服务",
     "由街道开发安置就业困难人员，签订劳动合同，按规定缴纳社会保险并享受岗位补贴。", 6),
    (["行政见习生", "财务见习生", "电商运营见习生", "人力资源见习生"], "3-01", (2300, 3200, "MONTH"),
     "30", "INTERN", ["见习岗位", "见习补贴"], "企业管理", "面向离校2年内未就业高校毕业生和16-24岁"
     "失业青年，见习期3至12个月，发放见习补贴。", 6),
    (["行政文员", "前台接待", "人事专员"], "3-01", (4000, 6000, "MONTH"), "30", "FULL_TIME",
     ["双休", "五险一金"], "企业管理", "处理日常行政事务、文件归档与接待，熟练使用办公软件。", 4),
    (["会计", "出纳"], "2-06", (5000, 8000, "MONTH"), "30", "FULL_TIME", ["双休"], "财务咨询",
     "负责记账、报税与费用报销，持初级会计职称优先。", 3),
    (["软件测试工程师", "Java开发工程师", "数据标注员"], "2-02", (7000, 15000, "MONTH"), "20",
     "FULL_TIME", ["双休", "五险一金"], "信息技术", "参与软件功能测试、开发或数据标注，计算机相关"
     "专业。", 3),
    (["护士", "小学教师"], "2-05", (6000, 9000, "MONTH"), "30", "FULL_TIME", ["五险一金"],
     "社会服务", "持相应执业或教师资格证，有相关工作经历者优先。", 2),
]
SHOP_NAMES = ["汇盈", "安和", "众诚", "嘉禾", "远航", "顺达", "新域", "恒信", "百顺", "乐居", "禾丰",
              "锦程", "启明", "德润", "华邦", "立信"]


def _job_occupation(job_title: str, default: str) -> str:
    if job_title == "小学教师":
        return "2-08"
    if job_title == "数据标注员":
        return "4-04"
    return default


def _town(rng: random.Random, code: str) -> str:
    towns = sorted(divisions.towns_of(code))
    return rng.choice(towns)


def make_vacancies() -> list[Vacancy]:
    rng = random.Random(SEED)
    weights = [job[-1] for job in JOBS]
    out: list[Vacancy] = []
    for place, count, centre in PLACES:
        city_code = place[:4]
        city = divisions.CITIES[city_code]
        district = divisions.name_of(place) if len(place) == 6 else ""
        for n in range(1, count + 1):
            titles, occ, (low, high, unit), edu, etype, tags, trade, duty, _w = rng.choices(
                JOBS, weights)[0]
            title = rng.choice(titles)
            occ = _job_occupation(title, occ)
            town_code = _town(rng, place)
            town = divisions.name_of(town_code)
            step = 100 if unit == "MONTH" else 5
            pay_low = rng.randrange(low, (low + high) // 2 + 1, step)
            pay_high = rng.randrange(max(pay_low, (low + high) // 2), high + 1, step)
            posted = BASE_DAY - timedelta(days=rng.randrange(0, 90))
            lat = lon = None
            if centre is not None:
                lat = round(centre[0] + rng.uniform(-0.045, 0.045), 5)
                lon = round(centre[1] + rng.uniform(-0.05, 0.05), 5)
            short_city = city.removesuffix("市")
            employer = f"{short_city}{rng.choice(SHOP_NAMES)}{trade}有限公司（演示）"
            if "公益性岗位" in tags:
                employer = f"{town}公共服务办公室（演示）"
            vid = f"V-{place if len(place) == 6 else place + '00'}-{n:04d}"
            out.append(Vacancy(
                id=vid, title=title, employer=employer, city=city, district=district, town=town,
                division_code=town_code,
                address=f"{city}{district}{town}示例路{rng.randrange(1, 300)}号",
                latitude=lat, longitude=lon, salary_min=pay_low, salary_max=pay_high,
                salary_unit=unit, education_code=edu, employment_type=etype,
                occupation_code=occ, occupation_name=occupations.MIDDLES[occ],
                description=f"{duty}工作地点：{town}。",
                contact_name=rng.choice("陈李黄张梁林刘吴") + rng.choice(["先生", "女士"]),
                contact_phone=f"{AREA_CODES[city_code]}-8000{len(out) + 1:04d}",
                date_posted=posted.isoformat(),
                valid_through=(posted + timedelta(days=rng.choice([60, 90]))).isoformat(),
                total_openings=rng.choice([1, 2, 3, 5, 10]),
                public_welfare="公益性岗位" in tags, internship="见习岗位" in tags,
                updated_at=f"{posted.isoformat()}T08:00:00Z", tags=tuple(tags)))
    return out


POLICIES = [
    ("P-001", "一次性创业资助", "创业补贴",
     "首次创办小微企业或从事个体经营、正常经营满6个月的，可申请一次性创业资助。",
     "对象：在校及毕业5年内高校毕业生、港澳台青年、返乡创业人员、退役军人、就业困难人员等。"
     "条件：在本省首次登记注册，正常经营6个月以上，依法缴纳社会保险。额度以当地最新规定为准，"
     "可在驿站自助终端查询办理渠道，或向驿站工作人员咨询。"),
    ("P-002", "吸纳就业补贴", "企业招用补贴",
     "中小微企业招用毕业年度或离校2年内未就业高校毕业生、就业困难人员等，可申请吸纳就业补贴。",
     "企业与所招人员签订1年以上劳动合同并按月缴纳社会保险，可按人数申领一次性补贴。"
     "申领材料一般包括劳动合同、社保缴费记录和人员身份证明，具体标准按当地人社部门公布执行。"),
    ("P-003", "技能提升补贴", "职业培训",
     "参加失业保险的职工取得职业资格证书或职业技能等级证书的，可申请技能提升补贴。",
     "按初级、中级、高级证书分档补贴，同一职业同一等级只能申领一次。"
     "证书须在全国联网查询平台可查，申请一般在取证后12个月内通过线上渠道提交。"),
    ("P-004", "南粤家政工程", "三项工程",
     "为家政、养老、育婴、医疗护理等岗位提供免费或补贴培训，并推荐上岗。",
     "南粤家政工程面向有意从事家政服务的劳动者，提供母婴、居家服务、养老护理、医疗护理等培训，"
     "培训合格后可参加技能评价，驿站可推荐对接家政服务企业。"),
    ("P-005", "粤菜师傅工程", "三项工程",
     "围绕粤菜烹饪技能开展培训与技能评价，帮助劳动者到餐饮企业就业或创业。",
     "粤菜师傅工程组织中式烹调、中式面点等项目培训，符合条件者可享受培训补贴，"
     "优秀学员可推荐到餐饮企业就业，也可申请创业扶持。"),
    ("P-006", "广东技工工程", "三项工程",
     "通过技工院校教育和企业新型学徒制培养技能人才，可享受相关补贴。",
     "劳动者可报读技工院校或参加企业新型学徒制培训，取得相应职业技能等级证书；"
     "企业开展学徒培训可按规定申领补贴。"),
    ("P-007", "就业困难人员社会保险补贴", "就业援助",
     "用人单位招用或公益性岗位安置就业困难人员并缴纳社保的，可按规定获得社保补贴。",
     "就业困难人员须经认定（如大龄失业、残疾、低保家庭、零就业家庭成员等）。"
     "灵活就业的就业困难人员也可按规定申请部分社保补贴，补贴期限一般不超过3年。"),
    ("P-008", "高校毕业生就业见习", "就业见习",
     "离校2年内未就业高校毕业生和16-24岁失业青年可参加3至12个月就业见习，领取见习补贴。",
     "见习单位提供见习岗位并指定带教人员，为见习人员购买意外伤害保险；"
     "见习期满留用的，单位可按规定享受相关补贴。可在本终端“找工作”中筛选见习岗位。"),
]
COURSES = [
    ("C-001", "母婴护理（月嫂）培训班", "天河区南粤家政示范培训基地（演示）",
     "广州市天河区天河南街道示例路18号", "2026-12-07", 80, "南粤家政项目，符合条件者免费",
     "学习新生儿护理、产妇照护、营养餐制作，结业可参加专项职业能力考核。"),
    ("C-002", "养老护理员（初级）培训", "广州示例职业培训学校（演示）",
     "广州市天河区林和街道示例路66号", "2026-12-14", 120, "可申请职业技能培训补贴",
     "老年人生活照料、基础护理、安全防护与沟通技巧，考核合格取得职业技能等级证书。"),
    ("C-003", "粤式点心制作培训班", "广州示例烹饪技工学校（演示）",
     "广州市海珠区赤岗街道示例路9号", "2026-12-21", 100, "粤菜师傅项目，补贴后个人免费",
     "虾饺、烧卖、叉烧包等粤式点心制作，含食品安全知识，适合有意进入餐饮业的学员。"),
    ("C-004", "电商直播与网店客服实操", "天河区就业驿站联合培训点（演示）",
     "广州市天河区天河南街道示例路18号", "2026-12-10", 40, "失业人员免费",
     "网店后台操作、客服话术、直播间基础运营，结业推荐电商企业面试。"),
    ("C-005", "电工（初级）技能培训", "广东示例技工学校（演示）", "佛山市顺德区大良街道示例路3号",
     "2027-01-04", 160, "广东技工项目，可申请技能提升补贴",
     "低压电工基础、安全用电与常用电气设备安装，考核合格取得证书。"),
    ("C-006", "叉车司机培训", "东莞示例物流职业培训中心（演示）", "东莞市长安镇示例路21号",
     "2026-12-16", 60, "符合条件者享受培训补贴", "叉车构造、驾驶操作与安全规程，持证上岗仓储物流岗位。"),
    ("C-007", "创业培训（SYB）", "天河区创业服务中心（演示）", "广州市天河区员村街道示例路5号",
     "2026-12-12", 56, "免费，结业可申请创业担保贷款", "创业意识、市场评估、企业财务与创业计划书编写。"),
    ("C-008", "医疗护理员培训", "深圳示例护理培训中心（演示）", "深圳市宝安区新安街道示例路12号",
     "2026-12-19", 90, "南粤家政项目，符合条件者免费",
     "病人生活照护、协助翻身与移动、感染防控，结业推荐医院陪护岗位。"),
]


def make_content() -> dict:
    policies = [{"id": pid, "title": title, "summary": summary, "body": body,
                 "url": f"https://example.invalid/policies/{pid}", "category": category,
                 "updated_at": "2026-11-01"}
                for pid, title, category, summary, body in POLICIES]
    courses = [{"id": cid, "title": title, "provider": provider, "address": address,
                "start_date": start, "hours": hours, "subsidy": subsidy, "summary": summary,
                "signup_url": f"https://example.invalid/courses/{cid}"}
               for cid, title, provider, address, start, hours, subsidy, summary in COURSES]
    return {"policies": policies, "courses": courses}


def main() -> int:
    vacancies = [dict(asdict(v), tags=list(v.tags)) for v in make_vacancies()]
    for name, data in (("vacancies.json", {"vacancies": vacancies}),
                       ("content.json", make_content())):
        (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    print(f"wrote {len(vacancies)} vacancies, {len(POLICIES)} policies, {len(COURSES)} courses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
