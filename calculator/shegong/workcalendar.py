"""The published working-day calendar: chinese-calendar, and a year's notice kept as data.

Each autumn or winter the General Office of the State Council publishes the next year's
arrangement (国务院办公厅关于某年部分节假日安排的通知): the holidays and the weekend days
made working days (调休). chinese-calendar carries these up to the year its release knew.
A maintainer adds a year the library does not know yet as one small file beside the
rules, ``holidays/<year>.json``, copied from the notice it names (CONTRIBUTING.md,
每年要做的事):

    {"year": 2027,
     "notice": {"title": "国务院办公厅关于2027年部分节假日安排的通知",
                "number": "国办发明电〔…〕…号", "date": "YYYY-MM-DD", "url": "https://…"},
     "holidays": [{"name": "元旦", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}, …],
     "workdays": [{"date": "YYYY-MM-DD", "for": "春节"}, …]}

The library wins for a year it knows: its data has been checked by many users. A file
for such a year is used only when it says why (``"supersedes_library": "…"``), say a
notice the library copied wrongly or a later change to the arrangement.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import chinese_calendar

DATA_DIR = "holidays"
NOTICE_FIELDS = {"title": "通知标题", "number": "文号", "date": "发布日期", "url": "链接"}


class HolidayDataError(ValueError):
    """A holiday file breaks its format; the message names the file and the field, in Chinese."""


@dataclass(frozen=True)
class YearFile:
    """One year's arrangement as its notice publishes it."""

    name: str  # the file's name, for messages
    year: int
    notice: dict[str, str]
    rest: dict[dt.date, str]  # a day off -> the holiday it belongs to
    work: dict[dt.date, str]  # a weekend day made a working day -> the holiday it makes up for
    supersedes: str  # why the file wins over chinese-calendar; "" where it does not


def _fail(name: str, what: str) -> HolidayDataError:
    return HolidayDataError(f"节假日数据 {DATA_DIR}/{name}：{what}")


def _day(name: str, year: int, where: str, text: Any) -> dt.date:
    """A date of the notice: in its year, or in the December before (元旦 may start then)."""
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise _fail(name, f"「{where}」应为 YYYY-MM-DD 格式的日期，收到 {text!r}") from None
    if not (dt.date(year - 1, 12, 1) <= day <= dt.date(year, 12, 31)):
        raise _fail(name, f"「{where}」{day} 不在{year}年（或前一年12月）内")
    return day


def _text(name: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(name, f"缺少「{where}」")
    return value.strip()


def _entry(name: str, where: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _fail(name, f"「{where}」应为对象")
    return item


def _rest_days(name: str, year: int, items: Any) -> dict[dt.date, str]:
    if not isinstance(items, list) or not items:
        raise _fail(name, "「holidays」（放假安排）应为非空列表")
    rest = {}
    for i, item in enumerate(items):
        item = _entry(name, f"holidays[{i}]", item)
        label = _text(name, f"holidays[{i}].name（节日名称）", item.get("name"))
        start = _day(name, year, f"holidays[{i}].from（放假开始）", item.get("from"))
        end = _day(name, year, f"holidays[{i}].to（放假结束）", item.get("to"))
        if end < start:
            raise _fail(name, f"{label}的放假结束日 {end} 早于开始日 {start}")
        rest.update({start + dt.timedelta(days=n): label for n in range((end - start).days + 1)})
    return rest


def _work_days(name: str, year: int, items: Any) -> dict[dt.date, str]:
    if not isinstance(items, list):
        raise _fail(name, "「workdays」（调休上班日）应为列表，没有调休时写 []")
    work = {}
    for i, item in enumerate(items):
        item = _entry(name, f"workdays[{i}]", item)
        day = _day(name, year, f"workdays[{i}].date（上班日期）", item.get("date"))
        if day.weekday() < 5:
            raise _fail(name, f"调休上班日 {day} 不是周六或周日，请核对通知")
        work[day] = _text(name, f"workdays[{i}].for（为哪个节日调休）", item.get("for"))
    return work


def parse_year(name: str, text: str) -> YearFile:
    """One ``<year>.json``, checked field by field."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise _fail(name, f"不是有效的 JSON（{e}）") from None
    if not isinstance(data, dict) or data.get("year") != int(Path(name).stem):
        raise _fail(name, f"「year」应为 {Path(name).stem}，与文件名相同")
    notice = data.get("notice") if isinstance(data.get("notice"), dict) else {}
    notice = {k: _text(name, f"notice.{k}({label})", notice.get(k)) for k, label in NOTICE_FIELDS.items()}
    year = data["year"]
    rest, work = _rest_days(name, year, data.get("holidays")), _work_days(name, year, data.get("workdays"))
    if both := sorted(set(rest) & set(work)):
        raise _fail(name, f"{both[0]} 既写成放假又写成上班")
    supersedes = data.get("supersedes_library", "")
    return YearFile(name, year, notice, rest, work, supersedes.strip() if isinstance(supersedes, str) else "")


def read_dir(directory: Path | None = None) -> dict[int, YearFile]:
    """Every ``<year>.json`` in ``directory`` (the package's own ``holidays/`` by default)."""
    folder = resources.files(__package__).joinpath(DATA_DIR) if directory is None else directory
    if not folder.is_dir():
        return {}
    files = [f for f in folder.iterdir() if f.name.endswith(".json") and f.name[:-5].isdigit()]
    return {int(f.name[:-5]): parse_year(f.name, f.read_text(encoding="utf-8")) for f in files}


LIBRARY_YEARS = frozenset(d.year for d in [*chinese_calendar.holidays, *chinese_calendar.workdays])


class WorkCalendar:
    """Which days are working days: the library's years, and the files it does not override."""

    def __init__(self, files: dict[int, YearFile]):
        self.files = files
        # A file is used for a year the library does not know, or where it says why it wins.
        self.used = {y: f for y, f in files.items() if y not in LIBRARY_YEARS or f.supersedes}
        self.ignored = {y: f for y, f in files.items() if y not in self.used}
        self.rest = {d: n for f in self.used.values() for d, n in f.rest.items()}
        self.work = {d: n for f in self.used.values() for d, n in f.work.items()}
        self.years = LIBRARY_YEARS | set(self.used)
        first = last = min(self.years)
        while last + 1 in self.years:
            last += 1
        self._known = (first, last)

    def is_workday(self, day: dt.date) -> bool | None:
        """None for a year with no published arrangement."""
        if day in self.rest or day in self.work:
            return day in self.work
        if day.year not in self.years:
            return None
        if day.year in self.used:
            return day.weekday() < 5
        return chinese_calendar.is_workday(day)

    def holiday(self, day: dt.date) -> str | None:
        """The holiday's name in English (library) or Chinese (file), for a day off; None for a weekend."""
        if day in self.rest:
            return self.rest[day]
        if day.year in self.used:
            return None
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        return name if on_holiday else None

    def known_years(self) -> tuple[int, int]:
        """The first year with data and the last of the run of years after it with no gap
        (worked out once: every holiday check asks)."""
        return self._known

    def notice(self, day: dt.date) -> YearFile | None:
        """The file whose notice decides ``day``, if one does."""
        if day in self.rest or day in self.work:
            return next(f for f in self.used.values() if day in f.rest or day in f.work)
        return self.used.get(day.year)


@functools.cache
def default() -> WorkCalendar:
    """The calendar of this copy of the rules: the library and the package's own files."""
    return WorkCalendar(read_dir())
