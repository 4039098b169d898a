"""Pick-lists for the résumé's 技能特长 and 证书 (common entries a station visitor has). Pure data.

The project's own lists (no national code table exists for them): the certificates are the
ones vacancies for everyday jobs ask for most — 健康证 for food and care work, the 特种作业操作证
of 应急管理部门 (低压电工, 焊接与热切割) and the 特种设备作业人员证 (叉车 N1), driving licences
by class, and 职业技能等级证书 for the service trades. The résumé also accepts free text; the
journey offers these first. Labels are what is printed.
"""

from __future__ import annotations

CERTIFICATES: tuple[str, ...] = (
    "健康证",
    "低压电工作业证（特种作业操作证）",
    "焊接与热切割作业证（特种作业操作证）",
    "高处作业证（特种作业操作证）",
    "叉车证（特种设备作业人员证N1）",
    "驾驶证C1",
    "驾驶证B2",
    "驾驶证A2",
    "保安员证",
    "育婴员证书",
    "养老护理员证书",
    "家政服务员证书",
    "中式烹调师证书",
    "中式面点师证书",
    "美发师证书",
    "初级会计专业技术资格",
    "计算机等级证书",
    "普通话水平测试等级证书",
)

SKILLS: tuple[str, ...] = (
    "会用电脑打字",
    "会用Excel表格",
    "会用智能手机办事",
    "会开车",
    "会骑电动车送货",
    "会说普通话",
    "会说粤语",
    "会说客家话",
    "会说潮汕话",
    "会做饭",
    "会照顾老人",
    "会带小孩",
    "会修电动车",
    "会看图纸",
    "会用收银机",
    "能上夜班",
    "能上早班",
    "能接受倒班",
    "能干体力活",
)
