"""Counting periods the way 《民法典》第二百零一条至第二百零三条 does.

The national registration rules give periods in years and months but do not say on
which day they end.  This project reads them with the Civil Code:

* 第二百零一条: the day the period starts is not counted; counting begins the next day.
* 第二百零二条: a period of years or months ends on the *corresponding day* of the last
  month; where that month has no such day, it ends on the last day of that month.
  So 2024-02-29 + 1 year = 2025-02-28, and 2022-05-31 + 3 years = 2025-05-31.
  Counting backwards (a window that opens 3 months before an end date) uses the same
  rule: 2025-05-31 - 3 months = 2025-02-28.
* 第二百零三条: when the last day is a statutory holiday, the period ends on the day
  after the holiday ends.  Courts have read rest days (as moved by 调休) into this, so
  the project moves a last day that is not a working day to the next working day of
  the published calendar.  Years without published data are reported as unknown.

With the start day excluded and the end on the corresponding day, "start + N years"
is exactly the corresponding-day rule, so ``add_months`` is all the arithmetic needed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

from . import workcalendar


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later (or earlier), month end if it does not exist."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class HolidayCheck:
    """What 第二百零三条 does to a last day.

    status is ``working_day`` (the day stands), ``extended`` (moved to ``extended_to``)
    or ``unknown`` (no published working-day calendar for that year).
    """

    status: str
    extended_to: dt.date | None
    reason: str


def _is_workday(day: dt.date) -> bool | None:
    return workcalendar.default().is_workday(day)


def _holiday_name(day: dt.date) -> str:
    name = workcalendar.default().holiday(day)
    return _HOLIDAY_ZH.get(name, name) if name else "休息日"


_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def known_years() -> tuple[int, int]:
    """The years for which the published working-day calendar is available."""
    return workcalendar.default().known_years()


def _basis(*days: dt.date) -> str:
    """The notice a data file copied, for the days it decided (the library's years cite none)."""
    notices = {f.name: f.notice for d in days if (f := workcalendar.default().notice(d))}
    return "".join(f"（依据《{n['title']}》，{n['number']}）" for n in notices.values())


def _next_workday(day: dt.date) -> dt.date | None:
    """The first working day on or after ``day``; None once the calendar runs out."""
    while True:
        w = _is_workday(day)
        if w is None:
            return None
        if w:
            return day
        day += dt.timedelta(days=1)


@functools.lru_cache(maxsize=16384)
def holiday_check(day: dt.date) -> HolidayCheck:
    """Apply 第二百零三条 to a last day, using only published calendars."""
    first, last = known_years()
    workday = _is_workday(day)
    if workday:
        return HolidayCheck("working_day", None, f"{zh_date(day)}是工作日，期限不顺延{_basis(day)}。")
    moved = None if workday is None else _next_workday(day + dt.timedelta(days=1))
    if moved is None:
        what = "" if workday is None else f"{zh_date(day)}是{_holiday_name(day)}，期限顺延到节后第一个工作日；但"
        return HolidayCheck(
            "unknown",
            None,
            f"{what}本站的节假日和调休数据只覆盖{first}–{last}年，{last}年以后的安排本站没有数据，"
            "无法确定期限是否顺延、顺延到哪一天；如遇法定节假日，期限顺延到节后第一个工作日，以当年公布的安排为准。",
        )
    return HolidayCheck(
        "extended",
        moved,
        f"{zh_date(day)}是{_holiday_name(day)}，期限顺延到之后第一个工作日{zh_date(moved)}{_basis(day, moved)}。",
    )


def zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
