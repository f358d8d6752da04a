"""Explanation steps and dated results: each one says which rule produced it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import dates
from .inputs import Reader
from .policy import NotInForce, Policy, format_date_zh

CIVIL_CODE_COUNTING = "《中华人民共和国民法典》第二百零一条、第二百零二条"
CIVIL_CODE_HOLIDAY = "《中华人民共和国民法典》第二百零三条；国务院公布的历年节假日安排"


def step(text: str, source: str, parameter: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"text": text, "source": source}
    if parameter:
        out["parameter"] = parameter
    return out


def dated(key: str, label: str, day: dt.date | dt.datetime, rule: str) -> dict[str, str]:
    return {"key": key, "label": label, "date": iso(day), "rule": rule}


def iso(day: dt.date | dt.datetime | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        return day.strftime("%Y-%m-%dT%H:%M")
    return day.isoformat()


def holiday_fields(day: dt.date) -> tuple[dict[str, Any], dates.HolidayCheck]:
    """``last_day`` with what 第二百零三条 makes of it, as response fields."""
    check = dates.holiday_check(day)
    return (
        {
            "last_day": iso(day),
            "holiday_extended_last_day": iso(check.extended_to),
            "holiday_check": check.status,
        },
        check,
    )


def not_in_force_message(policy: Policy, key: str, label: str, first_from: dt.date) -> str:
    return (
        f"{label}早于相关规定的施行日期：{policy.cite(key, on=first_from)}自{format_date_zh(first_from.isoformat())}起适用，"
        "此前的情况不在本计算器的计算范围内，请以当时的规定和当地通知为准。"
    )


def read_on(policy: Policy, r: Reader, key: str, on: dt.date, field: str, label: str) -> Any:
    """The value of ``key`` in force on ``on``; before its first entry, None and an error on
    ``field``: only a question that needs this value is refused."""
    try:
        return policy.value(key, on=on)
    except NotInForce as e:
        r.error(field, not_in_force_message(policy, e.key, label, e.first_from))
        return None
