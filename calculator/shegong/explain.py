"""Explanation steps and dated results: each one says which rule produced it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Union

from . import dates
from .inputs import Reader
from .policy import Cite, NotInForce, Policy, format_date_zh

CIVIL_CODE_COUNTING = Cite("《中华人民共和国民法典》第二百零一条、第二百零二条", "civil_code", "第二百零一条、第二百零二条")
CIVIL_CODE_HOLIDAY = (Cite("《中华人民共和国民法典》第二百零三条", "civil_code", "第二百零三条"),
                      Cite("国务院公布的历年节假日安排"))

# What a step or a row cites: one citation, or several in the order they are said.
Cited = Union[str, Iterable[str]]


def cites(source: Cited) -> list[Cite]:
    """Each citation of ``source`` once, in order; a plain string is one citation (never split)."""
    items = [source] if isinstance(source, str) else list(source)
    return [c if isinstance(c, Cite) else Cite(c) for c in dict.fromkeys(items)]


def citing(source: Cited) -> dict[str, Any]:
    """A row's ``source`` string as it always read and its ``sources`` (numbered by numbered())."""
    found = cites(source)
    return {"source": "；".join(found), "sources": found}


def step(text: str, source: Cited, parameter: str | None = None) -> dict[str, Any]:
    said = citing(source)
    out: dict[str, Any] = {"text": text, "source": said["source"]}
    if parameter:
        out["parameter"] = parameter
    return out | {"sources": said["sources"]}


def dated(key: str, label: str, day: dt.date | dt.datetime, rule: Cited) -> dict[str, Any]:
    said = citing(rule)
    return {"key": key, "label": label, "date": iso(day), "rule": said["source"], "sources": said["sources"]}


def numbered(response: dict[str, Any]) -> dict[str, Any]:
    """``response`` with each document listed once in ``sources`` (ids 1..n in the order of
    first use) and every row's ``sources`` turned into those ids.  Two articles of one
    document (the Civil Code's counting and holiday articles, two parts of one notice) are
    one line that names both: a reader looks a document up once."""
    listed: dict[str, dict[str, Any]] = {}
    merged: dict[str, Cite] = {}

    def number(found: list[Cite]) -> list[int]:
        ids = []
        for c in found:
            key = c.document or str(c)
            if key not in listed:
                listed[key] = {"id": len(listed) + 1}
            merged[key] = merged[key].joined(c) if key in merged else c
            listed[key] |= merged[key].listed()
            ids.append(listed[key]["id"])
        return list(dict.fromkeys(ids))

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "sources" and isinstance(value, list) and all(isinstance(c, Cite) for c in value):
                    node[key] = number(value)
                else:
                    walk(value)

    walk(response)
    return response | {"sources": list(listed.values())} if response.get("ok") else response


def iso(day: dt.date | dt.datetime | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        return day.strftime("%Y-%m-%dT%H:%M")
    return day.isoformat()


def holiday_fields(day: dt.date) -> tuple[dict[str, Any], dates.HolidayCheck]:
    """``last_day`` with what 第二百零三条 makes of it, as response fields; ``deadline`` is
    the day to act by (the moved last day where one applies)."""
    check = dates.holiday_check(day)
    return (
        {
            "last_day": iso(day),
            "holiday_extended_last_day": iso(check.extended_to),
            "holiday_check": check.status,
            "deadline": iso(check.extended_to or day),
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
