"""Registration deadlines: 《社会工作者职业水平证书登记办法》(民发〔2009〕44号)第四条.

首次登记: accepted within 1 year after passing.  登记有效期: 3 years.  再登记: every
3 years, accepted in the 3 months before the previous validity ends.  A new period
starts on the day the previous one ends (the project's reading: the end day belongs to
both, so periods chain with no gap).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import dates
from .explain import CIVIL_CODE_COUNTING, CIVIL_CODE_HOLIDAY, dated, holiday_fields, iso, not_in_force_message, step
from .inputs import Reader
from .policy import NotInForce, Policy

FIRST_WINDOW = "registration.first_window_years"
VALIDITY = "registration.validity_years"
REREG_WINDOW = "registration.reregistration_window_months"
MIN_PERIODS = 3


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    level = r.level()
    passed_on = r.date("passed_on", "通过考试日期")
    first_registered_on = r.date("first_registered_on", "首次登记日期", required=False)
    today = r.date("today", "今天的日期", required=False) or today
    r.raise_if_errors()
    assert level is not None and passed_on is not None

    try:
        first_years = policy.value(FIRST_WINDOW, on=passed_on)
        validity = policy.value(VALIDITY, on=passed_on)
        window_months = policy.value(REREG_WINDOW, on=passed_on)
        required_hours = policy.value(f"training.required_hours.{level}", on=passed_on)
    except NotInForce as e:
        r.error("passed_on", not_in_force_message(policy, e.key, "通过考试日期", e.first_from))
        r.raise_if_errors()
        raise  # pragma: no cover - raise_if_errors always raises here
    if first_registered_on is not None and first_registered_on < passed_on:
        r.error("first_registered_on", "「首次登记日期」不能早于「通过考试日期」:要先通过考试、取得证书,才能登记。")
    r.raise_if_errors()

    cite_first = policy.cite(FIRST_WINDOW)
    first_last = dates.add_years(passed_on, first_years)
    first_fields, first_check = holiday_fields(first_last)
    explanation = [
        step(
            f"首次登记的受理期限为通过考试后{first_years}年内。从{dates.zh_date(passed_on)}起算"
            f"(当日不计入),最后一天是{dates.zh_date(first_last)}。",
            f"{cite_first};{CIVIL_CODE_COUNTING}",
            FIRST_WINDOW,
        ),
        step(first_check.reason, CIVIL_CODE_HOLIDAY),
    ]
    date_list = [
        dated("first_registration.last_day", "首次登记受理期限最后一天", first_last, f"{cite_first};{CIVIL_CODE_COUNTING}"),
    ]
    if first_check.extended_to:
        date_list.append(
            dated("first_registration.holiday_extended_last_day", "首次登记(节假日顺延后)最后一天",
                  first_check.extended_to, CIVIL_CODE_HOLIDAY)
        )

    periods: list[dict[str, Any]] = []
    if first_registered_on is not None:
        if first_registered_on > (first_check.extended_to or first_last):
            explanation.append(step(
                "首次登记日期晚于首次登记受理期限。全国性规定没有写明逾期后如何办理,"
                "各地曾有集中补办的做法,以当地民政部门通知为准。下面按你填写的首次登记日期继续计算。",
                cite_first,
            ))
        periods = _periods(first_registered_on, today, validity, window_months, policy)
        explanation.append(step(
            f"登记有效期为{validity}年,首次登记后每{validity}年再登记一次;再登记的受理期限为上次登记有效期满前"
            f"{window_months}个月。新的有效期从上一期的最后一天接续,下面假定每次都按时再登记。",
            f"{policy.cite(VALIDITY)};{CIVIL_CODE_COUNTING}",
            VALIDITY,
        ))
        explanation.append(step(
            f"每个登记有效期内需要接受继续教育累计不少于{required_hours}小时({level}),再登记时提交继续教育证明。",
            policy.cite(f"training.required_hours.{level}"),
            f"training.required_hours.{level}",
        ))
        for p in periods:
            n = p["index"]
            date_list.append(dated(f"periods[{n - 1}].end", f"第{n}个登记有效期最后一天", dt.date.fromisoformat(p["end"]),
                                   f"{policy.cite(VALIDITY)};{CIVIL_CODE_COUNTING}"))
            date_list.append(dated(f"periods[{n - 1}].reregistration_opens", f"第{n}次再登记开始受理",
                                   dt.date.fromisoformat(p["reregistration_opens"]),
                                   f"{policy.cite(REREG_WINDOW)};{CIVIL_CODE_COUNTING}"))
            if p["holiday_extended_last_day"]:
                date_list.append(dated(f"periods[{n - 1}].holiday_extended_last_day",
                                       f"第{n}次再登记(节假日顺延后)最后一天",
                                       dt.date.fromisoformat(p["holiday_extended_last_day"]), CIVIL_CODE_HOLIDAY))

    stage = _stage(today, passed_on, first_last, first_check.extended_to, first_registered_on, periods)
    explanation.append(step(stage["text"], f"{policy.cite(VALIDITY)}"))
    return {
        "ok": True,
        "tool": "registration",
        "level": level,
        "passed_on": iso(passed_on),
        "first_registered_on": iso(first_registered_on),
        "today": iso(today),
        "required_hours": required_hours,
        "first_registration": first_fields,
        "periods": periods,
        "stage": stage,
        "dates": date_list,
        "summary": stage["text"],
        "explanation": explanation,
    }


def _periods(start: dt.date, today: dt.date, validity: int, window_months: int, policy: Policy) -> list[dict[str, Any]]:
    """At least three periods, and enough to reach ``today``."""
    out: list[dict[str, Any]] = []
    while len(out) < MIN_PERIODS or start < today:
        end = dates.add_years(start, validity)
        fields, _check = holiday_fields(end)
        out.append({
            "index": len(out) + 1,
            "start": iso(start),
            "end": iso(end),
            "reregistration_opens": iso(dates.add_months(end, -window_months)),
            "reregistration_last_day": iso(end),
            "holiday_extended_last_day": fields["holiday_extended_last_day"],
            "holiday_check": fields["holiday_check"],
        })
        start = end
    return out


def _stage(
    today: dt.date,
    passed_on: dt.date,
    first_last: dt.date,
    first_extended: dt.date | None,
    first_registered_on: dt.date | None,
    periods: list[dict[str, Any]],
) -> dict[str, Any]:
    z = dates.zh_date
    deadline = first_extended or first_last
    if today < passed_on:
        return {"code": "not_passed_yet", "text": f"今天({z(today)})早于通过考试日期,还没有到首次登记的时候。"}
    if first_registered_on is None or today < first_registered_on:
        if today <= deadline:
            left = (deadline - today).days
            return {
                "code": "first_registration_open",
                "text": f"现在可以办理首次登记,最晚{z(deadline)},还剩{left}天。",
                "days_left": left,
            }
        return {
            "code": "first_registration_missed",
            "text": f"首次登记的受理期限已于{z(deadline)}届满。逾期如何补办,全国性规定没有写明,以当地民政部门通知为准。",
        }
    for p in periods:
        end = dt.date.fromisoformat(p["end"])
        opens = dt.date.fromisoformat(p["reregistration_opens"])
        last = dt.date.fromisoformat(p["holiday_extended_last_day"] or p["end"])
        if today < opens:
            return {
                "code": "registered",
                "text": f"登记有效,当前是第{p['index']}个登记有效期(至{z(end)});第{p['index']}次再登记从{z(opens)}开始受理。",
                "period": p["index"],
            }
        if today <= last:
            left = (last - today).days
            return {
                "code": "reregistration_open",
                "text": f"现在是第{p['index']}次再登记的受理期,最晚{z(last)},还剩{left}天。",
                "period": p["index"],
                "days_left": left,
            }
    # _periods always reaches past today, so the loop returns before here.
    raise AssertionError("periods do not reach today")  # pragma: no cover
