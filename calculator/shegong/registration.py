"""Registration deadlines: 《社会工作者职业水平证书登记办法》(民发〔2009〕44号)第四条.

首次登记: accepted within 1 year after passing.  登记有效期: 3 years.  再登记: every
3 years, accepted in the 3 months before the previous validity ends.  A new period
starts on the day the previous one ends (the project's reading: by 第二百零一条 the new
period counts from the next day, so periods chain with no gap).

When the holder lists the re-registrations done (``reregistered_on``), a window that
closed with none of them in it ends the chain: what follows is for the local civil
affairs office to say, so no later period is assumed.

Which date each value is read on (README, 哪一天的规定): the first-registration window on
the pass date; each period's validity, re-registration window and required hours on
that period's start, so a value appended from a later date governs the periods that
start from then on and leaves earlier ones as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from . import dates, ics
from .explain import CIVIL_CODE_COUNTING, CIVIL_CODE_HOLIDAY, dated, holiday_fields, iso, not_in_force_message, read_on, step
from .inputs import InputError, Naming, Reader
from .policy import NotInForce, Policy, format_date_zh
from .questions import Field, Questions, level

QUESTIONS = Questions(
    tool="registration",
    title="登记期限",
    summary="登记期限：首次登记、登记有效期和再登记受理期",
    fields=(
        level("级别决定每个登记有效期需要的继续教育学时。", default="社会工作师"),
        Field("passed_on", "date", "通过考试的日期", required=True, column="通过考试日期",
              hint="通过社会工作者职业水平评价的日期。首次登记要在此后{{ pu:registration.first_window_years }}内办理。"),
        Field("first_registered_on", "date", "首次登记的日期", column="首次登记日期",
              hint="已经办理首次登记的，填写登记日期，第一个登记有效期从这一天起算；还没有登记就留空。"),
        Field("reregistered_on", "dates", "已办理的再登记日期", form=False, flag="--reregistered-on", column="再登记日期",
              hint="填写后，已过而没有再登记的受理期会显示为逾期。"),
        Field("today", "date", "按哪一天判断所处阶段", hint="留空就按今天。", more=True),
    ),
    examples=(
        ("已登记的社会工作师", {"level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15"}),
        ("刚通过考试，还没登记", {"level": "助理社会工作师", "passed_on": "2025-11-15"}),
    ),
    more="按另一天判断（可选）",
)
FIRST_WINDOW = "registration.first_window_years"
VALIDITY = "registration.validity_years"
REREG_WINDOW = "registration.reregistration_window_months"
MIN_PERIODS = 3
# Said where an answer counts on re-registrations the reader has not listed.
ASSUMED_ON_TIME = "（这是假定每次都按时再登记推算的；没有按时再登记的，请在“我的时间表”里填写已办理的再登记日期。）"
LOCAL = "以当地民政部门通知为准"
# Said once under an answer's dates (registration, plan).
LOCAL_NOTICE = f"日期按规定推算，具体{LOCAL}。"
MAY_MOVE = "最后一天可能顺延，以当年公布的安排为准。"
CALENDAR_FILE = "社工证登记期限.ics"
# The guides that explain each step (docs/, the site's own pages); the official entry is
# named under each guide's title.
FIRST_GUIDE = {"title": "首次登记", "path": "registration/first.md"}
REREG_GUIDE = {"title": "再登记", "path": "registration/reregistration.md"}
# A late state, its note in policy.json (what the rules leave open, who to ask) and its guide.
LATE = {"first_registration_missed": ("first_registration_missed", FIRST_GUIDE),
        "reregistration_missed": ("reregistration_missed", REREG_GUIDE)}


@dataclass
class Chain:
    """The periods worked out from the first registration and the re-registrations listed."""

    periods: list[dict[str, Any]]
    missed: dict[str, Any] | None  # the period whose window closed with no re-registration listed
    late: list[dt.date]  # listed re-registrations after the window they would belong to had closed
    early: list[dt.date]  # listed re-registrations before the window they would belong to opened


def chain(start: dt.date, today: dt.date, policy: Policy, done: list[dt.date] | None) -> Chain:
    """Periods from ``start``: at least three (or up to a missed window), and enough to reach ``today``.

    Without ``done`` every re-registration is assumed on time; with it, a window before
    ``today`` must hold one of the listed dates for the chain to go on.  Each period's
    length and window are the values in force on its start; before the first of them,
    NotInForce.
    """
    pending = list(done or [])
    out: list[dict[str, Any]] = []
    early: list[dt.date] = []
    while len(out) < MIN_PERIODS or start < today:
        validity = policy.value(VALIDITY, on=start)
        window_months = policy.value(REREG_WINDOW, on=start)
        end = dates.add_years(start, validity)
        fields, _check = holiday_fields(end)
        opens = dates.add_months(end, -window_months)
        last = dt.date.fromisoformat(fields["deadline"])
        period = {
            "index": len(out) + 1,
            "start": iso(start),
            "end": iso(end),
            "reregistration_opens": iso(opens),
            "reregistration_last_day": iso(end),
            "holiday_extended_last_day": fields["holiday_extended_last_day"],
            "holiday_check": fields["holiday_check"],
            "reregistered_on": None,
            "reregistration_deadline": fields["deadline"],
            "reregistration_window_months": window_months,
        }
        out.append(period)
        if done is not None:
            early += [d for d in pending if d < opens]
            inside = [d for d in pending if opens <= d <= last]
            # One re-registration per window; a second date in the same window fits no period.
            early += inside[1:]
            pending = [d for d in pending if d > last]
            if inside:
                period["reregistered_on"] = iso(inside[0])
            elif last < today:
                return Chain(out, period, pending, early)
        start = end
    return Chain(out, None, [], early)


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    """The answer and its calendar file."""
    out = answer(request, policy, today)
    # Every event of the file is a window of the answer's periods.  The period after today's
    # is listed (and its window put in the file) once today's window was kept: before that,
    # it is only what would follow if it were.
    ahead = periods_ahead(out, policy)
    current = out["stage"].get("period")
    if len(ahead) > len(out["periods"]) and out["periods"][current - 1]["reregistered_on"]:
        out["periods"] = ahead
    events = calendar_events(out, out["periods"], dt.date.fromisoformat(out["today"]), case_key(out))
    return out | {"calendar": ics.attachment(events, dt.date.fromisoformat(out["today"]), "社工证登记期限", CALENDAR_FILE)}


def answer(request: dict[str, Any], policy: Policy, today: dt.date, naming: Naming | None = None) -> dict[str, Any]:
    """The answer without the calendar file (the team tool makes one file for everyone)."""
    return words(facts(request, policy, today, naming), policy)


# --- facts: dates, numbers and codes ---------------------------------------------------


@dataclass
class Asked:
    """The request, read and checked."""

    level: str
    passed_on: dt.date
    first_registered_on: dt.date | None
    done: list[dt.date] | None  # the re-registrations listed; None: not given (assumed on time)
    today: dt.date


@dataclass
class Stage:
    """Where the worker stands on ``today``: a code, the period and window it is about."""

    code: str
    period: int | None = None
    last: dt.date | None = None  # the last day of the window the stage is about
    days_left: int | None = None  # while that window is open
    conditional: bool = False  # its last day may move by a holiday arrangement not yet published


@dataclass
class Facts:
    """What the registration rules say about one worker, with no words."""

    asked: Asked
    first_years: int
    first_last: dt.date
    first_check: dates.HolidayCheck
    found: Chain
    stage: Stage
    required_hours: int | None  # of the period the answer is about (before registering: the first)

    @property
    def first_deadline(self) -> dt.date:
        return self.first_check.extended_to or self.first_last

    @property
    def period(self) -> dict[str, Any] | None:
        """The period the answer is about."""
        return self.found.periods[self.stage.period - 1] if self.stage.period else None


def facts(request: dict[str, Any], policy: Policy, today: dt.date, naming: Naming | None = None) -> Facts:
    """The request read (``naming``: where it comes from, if not the form) and what the
    rules make of it."""
    r = Reader(request, questions=QUESTIONS, policy=policy, naming=naming)
    r.reject_unknown()
    asked = _asked(r, today)
    # The deadline question needs only the window in force on the pass date.
    first_years = read_on(policy, r, FIRST_WINDOW, asked.passed_on, "passed_on", r.label("passed_on"))
    r.raise_if_errors()
    _check(r, asked)
    first_last = dates.add_years(asked.passed_on, first_years)
    first_check = dates.holiday_check(first_last)
    found = _found(r, asked, policy)
    stage = _stage(asked, first_check.extended_to or first_last, first_check, found)
    period = found.periods[stage.period - 1] if stage.period else None
    # Before registering, the first period's hours: from the first registration, or from
    # today when registering now, never before the pass date.
    hours = period["required_hours"] if period else _hours(
        policy, asked.level, asked.first_registered_on or max(asked.passed_on, asked.today))
    return Facts(asked, first_years, first_last, first_check, found, stage, hours)


def _asked(r: Reader, today: dt.date) -> Asked:
    level, passed_on = r.read("level"), r.read("passed_on")
    first, done, on = r.read("first_registered_on"), r.read("reregistered_on"), r.read("today")
    r.raise_if_errors()
    return Asked(level, passed_on, first, done, on or today)


def _check(r: Reader, a: Asked) -> None:
    """What the dates given must be to one another."""
    passed, first, rereg = r.label("passed_on"), r.label("first_registered_on"), r.label("reregistered_on")
    if a.first_registered_on is not None and a.first_registered_on < a.passed_on:
        r.bad("first_registered_on", first, f"不能早于「{passed}」：要先通过考试、取得证书，才能登记。")
    if a.done and a.done[-1] > a.today:
        r.bad("reregistered_on", rereg, "不能晚于今天：只填写已经办理的再登记。")
    if a.done and a.first_registered_on is None:
        r.error("reregistered_on", f"填写「{rereg}」时，也请填写「{first}」：再登记从首次登记起按登记有效期接续。")
    r.raise_if_errors()
    if a.done and a.first_registered_on is not None and a.done[0] <= a.first_registered_on:
        r.bad("reregistered_on", rereg, f"应晚于「{first}」。")
        r.raise_if_errors()


def _found(r: Reader, a: Asked, policy: Policy) -> Chain:
    """The periods from the first registration (none before it), each with its hours."""
    if a.first_registered_on is None:
        return Chain([], None, [], [])
    try:
        found = chain(a.first_registered_on, a.today, policy, a.done)
    except NotInForce as e:
        r.error("first_registered_on", not_in_force_message(policy, e.key, r.label("first_registered_on"), e.first_from))
        raise InputError(r.errors) from None
    if found.early:
        z = dates.zh_date
        early = "、".join(z(d) for d in found.early)
        # Each window is its own period's (the rule in force on that period's start): list them.
        windows = "、".join(f"{z(dt.date.fromisoformat(p['reregistration_opens']))}至{z(last_day(p))}" for p in found.periods)
        r.bad("reregistered_on", r.label("reregistered_on"), f"中的{early}不在任何一次再登记的受理期内"
                                                               f"（受理期依次为{windows}）。请核对日期。")
        raise InputError(r.errors)
    for p in found.periods:
        p["required_hours"] = _hours(policy, a.level, dt.date.fromisoformat(p["start"]))
    return found


def _stage(a: Asked, deadline: dt.date, first_check: dates.HolidayCheck, found: Chain) -> Stage:
    today = a.today
    if today < a.passed_on:
        return Stage("not_passed_yet")
    if a.first_registered_on is None or today < a.first_registered_on:
        if today <= deadline:
            return Stage("first_registration_open", None, deadline, (deadline - today).days,
                         first_check.status == "unknown")
        return Stage("first_registration_missed", None, deadline)
    for p in found.periods:
        end, opens, last = dt.date.fromisoformat(p["end"]), dt.date.fromisoformat(p["reregistration_opens"]), last_day(p)
        if today < opens or (p["reregistered_on"] and today <= end):
            return Stage("registered", p["index"])
        if today <= last:
            return Stage("reregistration_open", p["index"], last, (last - today).days, p["holiday_check"] == "unknown")
    missed = found.missed
    assert missed is not None, "periods reach today unless a window was missed"
    return Stage("reregistration_missed", missed["index"], last_day(missed))


# --- words: the response ---------------------------------------------------------------


def outline(request: dict[str, Any], policy: Policy, today: dt.date, naming: Naming | None = None) -> dict[str, Any]:
    """What a list of many workers needs of one (the team tool): brief(), without the steps."""
    return brief(facts(request, policy, today, naming))


def brief(f: Facts) -> dict[str, Any]:
    """The answer's facts as response fields, and the stage in words: no steps, no citations."""
    a = f.asked
    first_fields, _check = holiday_fields(f.first_last)
    return {
        "ok": True,
        "tool": "registration",
        "level": a.level,
        "passed_on": iso(a.passed_on),
        "first_registered_on": iso(a.first_registered_on),
        "reregistered_on": None if a.done is None else [iso(d) for d in a.done],
        "today": iso(a.today),
        "required_hours": f.required_hours,
        "first_registration": first_fields | {"window_years": f.first_years},
        "periods": f.found.periods,
        "stage": stage_words(f),
    }


def first_window_text(years: int, passed_on: dt.date, last: dt.date) -> str:
    return (f"首次登记的受理期限为通过考试后{years}年内。从{dates.zh_date(passed_on)}起算"
            f"（当日不计入），最后一天是{dates.zh_date(last)}。")


def words(f: Facts, policy: Policy) -> dict[str, Any]:
    """The response: the facts, each step said and cited."""
    a, out = f.asked, brief(f)
    explanation, date_list = _first_words(f, policy)
    if a.first_registered_on is not None:
        more, more_dates = _period_words(f, policy)
        explanation += more
        date_list += more_dates
    stage = out["stage"]
    fact = stage.pop("fact", stage["text"])
    period = f.period
    explanation.append(step(stage["text"], policy.cite(VALIDITY, on=dt.date.fromisoformat(period["start"]))
                            if period else policy.cite(FIRST_WINDOW, on=a.passed_on)))
    next_step = late_step(stage["code"], policy)
    if next_step:
        explanation.append(step(next_step["text"], next_step["source"]))
    return out | {
        "dates": date_list,
        "next_step": next_step and {"text": next_step["text"], "guide": next_step["guide"]},
        # A late reader reads first what happened, then what to do.
        "summary": (f"{fact}下一步：{next_step['text']}" if next_step else stage["text"]) + _assumed(a.done, period),
        "explanation": explanation,
        "local_notice": LOCAL_NOTICE,
    }


def _first_words(f: Facts, policy: Policy) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first-registration window: its steps and dates."""
    a, cite = f.asked, policy.cite(FIRST_WINDOW, on=f.asked.passed_on)
    explanation = [
        step(first_window_text(f.first_years, a.passed_on, f.first_last), (cite, CIVIL_CODE_COUNTING), FIRST_WINDOW),
        step(f.first_check.reason, CIVIL_CODE_HOLIDAY),
    ]
    date_list = [dated("first_registration.last_day", "首次登记受理期限最后一天", f.first_last, (cite, CIVIL_CODE_COUNTING))]
    if f.first_check.extended_to:
        date_list.append(dated("first_registration.holiday_extended_last_day", "首次登记（节假日顺延后）最后一天",
                               f.first_check.extended_to, CIVIL_CODE_HOLIDAY))
    if a.first_registered_on is not None and a.first_registered_on > f.first_deadline:
        explanation.append(step(
            "首次登记日期晚于首次登记受理期限。全国性规定没有写明逾期后如何办理，"
            f"各地曾有集中补办的做法，{LOCAL}。下面按你填写的首次登记日期继续计算。", cite))
    return explanation, date_list


def _period_words(f: Facts, policy: Policy) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each period's rules, dates and holiday moves; the late re-registrations listed."""
    found, a = f.found, f.asked
    assumed = "下面假定每次都按时再登记。" if a.done is None else "已过的受理期按你填写的再登记日期核对，之后的假定按时再登记。"
    explanation = _period_rules(found.periods, policy, assumed) + _hours_rules(found.periods, policy, a.level)
    date_list = []
    for p in found.periods:
        n, start, end = p["index"], dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"])
        date_list.append(dated(f"periods[{n - 1}].end", f"第{n}个登记有效期最后一天", end,
                               (policy.cite(VALIDITY, on=start), CIVIL_CODE_COUNTING)))
        date_list.append(dated(f"periods[{n - 1}].reregistration_opens", f"第{n}次再登记开始受理",
                               dt.date.fromisoformat(p["reregistration_opens"]),
                               (policy.cite(REREG_WINDOW, on=start), CIVIL_CODE_COUNTING)))
        if p["holiday_extended_last_day"]:
            date_list.append(dated(f"periods[{n - 1}].holiday_extended_last_day", f"第{n}次再登记（节假日顺延后）最后一天",
                                   dt.date.fromisoformat(p["holiday_extended_last_day"]), CIVIL_CODE_HOLIDAY))
            explanation.append(step(f"第{n}次再登记：{dates.holiday_check(end).reason}", CIVIL_CODE_HOLIDAY))
    if found.late:
        assert found.missed is not None, "late dates are those after a missed window"
        late = "、".join(dates.zh_date(d) for d in found.late)
        explanation.append(step(f"你填写的再登记日期{late}晚于对应的受理期限，不按期内再登记接续；{LOCAL}。",
                                policy.cite(REREG_WINDOW, on=dt.date.fromisoformat(found.missed["start"]))))
    return explanation, date_list


def _assumed(done: list[dt.date] | None, period: dict[str, Any] | None) -> str:
    """Past a re-registration window with no re-registrations given, the answer rests on
    their having been on time: the summary says so, as the reader may not have been."""
    if done is not None or period is None or period["index"] < 2:
        return ""
    return ASSUMED_ON_TIME


def late_step(code: str, policy: Policy) -> dict[str, Any] | None:
    """What a reader in a late state can do (the note in policy.json, with its source) and
    the guide for it; None when nothing is late."""
    if code not in LATE:
        return None
    key, guide = LATE[code]
    text, source = policy.note(key)
    return {"text": text, "source": source, "guide": guide}


def periods_ahead(reg: dict[str, Any], policy: Policy) -> list[dict[str, Any]]:
    """The answer's periods, and the one after today's where the chain stopped at today's:
    a worker who re-registered early in the last period the chain reached has a next window."""
    periods = list(reg["periods"])
    current = reg["stage"].get("period")
    if not periods or current is None or reg["stage"]["code"] == "reregistration_missed" or len(periods) > current:
        return periods
    end = dt.date.fromisoformat(periods[-1]["end"])
    after = chain(end, end, policy, None).periods[0]
    return periods + [after | {"index": current + 1, "required_hours": _hours(policy, reg["level"], end)}]


def last_day(period: dict[str, Any]) -> dt.date:
    """The last day a re-registration window takes, moved past a holiday where the rules move it."""
    return dt.date.fromisoformat(period["reregistration_deadline"])


def next_period(reg: dict[str, Any], periods: list[dict[str, Any]]) -> dict[str, Any]:
    """Of ``periods`` (each with its ``index``), the one whose re-registration comes next for
    a registered worker: the stage's period, or the one after it once its window was kept
    early (periods_ahead reaches that far)."""
    by_index = {p["index"]: p for p in periods}
    p = by_index[reg["stage"]["period"]]
    if reg["stage"]["code"] == "registered" and p["reregistered_on"]:
        p = by_index.get(p["index"] + 1, p)
    return p


def case_key(reg: dict[str, Any]) -> str:
    """The facts an answer is computed from (never ``today``): its calendar's UIDs carry them."""
    return ics.case_key(reg["level"], reg["passed_on"], reg["first_registered_on"], reg["reregistered_on"])


def calendar_events(reg: dict[str, Any], periods: list[dict[str, Any]], today: dt.date, case: str = "") -> list[ics.Event]:
    """The first-registration window (while it is still to do) and each re-registration
    window of ``periods`` not yet done or gone, each as its opening and last-day events.  ``case`` (case_key)
    makes the UIDs one person's; the team's file puts the person in them itself."""
    z = dates.zh_date
    out = []
    first = reg["first_registration"]
    if reg["stage"]["code"] in ("not_passed_yet", "first_registration_open") and reg["first_registered_on"] is None:
        start = dt.date.fromisoformat(reg["passed_on"])
        last = dt.date.fromisoformat(first["deadline"])
        may = MAY_MOVE if first["holiday_check"] == "unknown" else ""
        out += ics.window(ics.uid("first", start.isoformat(), case), "社工证首次登记受理期", start, last,
                          f"{first_window_text(first['window_years'], start, dt.date.fromisoformat(first['last_day']))}"
                          f"{may}{LOCAL}。", ics.window_rings(start, last), today)
    for p in periods:
        last = last_day(p)
        if p.get("reregistered_on") or last < today:
            continue
        start = dt.date.fromisoformat(p["reregistration_opens"])
        may = MAY_MOVE if p["holiday_check"] == "unknown" else ""
        hours = f"（本期需{p['required_hours']}小时）" if p["required_hours"] is not None else ""
        out += ics.window(
            ics.uid("rereg", str(p["index"]), p["start"], case), f"社工证第{p['index']}次再登记受理期", start, last,
            f"受理期{z(start)}至{z(last)}，第{p['index']}个登记有效期到{z(dt.date.fromisoformat(p['end']))}。"
            f"再登记时提交本期的继续教育证明{hours}。{may}{LOCAL}。", ics.window_rings(start, last), today)
    return out


def _hours(policy: Policy, level: str, on: dt.date) -> int | None:
    """Required hours in force on ``on``; None before the continuing-education rules took effect."""
    try:
        return policy.value(f"training.required_hours.{level}", on=on)
    except NotInForce:
        return None


def _runs(periods: list[dict[str, Any]], read) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Consecutive periods that ``read`` (of a period's start) gives the same answer for."""
    return [(k, list(g)) for k, g in groupby(periods, key=lambda p: read(dt.date.fromisoformat(p["start"])))]


def _scope(run: list[dict[str, Any]], runs: int) -> str:
    """Which periods a step is about, said only when the rules differ between periods."""
    if runs == 1:
        return ""
    first, last = run[0]["index"], run[-1]["index"]
    which = f"第{first}个登记有效期" if first == last else f"第{first}至第{last}个登记有效期"
    return f"{which}（开始于{dates.zh_date(dt.date.fromisoformat(run[0]['start']))}）："


def _period_rules(periods: list[dict[str, Any]], policy: Policy, assumed: str) -> list[dict[str, Any]]:
    """Each period's validity and window, as in force on its start."""
    runs = _runs(periods, lambda on: (id(policy.entry(VALIDITY, on)), id(policy.entry(REREG_WINDOW, on))))
    out = []
    for _key, run in runs:
        on = dt.date.fromisoformat(run[0]["start"])
        validity, window_months = policy.value(VALIDITY, on), policy.value(REREG_WINDOW, on)
        cites = (policy.cite(VALIDITY, on), policy.cite(REREG_WINDOW, on), CIVIL_CODE_COUNTING)
        out.append(step(
            f"{_scope(run, len(runs))}登记有效期为{validity}年，首次登记后每{validity}年再登记一次；再登记的受理期限为上次登记有效期满前"
            f"{window_months}个月。新的有效期从上一期的最后一天接续。{assumed}",
            cites,
            VALIDITY,
        ))
    return out


def _hours_rules(periods: list[dict[str, Any]], policy: Policy, level: str) -> list[dict[str, Any]]:
    """Each period's required hours, as in force on its start."""
    key = f"training.required_hours.{level}"
    runs = _runs(periods, lambda on: _hours(policy, level, on) is not None and id(policy.entry(key, on)))
    out = []
    for in_force, run in runs:
        on = dt.date.fromisoformat(run[0]["start"])
        if in_force is False:
            first = policy.entries(key)[0]
            out.append(step(
                f"{_scope(run, len(runs))}这一期开始时，继续教育的学时要求还没有施行（自{format_date_zh(first['from'])}起适用）；"
                f"这一期的继续教育要求，{LOCAL}。",
                policy.cite_document(first["document"], first["article"]),
                key,
            ))
            continue
        out.append(step(
            f"{_scope(run, len(runs))}每个登记有效期内需要接受继续教育累计不少于{policy.value(key, on)}小时（{level}），"
            "再登记时提交继续教育证明。",
            policy.cite(key, on),
            key,
        ))
    return out


def stage_words(f: Facts) -> dict[str, Any]:
    """The stage as the response gives it: its code and sentence (``fact``: what happened,
    where a next step follows), the period and days left where there are."""
    z, st, a = dates.zh_date, f.stage, f.asked
    out: dict[str, Any] = {"code": st.code}
    if st.code == "not_passed_yet":
        out["text"] = f"今天（{z(a.today)}）早于通过考试日期，还没有到首次登记的时候。"
    elif st.code == "first_registration_open":
        out["text"] = _open("现在可以办理首次登记", st)
    elif st.code == "first_registration_missed":
        out["fact"] = f"首次登记的受理期限已于{z(st.last)}届满，还没有首次登记。"
        out["text"] = f"首次登记的受理期限已于{z(st.last)}届满。逾期如何补办，全国性规定没有写明，{LOCAL}。"
    elif st.code == "registered":
        p = f.period
        end, opens = z(dt.date.fromisoformat(p["end"])), z(dt.date.fromisoformat(p["reregistration_opens"]))
        done = f"已于{z(dt.date.fromisoformat(p['reregistered_on']))}再登记；" if p["reregistered_on"] else ""
        out["text"] = (f"登记有效，当前是第{st.period}个登记有效期（至{end}）；{done}"
                       + (f"第{st.period}次再登记从{opens}开始受理。" if not done else "下一期从这一天接续。"))
    elif st.code == "reregistration_open":
        out["text"] = _open(f"现在是第{st.period}次再登记的受理期", st)
    else:
        out["fact"] = (f"逾期未再登记：第{st.period}次再登记的受理期限已于{z(st.last)}届满，"
                       "你填写的再登记日期中没有在受理期内的。")
        out["text"] = out["fact"] + f"逾期后如何办理，全国性规定没有写明，{LOCAL}；本站不再推算之后的登记有效期。"
    if st.period is not None:
        out["period"] = st.period
    if st.days_left is not None:
        out["days_left"] = st.days_left
    return out | {"conditional": st.conditional}


def _open(lead: str, st: Stage) -> str:
    """A window open today; when the last day's holiday extension is unknown, say it may move."""
    return f"{lead}，最晚{dates.zh_date(st.last)}，还剩{st.days_left}天。" + (MAY_MOVE if st.conditional else "")
