"""The station's service figures as text (issue 21): the same document as ``kiosk stats
--json`` (``StationStats.as_json``) for a technician — on the terminal (``kiosk stats``) and on
the maintenance screen. Chinese first, English second; times in China Standard Time."""

from __future__ import annotations

from typing import Any

from kiosk.domain.china_time import format_china_iso


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s"


def report_text(figures: dict[str, Any], table: bool = True) -> str:
    """The human-readable form of ``StationStats.as_json()`` (``kiosk stats`` and the
    maintenance screen). ``table``: one fixed-width row per kind (a terminal); False: one line
    per kind with the same figures (a proportional font on the screen)."""
    t = figures["transactions"]
    r = figures["ratings"]
    lines = [
        f"统计区间 period: {format_china_iso(figures['since'], empty='全部 all kept')} – "
        f"{format_china_iso(figures['until'])} (北京时间 China time)",
        f"业务 transactions {t['total']}: 完成 completed {t['completed']} · 中途离开 abandoned "
        f"{t['abandoned']} · 失败 failed {t['failed']} · 进行中 open {t['open']}",
        f"完成率 completion rate {_pct(t['completion_rate'])} · 用时中位数 median "
        f"{_s(t['duration_s']['median_s'])} · P90 {_s(t['duration_s']['p90_s'])}",
        "",
        f"{'业务 kind':<40}{'total':>7}{'done':>7}{'left':>7}{'fail':>7}{'rate':>9}"
        f"{'median':>9}{'p90':>8}",
    ]
    if not table:
        lines[-1] = "业务 kind: total · done · left · fail · rate · median · p90"
    for kind, k in figures["by_kind"].items():
        if table:
            lines.append(f"{kind:<40}{k['total']:>7}{k['completed']:>7}{k['abandoned']:>7}"
                         f"{k['failed']:>7}{_pct(k['completion_rate']):>9}"
                         f"{_s(k['duration_s']['median_s']):>9}{_s(k['duration_s']['p90_s']):>8}")
        else:
            lines.append(f"{kind}: {k['total']} · {k['completed']} · {k['abandoned']} · "
                         f"{k['failed']} · {_pct(k['completion_rate'])} · "
                         f"{_s(k['duration_s']['median_s'])} · {_s(k['duration_s']['p90_s'])}")
    levels = " · ".join(f"{lv}★ {n}" for lv, n in r["by_level"].items())
    lines += [
        "",
        f"好差评 ratings {r['count']} ({levels}); 满意率 satisfaction {_pct(r['satisfaction_rate'])}"
        f" · 差评 bad {r['bad']} · 参评率 rated {_pct(r['rated_share'])}",
        "设备故障 device fault minutes: " + " · ".join(
            f"{device} {minutes:.1f}" for device, minutes in figures["device_fault_minutes"].items()),
        f"语言 languages: 中文 {figures['languages']['zh_CN']} · English "
        f"{figures['languages']['en']} · 长辈模式 elderly mode {figures['elderly_mode']}",
    ]
    return "\n".join(lines)


__all__ = ["report_text"]
