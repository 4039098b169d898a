"""Guangdong minimum wage (最低工资标准) and the check of a posting's pay against it. Pure.

Default table (:data:`GUANGDONG_2021`): 广东省人民政府《关于调整我省最低工资标准的通知》, in force
**2021-12-01**, as reported by 南方日报 2021-11-27 (stored copy of the 省政府 page:
yanshiren.com/zwgk/zcjd/mtjd/content/post_3679301.html, *mirror*). Four classes:

=====  =========================================================  ========  =========
class  cities                                                     元/月      元/小时 (非全日制)
=====  =========================================================  ========  =========
一类    广州 / 深圳                                                 2300/2360  22.2
二类    珠海、佛山、东莞、中山                                        1900      18.1
三类    汕头、惠州、江门、湛江、肇庆                                  1720      17.0
四类    韶关、河源、梅州、汕尾、阳江、茂名、清远、潮州、揭阳、云浮        1620      16.1
=====  =========================================================  ========  =========

**(unclear)** The province adjusts the standard at least every two to three years (《最低工资规定》
劳动和社会保障部令第21号 第十条), so a later table has very probably replaced this one; the
reference material did not contain it. The table is therefore data: a site passes its own
:class:`MinimumWageTable` (``MinimumWageTable.from_mapping``) once the operator confirms the
current figures, and every result names the table's ``source``.

Pay units (a posting's ``pay_unit``): ``MONTH`` 元/月 against the monthly standard; ``HOUR``
元/小时 against the 非全日制 hourly standard (a 零工 is paid like part-time work, 《劳动合同法》
第六十八条); ``DAY`` 元/天 against the hourly standard × the day's working hours (the gig's
duration, default :data:`DEFAULT_DAY_HOURS` = 8) **(inference)**; ``PIECE`` 元/件 cannot be
checked without the output per hour — the result says so and is never "below".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kiosk.domain.codes.errors import CodeError, UnknownCodeError

PAY_UNITS = {"MONTH": "元/月", "DAY": "元/天", "HOUR": "元/小时", "PIECE": "元/件"}
DEFAULT_DAY_HOURS = 8.0


@dataclass(frozen=True)
class MinimumWage:
    """One city's standard: ``monthly`` 元/月 (full-time), ``hourly`` 元/小时 (非全日制)."""

    monthly: float
    hourly: float


@dataclass(frozen=True)
class MinimumWageTable:
    """City code (4 digits, GB/T 2260) → :class:`MinimumWage`, with where the figures come from.

    ``in_force`` is the date the table applies from; ``source`` a citation shown to staff.
    """

    cities: Mapping[str, MinimumWage]
    in_force: date
    source: str

    def for_division(self, division_code: str) -> MinimumWage:
        """The standard of the city containing ``division_code`` (4, 6 or 9 digits).

        Raises:
            UnknownCodeError: the code is not under a city of the table.
        """
        city = division_code[:4]
        if len(division_code) < 4 or not division_code.isdigit() or city not in self.cities:
            raise UnknownCodeError("广东省最低工资标准（地级市）", division_code)
        return self.cities[city]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> MinimumWageTable:
        """Build a site table from ``{"in_force": "YYYY-MM-DD", "source": str, "cities":
        {"4401": {"monthly": 2300, "hourly": 22.2}, ...}}`` (e.g. parsed TOML or JSON).

        Raises:
            CodeError: a missing key, a wrong type, a non-positive figure or a bad date.
        """
        try:
            in_force = date.fromisoformat(str(data["in_force"]))
            source = data["source"]
            raw = data["cities"]
            if not isinstance(source, str) or not source.strip() or not isinstance(raw, Mapping):
                raise CodeError("minimum wage table: source must be text, cities a table")
            cities: dict[str, MinimumWage] = {}
            for code, entry in raw.items():
                if not (isinstance(code, str) and len(code) == 4 and code.isdigit()) or \
                        not isinstance(entry, Mapping):
                    raise CodeError(f"minimum wage table: bad city entry {code!r}")
                monthly, hourly = entry["monthly"], entry["hourly"]
                if not all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0
                           for v in (monthly, hourly)):
                    raise CodeError(f"minimum wage table: {code} needs positive figures")
                cities[code] = MinimumWage(float(monthly), float(hourly))
        except KeyError as exc:
            raise CodeError(f"minimum wage table: missing {exc.args[0]!r}") from exc
        except ValueError as exc:
            if isinstance(exc, CodeError):
                raise
            raise CodeError("minimum wage table: in_force must be YYYY-MM-DD") from exc
        return cls(cities, in_force, source)


def _table(classes: Mapping[tuple[str, ...], tuple[float, float]]) -> dict[str, MinimumWage]:
    return {city: MinimumWage(*figures) for cities, figures in classes.items() for city in cities}


GUANGDONG_2021 = MinimumWageTable(
    cities=_table({
        ("4401",): (2300, 22.2),                                      # 一类 广州
        ("4403",): (2360, 22.2),                                      # 一类 深圳
        ("4404", "4406", "4419", "4420"): (1900, 18.1),               # 二类
        ("4405", "4413", "4407", "4408", "4412"): (1720, 17.0),       # 三类 (湛江 moved up in 2021)
        ("4402", "4416", "4414", "4415", "4417", "4409", "4418", "4451", "4452", "4453"):
            (1620, 16.1),                                             # 四类
    }),
    in_force=date(2021, 12, 1),
    source="广东省人民政府《关于调整我省最低工资标准的通知》（2021年12月1日起执行）",
)


@dataclass(frozen=True)
class PayCheck:
    """Result of :func:`check_pay`.

    Attributes:
        below: True when the pay is below the standard, False when not, None when it cannot
            be checked (``PIECE``).
        minimum: the comparable minimum in the posting's unit (元 per unit), 0 for ``PIECE``.
        unit: the pay unit checked.
        message_zh: what to show the employer (plain Chinese).
        source: the table's citation.
    """

    below: bool | None
    minimum: float
    unit: str
    message_zh: str
    source: str


def check_pay(pay: float, unit: str, division_code: str, *, hours_per_day: float | None = None,
              table: MinimumWageTable = GUANGDONG_2021) -> PayCheck:
    """Compare a posting's ``pay`` (元 per ``unit``) with the minimum wage of its place.

    Args:
        pay: the offered pay, 元 per unit (the lower bound of a range).
        unit: ``MONTH``, ``DAY``, ``HOUR`` or ``PIECE`` (:data:`PAY_UNITS`).
        division_code: GB/T 2260 code of the work place (4, 6 or 9 digits, Guangdong).
        hours_per_day: the gig's daily hours for ``DAY`` (default 8).
        table: the minimum-wage table (default :data:`GUANGDONG_2021`; see module docstring).

    Raises:
        UnknownCodeError: the place is not under a city of the table.
        ValueError: unknown unit, negative pay, or hours not in (0, 24].
    """
    if unit not in PAY_UNITS:
        raise ValueError(f"pay unit must be one of {sorted(PAY_UNITS)}")
    if pay < 0:
        raise ValueError("pay must not be negative")
    hours = DEFAULT_DAY_HOURS if hours_per_day is None else hours_per_day
    if not 0 < hours <= 24:
        raise ValueError("hours_per_day must be in (0, 24]")
    standard = table.for_division(division_code)
    if unit == "PIECE":
        return PayCheck(None, 0.0, unit,
                        "计件工资无法自动核对：按正常工作时间折算后不得低于当地最低工资标准"
                        f"（{standard.monthly:g}元/月，非全日制{standard.hourly:g}元/小时）", table.source)
    minimum = {"MONTH": standard.monthly, "HOUR": standard.hourly,
               "DAY": round(standard.hourly * hours, 2)}[unit]
    label = PAY_UNITS[unit]
    if pay < minimum:
        basis = f"（非全日制{standard.hourly:g}元/小时 × {hours:g}小时）" if unit == "DAY" else ""
        return PayCheck(True, minimum, unit,
                        f"工资低于当地最低工资标准{minimum:g}{label}{basis}，请调整后再提交",
                        table.source)
    return PayCheck(False, minimum, unit, f"不低于当地最低工资标准{minimum:g}{label}", table.source)
