"""我的时间表: one worker's plan across registration, re-registration, hours and certificate.

Nothing here is a rule of its own.  The plan asks the registration rules for the stage,
the periods and every deadline; the training rules for the hours of each period (every
record is offered to each period, and the period whose rules count it is the one it
belongs to); the certificate rules for the paper-certificate estimate when the results
date is given.  It takes their facts (``registration.facts``, ``training.facts``,
``certificate.facts``), decides from them, and words what it shows once: registration's
steps and dates through ``registration.words``, the certificate's through
``certificate.paper_words``.  What this module adds is the choice of what to show (the
periods up to the one after today's), the next thing to do (a code, then ``NEXT_WORDS``),
and the calendar file.

Its questions are theirs: each field is the declaration of the tool that asks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Callable

from . import certificate, dates, ics, registration, training
from .explain import iso, step
from .inputs import Reader
from .policy import Policy
from .questions import Questions

_REG, _TRAIN, _CERT = registration.QUESTIONS, training.QUESTIONS, certificate.QUESTIONS

QUESTIONS = Questions(
    tool="plan",
    title="我的时间表",
    summary="我的时间表：现在所处的阶段、下一步、各个期限和每期学时，可导出日历文件",
    fields=(
        _REG.field("level"),
        _REG.field("passed_on"),
        _REG.field("first_registered_on"),
        # The registration page leaves it to the command line; a plan is about exactly this.
        replace(_REG.field("reregistered_on"), form=True),
        _TRAIN.field("records"),
        replace(_CERT.field("results_published_on"), more=True),
        _REG.field("today"),
    ),
    examples=(
        ("已登记，有学习记录", {"level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15",
                               "records": [{"kind": "training", "date": "2025-06-01", "hours": 30, "certified": True},
                                           {"kind": "online", "date": "2026-04-10", "hours": 20}]}),
        ("刚通过考试，还没登记", {"level": "助理社会工作师", "passed_on": "2025-11-15", "results_published_on": "2025-12-20"}),
    ),
    more="成绩发布日期、按另一天判断（可选）",
)
REGISTRATION_ASKS = tuple(f.name for f in _REG.fields)

# The guide that explains each next step (docs/, the site's own pages).
GUIDES = {
    "first": (registration.FIRST_GUIDE["title"], registration.FIRST_GUIDE["path"]),
    "reregistration": (registration.REREG_GUIDE["title"], registration.REREG_GUIDE["path"]),
    "hours": ("继续教育", "registration/continuing-education.md"),
    "certificate": ("证书", "certificate/index.md"),
}
CALENDAR_FILE = "我的时间表.ics"


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    r.raise_if_errors()
    # The registration rules' facts, said once: the plan shows their steps, dates and stage.
    f = registration.facts({"tool": "registration", **{k: request[k] for k in REGISTRATION_ASKS if k in request}},
                           policy, today)
    reg = registration.words(f, policy)
    today = f.asked.today
    periods = _hours(request, f, _periods(f, reg, policy), policy, today)
    cert = None
    if request.get("results_published_on") not in (None, ""):
        # Asked with the results date only: the certificate rules' facts are the paper estimate.
        cert = certificate.facts({"tool": "certificate", "results_published_on": request["results_published_on"]},
                                 policy, today)
        assert cert.paper is not None

    shown = [p for p in periods if not p["assumed"]]
    current = f.stage.period or 1
    near = [p for p in shown if current <= p["index"] <= current + 1]
    next_step = _next_words(*_next(f, reg, periods), reg)
    return {
        "ok": True,
        "tool": "plan",
        "level": reg["level"],
        "passed_on": reg["passed_on"],
        "first_registered_on": reg["first_registered_on"],
        "reregistered_on": reg["reregistered_on"],
        "results_published_on": None if cert is None else iso(cert.paper.results),
        "today": reg["today"],
        "stage": reg["stage"],
        "next": next_step,
        "first_registration": reg["first_registration"],
        "periods": [_public(p) for p in periods],
        "deadlines": _deadlines(reg, near),
        "records": _records(periods),
        "certificate": None if cert is None else certificate.paper_fields(cert),
        "calendar": ics.attachment(registration.calendar_events(reg, near, today, registration.case_key(reg))
                                   + (certificate.calendar_events(cert, today) if cert else []),
                                   today, QUESTIONS.title, CALENDAR_FILE),
    } | _said(reg, next_step, shown, periods, cert, policy) | {
        "local_notice": reg["local_notice"],
    }


def _said(reg: dict[str, Any], next_step: dict[str, Any], shown: list[dict[str, Any]], periods: list[dict[str, Any]],
          cert: certificate.Facts | None, policy: Policy) -> dict[str, Any]:
    """What the plan says: the dates and steps shown (registration's for the periods shown,
    each period's hours, the certificate's) and the summary."""
    keys = {f"periods[{p['index'] - 1}]" for p in shown}
    date_list = [d for d in reg["dates"] if d["key"].split(".")[0] in keys or d["key"].startswith("first_registration")]
    explanation = reg["explanation"] + [
        step(f"{_name(p)}：{training.summary(p['training'], policy)}",
             policy.cite(p["training"].required_key, on=p["training"].period.start), p["training"].required_key)
        for p in periods if p["training"]
    ]
    if cert is not None:
        said = certificate.paper_words(cert.paper, cert.since_rule, policy)
        date_list += said.dates
        explanation += said.steps
    summary = reg["summary"] if reg["next_step"] else f"{reg['stage']['text']}下一步：{next_step['text']}"
    return {"dates": date_list, "summary": summary, "explanation": explanation}


def _periods(f: registration.Facts, reg: dict[str, Any], policy: Policy) -> list[dict[str, Any]]:
    """The registration periods up to the one after today's.  Before the first registration,
    one assumed period: the first, as it would run if the worker registered on the day the
    registration rules count its hours from (today, or the pass date when that is later)."""
    if not f.found.periods:
        start = max(f.asked.passed_on, f.asked.today)
        return [{"index": 1, "assumed": True, "start": iso(start), "required_hours": f.required_hours}]
    current = f.stage.period or 1
    return [p | {"assumed": False} for p in registration.periods_ahead(reg, policy)[: current + 1]]


def _hours(request: dict[str, Any], reg_facts: registration.Facts, periods: list[dict[str, Any]], policy: Policy,
           today: dt.date) -> list[dict[str, Any]]:
    """Each period with its hours, as the training rules count them: every record is offered
    to every period, and each period counts only its own."""
    out = []
    for p in periods:
        if p["required_hours"] is None:
            # Before the continuing-education rules took effect: registration says so in its steps.
            out.append(p | {"training": None})
            continue
        ask = {"period_start": p["start"], "first_period": p["index"] == 1}
        if not p["assumed"]:
            ask["period_end"] = p["end"]
        # The training rules' facts: the plan words only what it shows of them.
        f = training.facts({"tool": "training", "level": reg_facts.asked.level, "records": request.get("records") or [], **ask},
                           policy, today)
        out.append(p | {"end": iso(f.period.end), "training": f, "hours": training.totals(f),
                        "records": training.record_words(f)})
    return out


def _name(p: dict[str, Any]) -> str:
    z = dates.zh_date
    span = f"{z(dt.date.fromisoformat(p['start']))}至{z(dt.date.fromisoformat(p['end']))}"
    if p["assumed"]:
        return f"第1个登记有效期（假如{z(dt.date.fromisoformat(p['start']))}办理首次登记，为{span}）"
    return f"第{p['index']}个登记有效期（{span}）"


def _public(p: dict[str, Any]) -> dict[str, Any]:
    t = p.get("hours")
    out = {k: p.get(k) for k in ("index", "assumed", "start", "end", "reregistration_opens", "reregistration_last_day",
                                 "holiday_extended_last_day", "holiday_check", "reregistered_on", "required_hours",
                                 "reregistration_deadline", "reregistration_window_months")}
    out["name"] = _name(p) if p.get("end") else f"第{p['index']}个登记有效期"
    for key in ("counted_hours", "remaining_hours", "pending_hours", "met"):
        out[key] = t[key] if t else None
    out["records"] = [i for i, rec in enumerate(p["records"]) if rec["status"] != "outside"] if t else []
    return out


def _records(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record once, in the order given, with the period that counts it (None: no period shown)."""
    results = [p for p in periods if p["training"]]
    if not results:
        return []
    out = []
    for i, first in enumerate(results[0]["records"]):
        home = next((p for p in results if p["records"][i]["status"] != "outside"), None)
        if home is None:
            # Outside every period: the reason of the last period that starts on or before it.
            before = [p for p in results if p["start"] <= first["date"]]
            rec = (before[-1] if before else results[0])["records"][i]
        else:
            rec = home["records"][i]
        out.append(rec | {"period": None if home is None else home["index"]})
    return out


def _next(f: registration.Facts, reg: dict[str, Any], periods: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The next thing to do, as a code and its values (NEXT_WORDS says it): the first
    registration, a late state's own step, the re-registration open now, or before the next
    window opens, the hours still short or the window itself."""
    code = f.stage.code
    if code in ("not_passed_yet", "first_registration_open"):
        return "first", {"day": f.first_deadline, "may_move": f.first_check.status == "unknown"}
    if code in registration.LATE:
        return "late", {}
    p = registration.next_period(reg, periods)
    t = p.get("hours")
    short = {"remaining": t["remaining_hours"], "required": t["required_hours"]} if t and not t["met"] else None
    if code == "reregistration_open":
        return "reregister", {"index": p["index"], "day": registration.last_day(p), "short": short,
                              "may_move": p["holiday_check"] == "unknown"}
    return "hours" if short else "opens", {"index": p["index"], "day": dt.date.fromisoformat(p["reregistration_opens"]),
                                           "short": short}


def _short(short: dict[str, Any]) -> str:
    return f"还差{short['remaining']}小时继续教育学时（本期需{short['required']}小时）"


def _may(may_move: bool) -> str:
    return registration.MAY_MOVE if may_move else ""


# Each next step said, and the guide that explains it.
NEXT_WORDS: dict[str, tuple[str, Callable[..., str]]] = {
    "first": ("first", lambda day, may_move: f"办理首次登记，最晚{dates.zh_date(day)}。{_may(may_move)}"),
    "reregister": ("reregistration", lambda index, day, short, may_move: (
        f"办理第{index}次再登记，最晚{dates.zh_date(day)}。"
        f"{f'办理时要提交继续教育证明，{_short(short)}。' if short else ''}{_may(may_move)}")),
    "hours": ("hours", lambda index, day, short: f"在第{index}次再登记受理期开始（{dates.zh_date(day)}）前，{_short(short)}。"),
    "opens": ("reregistration", lambda index, day, short: f"第{index}次再登记从{dates.zh_date(day)}开始受理。"),
}


def _next_words(code: str, values: dict[str, Any], reg: dict[str, Any]) -> dict[str, Any]:
    """The next step in words; ``late`` marks a late state's (a page shows it as a warning)."""
    if code == "late":
        # The registration rules' own next step (what the rules leave open, who to ask).
        return reg["next_step"] | {"date": None, "late": True}
    guide, said = NEXT_WORDS[code]
    return _step(guide, said(**values), values["day"]) | {"late": False}


def _step(guide: str, text: str, day: dt.date | None) -> dict[str, Any]:
    title, path = GUIDES[guide]
    return {"text": text, "date": iso(day), "guide": {"title": title, "path": path}}


def _deadlines(reg: dict[str, Any], near: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first-registration deadline and the windows of today's period and the next."""
    first = reg["first_registration"]
    out = [{"key": "first_registration.last_day", "label": "首次登记受理期限最后一天", "date": first["last_day"],
            "holiday_extended_last_day": first["holiday_extended_last_day"], "holiday_check": first["holiday_check"],
            "deadline": first["deadline"], "done": reg["first_registered_on"] is not None}]
    for p in near:
        n, i = p["index"], p["index"] - 1
        done = p["reregistered_on"] is not None
        out.append({"key": f"periods[{i}].reregistration_opens", "label": f"第{n}次再登记开始受理",
                    "date": p["reregistration_opens"], "holiday_extended_last_day": None, "holiday_check": None,
                    "deadline": p["reregistration_opens"], "done": done})
        out.append({"key": f"periods[{i}].reregistration_last_day", "label": f"第{n}次再登记受理期限最后一天",
                    "date": p["reregistration_last_day"], "holiday_extended_last_day": p["holiday_extended_last_day"],
                    "holiday_check": p["holiday_check"], "deadline": p["reregistration_deadline"], "done": done})
    return [row | {"note": _deadline_note(row)} for row in out]


def _deadline_note(row: dict[str, Any]) -> str:
    """What a deadline row's 说明 says: done, moved past a rest day, or not yet known."""
    if row["done"]:
        return "已办理"
    if row["holiday_check"] == "extended":
        return f"最后一天是休息日，顺延到{dates.zh_date(dt.date.fromisoformat(row['deadline']))}"
    if row["holiday_check"] == "unknown":
        return "这一年的节假日安排还没有公布，最后一天可能顺延"
    return ""


