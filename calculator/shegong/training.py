"""Continuing-education hours: 《社会工作者继续教育办法》(民发〔2009〕123号).

第七条 sets the hours per registration period by level.  How hours count:
training with a certificate of completion counts its actual hours; online learning in
the system counts its recorded hours; a social-work degree obtained counts a fixed 90
hours at once; without the degree, the actual class hours of passed courses count.

Only records dated inside the period count ("每一登记有效期内"): no text allows carrying
hours over, so none are carried.  A record still waiting for review in the system is
not counted yet and is reported as pending.

Which date each value is read on (README, 哪一天的规定): the required hours and the degree
hours on the period's start, the rules the period runs under; the period's length on
its start (the registration chain reads each period's on its own start); the record
limit is an input check, not a rule, so always the newest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dataclasses import dataclass

from . import dates, registration
from .explain import CIVIL_CODE_COUNTING, Cited, dated, iso, not_in_force_message, read_on, step
from .inputs import Reader, number_out, shown_down, shown_up
from .policy import NotInForce, Policy
from .questions import Field, Questions, level

KINDS = ("training", "online", "course", "degree")
KIND_ZH = {"training": "社会工作培训", "online": "线上学习", "course": "学历教育课程", "degree": "学历教育（取得学历或学位）"}
# The yes/no that decides whether a record of a kind counts: required for that kind, so a
# record is never counted because a box was left out.
FLAG = {"training": ("certified", "是否取得合格证明"), "course": ("passed", "课程是否考试合格"),
        "degree": ("awarded", "是否取得学历或学位")}
MAX_HOURS = "training.max_record_hours"
DEGREE_HOURS = "training.degree_hours"
VALIDITY = "registration.validity_years"

RECORD_FIELDS = ("kind", "date", "hours", "certified", "passed", "awarded", "approved")


def record_schema(policy: Policy) -> dict[str, Any]:
    """A learning record in the request's schema (its properties are RECORD_FIELDS)."""
    return {
        "type": "object",
        "required": ["kind", "date"],
        "properties": {
            "kind": {"enum": list(KINDS)},
            "date": {"$ref": "#/$defs/date_in"},
            "hours": {"type": "number", "minimum": 0, "maximum": policy.value(MAX_HOURS)},
            "certified": {"type": "boolean"},
            "passed": {"type": "boolean"},
            "awarded": {"type": "boolean"},
            "approved": {"type": "boolean", "default": True},
        },
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}},
             "then": {"required": (["hours"] if kind != "degree" else []) + ([FLAG[kind][0]] if kind in FLAG else [])}}
            for kind in KINDS
        ],
    }


QUESTIONS = Questions(
    tool="training",
    title="继续教育学时",
    summary="继续教育学时：本登记有效期内已计入多少小时",
    fields=(
        level("助理社会工作师每期{{ pu:training.required_hours.助理社会工作师 }}，"
              "社会工作师每期{{ pu:training.required_hours.社会工作师 }}，"
              "高级社会工作师每期{{ pu:training.required_hours.高级社会工作师 }}。", default="助理社会工作师"),
        Field("period_start", "date", "本登记有效期的开始日期",
              hint="首次登记或上次再登记的日期。不知道的话，可以先用[登记期限计算器](../registration/)算出来。"),
        Field("period_end", "date", "本登记有效期的结束日期",
              hint="留空就按开始日期加{{ pu:registration.validity_years }}计算。"),
        Field("first_period", "boolean", "是否第一个登记有效期", form=False,
              hint="本期是否首次登记开始的第一期：是/否（决定开始那天的记录计入哪一期）。",
              description="Whether the period starts at the first registration (its start day then counts here)."),
        Field("first_registered_on", "date", "首次登记日期", form=False,
              hint="代替登记有效期的开始日期：由本站算出登记有效期。",
              description="Instead of period_start: the period is worked out."),
        Field("reregistered_on", "dates", "已办理的再登记日期", form=False,
              hint="与首次登记日期一起填写，可重复。"),
        Field("today", "date", "按哪一天确定登记有效期", form=False,
              hint="与首次登记日期一起填写；默认今天。",
              description="With first_registered_on: the day whose period is counted."),
        Field("records", "records", "学习记录", flag="--record", schema=lambda policy: {"items": record_schema(policy)},
              hint="每条培训、线上学习、学历教育课程或学历/学位一行。只有日期在本登记有效期内的记录才计入；"
                   "在系统里还没审核通过的，取消勾选“已审核通过”，会单独列为待审核。"),
    ),
    examples=(
        ("助理社会工作师，三条记录", {"level": "助理社会工作师", "period_start": "2022-03-15", "records": [
            {"kind": "training", "date": "2022-06-01", "hours": 30, "certified": True},
            {"kind": "online", "date": "2023-04-10", "hours": 20},
            {"kind": "training", "date": "2024-11-02", "hours": 12, "certified": True, "approved": False},
        ]}),
        ("取得社会工作专业学历或学位", {"level": "社会工作师", "period_start": "2023-07-01", "records": [
            {"kind": "degree", "date": "2024-06-30", "awarded": True},
        ]}),
    ),
    one_of=("period_start", "first_registered_on"),
)
FIELDS = QUESTIONS.names


@dataclass
class Period:
    start: dt.date
    end: dt.date
    first: bool | None  # whether the start day is the first registration day (and so counts here)
    end_rule: Cited
    index: int | None = None
    note: str | None = None  # why the period could not be followed to the day asked about
    assumed: bool = False  # worked out assuming every re-registration on time (none listed)


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    r.reject_unknown(FIELDS)
    level = r.level()
    records = _records(r, policy.value(MAX_HOURS))
    on = r.date("today", "按哪一天确定登记有效期", required=False) or today
    period = _period(r, policy, on)
    r.raise_if_errors()
    assert level is not None and period is not None
    start, end = period.start, period.end

    required_key = f"training.required_hours.{level}"
    field, label = ("period_start", "登记有效期开始日期") if period.index is None else (
        "first_registered_on", f"本期（第{period.index}个登记有效期）的开始日期")
    required = read_on(policy, r, required_key, start, field, label)
    degree_hours = read_on(policy, r, DEGREE_HOURS, start, field, label)
    r.raise_if_errors()

    counted = pending = Decimal(0)
    out_records = []
    degree_at = None  # the record whose degree has been counted
    for i in sorted(range(len(records)), key=lambda k: (records[k]["date"], k)):
        rec = records[i]
        value, reason = _worth(rec, degree_hours)
        status = "counted" if value > 0 else "not_counted"
        if not _inside(rec["date"], period):
            status, value = "outside", Decimal(0)
            reason = _outside_reason(rec["date"], period)
        elif rec["kind"] == "degree" and value > 0:
            if degree_at is not None:
                status, value = "not_counted", Decimal(0)
                reason = f"学历或学位已在第{degree_at + 1}条记录一次性计入，再填的学历教育不再计入。"
            else:
                degree_at = i
        if value > 0 and not rec["approved"]:
            pending += value
            status, reason = "pending", f"尚待审核，审核通过后可计{number_out(value)}小时，暂不计入。"
            value = Decimal(0)
        counted += value
        out_records.append((i, {
            "kind": rec["kind"],
            "date": iso(rec["date"]),
            "counted_hours": number_out(value),
            "status": status,
            "reason": reason,
        }))
    out_records = [rec for _i, rec in sorted(out_records, key=lambda x: x[0])]

    met = counted >= required
    remaining = max(Decimal(required) - counted, Decimal(0))
    shown, left = shown_down(counted), shown_up(remaining)
    state = _state(period, on, policy)
    ended = state["code"] == "ended"
    which = "这一期" if ended else "本登记有效期已"
    summary = (
        f"{which}累计{shown}小时，达到{level}要求的{required}小时。"
        if met
        else f"{which}累计{shown}小时，比{level}要求的{required}小时少{left}小时。" if ended
        else f"{which}累计{shown}小时，还差{left}小时才达到{level}要求的{required}小时。"
    )
    if pending > 0:
        summary += f"另有{shown_down(pending)}小时待审核。"
    next_step = _next_step(period, on, met, policy)
    # Which period this is comes first; what to do, last.
    summary = state["text"] + summary + (f"下一步：{next_step['text']}" if next_step else "")
    warnings = _duplicates(records) + _start_day(records, period)
    if period.note:
        warnings.append({"code": "reregistration_missed", "records": [], "message": period.note})
    explanation = [
        step(
            f"{level}在每一登记有效期内接受社会工作专业继续教育的时间累计不得少于{required}小时。",
            policy.cite(required_key, on=start),
            required_key,
        ),
        step(
            f"本期为{dates.zh_date(start)}至{dates.zh_date(end)}。只有日期在本期内的记录计入；"
            "规定说的是“每一登记有效期内”，没有跨期结转的条文，所以不结转。"
            "前后两期交接的那一天只算一次，计入结束的那一期；首次登记当天的记录计入第一期。",
            (policy.cite(required_key, on=start), CIVIL_CODE_COUNTING),
        ),
        step(
            "参加社会工作培训并取得合格证明的，按实际培训时间计算；参加社会工作专业学历教育，取得学历或者学位的，"
            f"一次性记{degree_hours}小时；未取得的，按考试合格的专业课程实际授课时间计算。",
            policy.cite(DEGREE_HOURS, on=start),
            DEGREE_HOURS,
        ),
        step("学时按填写的数值精确相加；显示时已计入的向下、还差的向上取到0.1小时，所以显示的数字和是否达标一致。", "本站计算约定"),
        step("在系统里尚待审核的线下学习记录，审核通过后才获得学时，因此单独列为待审核。", "全国社会工作信息系统 继续教育模块"),
    ]
    if state["text"] or state["hint"]:
        # After the required hours (the first step, which the plan cites for each period).
        explanation.insert(1, step(state["text"] + state["hint"], period.end_rule))
    if next_step:
        explanation.append(step(next_step["text"], next_step["source"]))
    return {
        "ok": True,
        "tool": "training",
        "level": level,
        "period_start": iso(start),
        "period_end": iso(end),
        "period_index": period.index,
        "required_hours": required,
        "counted_hours": shown,
        "remaining_hours": left,
        "pending_hours": shown_down(pending),
        "met": met,
        "today": iso(on),
        "period_state": state,
        "next_step": next_step and {"text": next_step["text"], "guide": next_step["guide"]},
        "records": out_records,
        "warnings": warnings,
        "dates": [
            dated("period_start", "登记有效期开始", start, period.end_rule if period.index else "你填写的登记有效期开始日期"),
            dated("period_end", "登记有效期最后一天", end, period.end_rule),
        ],
        "summary": summary,
        "explanation": explanation,
    }


def _records(r: Reader, maximum: int) -> list[dict[str, Any]]:
    records = []
    example = '{"kind": "training", "date": "2022-06-01", "hours": 30, "certified": true}'
    for i, rr in r.objects("records", "学习记录", "条学习记录", example):
        rr.reject_unknown(RECORD_FIELDS, f"第{i + 1}条学习记录")
        if rr.obj.get("kind") != "degree" and all(rr.obj.get(k) in (None, "") for k in ("date", "hours")):
            # A row added and left empty: named once, not once per missing value.
            rr.error("date", f"第{i + 1}条记录是空的：请填写日期和学时，或删除这一条。")
            continue
        n = f"第{i + 1}条记录的"
        kind = rr.choice("kind", n + "类型", KINDS)
        day = rr.date("date", n + "日期")
        hours = None
        if kind is not None and kind != "degree":
            hours = rr.hours("hours", n + "学时", maximum)
        needed = FLAG.get(kind, (None,))[0]
        flags = {name: rr.boolean(name, n + label, None if name == needed else True) for name, label in FLAG.values()}
        records.append({"kind": kind, "date": day, "hours": hours, **flags,
                        "approved": rr.boolean("approved", n + "是否已审核通过", True)})
    return records


def _period(r: Reader, policy: Policy, on: dt.date) -> Period | None:
    """The registration period: as given, or worked out from the registration dates."""
    if r.obj.get("period_start") is not None and r.obj.get("first_registered_on") is not None:
        r.error("first_registered_on", "「登记有效期开始日期」和「首次登记日期」只填其一：填了首次登记日期，本站会自己算出登记有效期。")
        return None
    if r.obj.get("period_start") is None and r.obj.get("first_registered_on") is not None:
        first = r.date("first_registered_on", "首次登记日期")
        done = r.date_list("reregistered_on", "再登记日期")
        if first is None or r.errors:
            return None
        if on < first:
            r.error("today", "「按哪一天确定登记有效期」不能早于首次登记日期。")
            return None
        try:
            found = registration.chain(first, on, policy, done)
        except NotInForce as e:
            r.error("first_registered_on", not_in_force_message(policy, e.key, "首次登记日期", e.first_from))
            return None
        # The period holding ``on``: its start day belongs to it only for the first period.
        p = next((p for p in found.periods if on <= dt.date.fromisoformat(p["end"])), found.periods[-1])
        note = None
        if found.missed is not None and on > dt.date.fromisoformat(p["end"]):
            note = (f"第{p['index']}次再登记的受理期已过，你填写的再登记日期中没有在受理期内的；之后的登记有效期无法推算，"
                    f"以下按第{p['index']}个登记有效期计算。逾期如何办理，以当地民政部门通知为准。")
        start = dt.date.fromisoformat(p["start"])
        rule = (policy.cite(VALIDITY, on=start), CIVIL_CODE_COUNTING)
        return Period(start, dt.date.fromisoformat(p["end"]), p["index"] == 1, rule, p["index"], note, done is None)
    start = r.date("period_start", "登记有效期开始日期")
    end = r.date("period_end", "登记有效期结束日期", required=False)
    first = r.boolean("first_period", "是否第一个登记有效期", False) if r.obj.get("first_period") is not None else None
    if start is None:
        return None
    if end is None:
        # Only a period worked out here needs its length: the one in force on its start.
        validity = read_on(policy, r, VALIDITY, start, "period_start", "登记有效期开始日期")
        if validity is None:
            return None
        return Period(start, dates.add_years(start, validity), first, (policy.cite(VALIDITY, on=start), CIVIL_CODE_COUNTING))
    if end < start:
        r.error("period_end", "「登记有效期结束日期」不能早于开始日期。不填则按开始日期加上登记有效期计算。")
        return None
    return Period(start, end, first, "你填写的登记有效期结束日期")


HOURS_GUIDE = {"title": "继续教育", "path": "registration/continuing-education.md"}


def _state(period: Period, on: dt.date, policy: Policy) -> dict[str, Any]:
    """Whether the period asked about has ended, is running or is still to come on ``on``
    (``text``, said before the hours), and ``hint``: for an ended period given by its dates,
    the period ``on`` falls in when every re-registration was on time; for one worked out
    from the first registration with no re-registration listed, the question whether it was."""
    z = dates.zh_date
    span = f"{z(period.start)}至{z(period.end)}"
    if period.end < on:
        hint, current = "", None
        if period.index is None:
            after = registration.chain(period.end, on, policy, None).periods
            p = next(p for p in after if on <= dt.date.fromisoformat(p["end"]))
            current = {"start": p["start"], "end": p["end"]}
            start = z(dt.date.fromisoformat(p["start"]))
            hint = (f"如果之后按时再登记了，{z(on)}所在的是{start}至{z(dt.date.fromisoformat(p['end']))}这一期："
                    f"要算这一期的学时，把开始日期改为{start}。没有按时再登记的，见再登记指南。")
        return {"code": "ended", "text": f"这个登记有效期（{span}）已经结束。", "hint": hint, "current": current}
    if on < period.start:
        return {"code": "not_started", "text": f"这个登记有效期（{span}）还没有开始。", "hint": "", "current": None}
    hint = ""
    if period.index is not None:
        hint = f"按首次登记日期推算，{z(on)}在第{period.index}个登记有效期（{span}）。"
        if period.assumed:
            hint += "这是假定每次都按时再登记推算的；没有按时再登记的，请填写已办理的再登记日期。"
    return {"code": "current", "text": "", "hint": hint, "current": {"start": iso(period.start), "end": iso(period.end)}}


def _next_step(period: Period, on: dt.date, met: bool, policy: Policy) -> dict[str, Any] | None:
    """A late reader's next step: a re-registration missed, or hours short in a period that ended."""
    if period.note:
        return registration.late_step("reregistration_missed", policy)
    if period.end < on and not met:
        text, source = policy.note("hours_short_after_period")
        return {"text": text, "source": source, "guide": HOURS_GUIDE}
    return None


def _inside(day: dt.date, period: Period) -> bool:
    """By 第二百零一条 a chained period counts from the day after its start: that day is the last
    of the period before.  Only the first period holds its start day (the first registration)."""
    if day == period.start:
        return period.first is not False
    return period.start < day <= period.end


def _outside_reason(day: dt.date, period: Period) -> str:
    z = dates.zh_date
    if day == period.start:
        return f"日期{z(day)}是上一期的最后一天，计入上一期，不计入本期。"
    return f"日期{z(day)}不在本登记有效期（{z(period.start)}至{z(period.end)}）内，不计入本期。"


def _duplicates(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with the same kind, date and hours: most often one record entered twice."""
    seen: dict[tuple[Any, ...], list[int]] = {}
    for i, rec in enumerate(records):
        seen.setdefault((rec["kind"], rec["date"], rec["hours"]), []).append(i)
    return [
        {"code": "duplicate_records", "records": same,
         "message": f"第{'、'.join(str(i + 1) for i in same)}条记录的类型、日期和学时完全相同，可能重复填写了；如果确是不同的学习，请忽略。"}
        for same in seen.values() if len(same) > 1
    ]


def _start_day(records: list[dict[str, Any]], period: Period) -> list[dict[str, Any]]:
    """Unknown whether the period is the first: a record on its start day is counted, and flagged."""
    if period.first is not None:
        return []
    on_start = [i for i, rec in enumerate(records) if rec["date"] == period.start]
    if not on_start:
        return []
    return [{"code": "start_day_record", "records": on_start,
             "message": f"第{'、'.join(str(i + 1) for i in on_start)}条记录在本期开始那一天。如果本期接续上一期，这一天属于上一期，"
                        "不计入本期；如果本期是首次登记开始的第一期，则计入本期。这里按计入本期计算：本期接续上一期的，请把这条记录从本期去掉。"}]


def _worth(rec: dict[str, Any], degree_hours: int) -> tuple[Decimal, str]:
    """What one record is worth inside the period, and why."""
    kind = rec["kind"]
    if kind == "degree":
        if rec["awarded"]:
            return Decimal(degree_hours), f"取得学历或学位，一次性记{degree_hours}小时。"
        return Decimal(0), "未取得学历或学位的，不按学历计；请把考试合格的专业课程逐门填为“学历教育课程”，按实际授课时间计算。"
    hours = rec["hours"]
    if kind == "training":
        if rec["certified"]:
            return hours, f"社会工作培训已取得合格证明，按实际培训时间计{number_out(hours)}小时。"
        return Decimal(0), "社会工作培训需取得合格证明才计入；没有合格证明的不计。"
    if kind == "online":
        return hours, f"线上学习按实际学习时间计{number_out(hours)}小时。"
    if rec["passed"]:
        return hours, f"专业课程考试合格，按实际授课时间计{number_out(hours)}小时。"
    return Decimal(0), "专业课程考试未合格，不计入。"
