"""Reading a request: every bad value becomes a Chinese message that names its field.

Errors are collected rather than raised one at a time, so a form can mark every
wrong field at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

LEVELS = ("助理社会工作师", "社会工作师", "高级社会工作师")
LEVEL_ALIASES = {"assistant": "助理社会工作师", "intermediate": "社会工作师", "senior": "高级社会工作师"}

# Dates far outside any plausible case are typing mistakes (e.g. 20244-09-10), and
# keeping them out also keeps the month arithmetic clear of datetime's limits.
MIN_YEAR, MAX_YEAR = 1950, 2100

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$")


class InputError(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


def describe(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


class Reader:
    """Reads named fields of one JSON object; ``prefix`` names nested fields (records[2].hours)."""

    def __init__(self, obj: dict[str, Any], errors: list[dict[str, str]] | None = None, prefix: str = ""):
        self.obj = obj
        self.errors = [] if errors is None else errors
        self.prefix = prefix

    def field(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, name: str, message: str) -> None:
        self.errors.append({"field": self.field(name), "message": message})

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def _get(self, name: str, label: str, required: bool) -> Any:
        value = self.obj.get(name)
        if value is None or value == "":
            if required:
                self.error(name, f"缺少「{label}」({self.field(name)})。请填写这一项。")
            return None
        return value

    def _moment(self, name: str, label: str, required: bool, kind: type, pattern: re.Pattern, what: str, example: str):
        """A date or date-time in ISO form, inside the years the calculator handles."""
        value = self._get(name, label, required)
        if value is None:
            return None
        accepted = f"请按 {example[0]} 填写,例如 {example[1]}"
        if not isinstance(value, str) or not pattern.match(value):
            self.error(name, f"「{label}」不是有效的{what}:{describe(value)}。{accepted}。")
            return None
        try:
            moment = kind.fromisoformat(value)
        except ValueError:
            self.error(name, f"「{label}」不是有效的{what}:{value} 不存在。{accepted}。")
            return None
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            self.error(name, f"「{label}」超出可计算的范围:{value}。请填写 {MIN_YEAR}–{MAX_YEAR} 年之间的{what}。")
            return None
        return moment

    def date(self, name: str, label: str, required: bool = True) -> dt.date | None:
        return self._moment(name, label, required, dt.date, _DATE, "日期", ("YYYY-MM-DD", "2024-09-10"))

    def datetime(self, name: str, label: str, required: bool = True) -> dt.datetime | None:
        return self._moment(name, label, required, dt.datetime, _DATETIME, "日期时间", ("YYYY-MM-DDTHH:MM", "2026-01-05T10:30"))

    def level(self, name: str = "level", label: str = "证书级别") -> str | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        if isinstance(value, str) and value.strip() in LEVELS:
            return value.strip()
        if isinstance(value, str) and value.strip().lower() in LEVEL_ALIASES:
            return LEVEL_ALIASES[value.strip().lower()]
        self.error(
            name,
            f"「{label}」无法识别:{describe(value)}。可填:{'、'.join(LEVELS)}"
            f"(或 {', '.join(LEVEL_ALIASES)})。",
        )
        return None

    def choice(self, name: str, label: str, options: tuple[str, ...]) -> str | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        if isinstance(value, str) and value.strip() in options:
            return value.strip()
        self.error(name, f"「{label}」无法识别:{describe(value)}。可填:{'、'.join(options)}。")
        return None

    def boolean(self, name: str, label: str, default: bool) -> bool:
        value = self.obj.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.error(name, f"「{label}」应为 true(是)或 false(否),收到:{describe(value)}。")
        return default

    def hours(self, name: str, label: str, maximum: int) -> Decimal | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        accepted = f"请填写 0 到 {maximum} 之间的数字,例如 30 或 1.5"
        # bool is an int in Python, but true/false is never an hour count.
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(name, f"「{label}」不是数字:{describe(value)}。{accepted}。")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(name, f"「{label}」不是有限的数字:{describe(value)}。{accepted}。")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.error(name, f"「{label}」不是数字:{describe(value)}。{accepted}。")
            return None
        if not number.is_finite():
            self.error(name, f"「{label}」不是有限的数字:{describe(value)}。{accepted}。")
            return None
        if number < 0:
            self.error(name, f"「{label}」不能是负数:{describe(value)}。{accepted}。")
            return None
        if number > maximum:
            self.error(name, f"「{label}」过大:{describe(value)},一条记录不可能有这么多学时。{accepted}。")
            return None
        return number

    def list(self, name: str, label: str) -> list[Any]:
        value = self.obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(name, f"「{label}」应为记录列表(JSON 数组),收到:{describe(value)}。")
            return []
        return value


def number_out(value: Decimal) -> int | float:
    """Hours in a response: a whole number stays an int, otherwise two decimals at most."""
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))
