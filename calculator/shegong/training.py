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
from .inputs import Naming, Reader, number_out, shown_down, shown_up
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

RECORD_FIELDS = ("kind", "date", "hours", "certified", "passed", "awarded", "approved")
# How a record's messages name its fields (第2条学习记录「日期」…).
RECORD_LABELS = {"kind": "类型", "date": "日期", "hours": "学时", **{name: label for name, label in FLAG.values()},
                 "approved": "是否已审核通过"}


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


@dataclass
class Period:
    start: dt.date
    end: dt.date
    first: bool | None  # whether the start day is the first registration day (and so counts here)
    index: int | None = None  # which period, when worked out from the registration dates
    missed: bool = False  # a re-registration missed: the period could not be followed to the day asked about
    assumed: bool = False  # worked out assuming every re-registration on time (none listed)
    end_given: bool = False  # the end as the request gives it


@dataclass
class Counted:
    """One record inside the period: what it is worth and why (a code, ``why``)."""

    i: int  # its place in the request
    kind: str
    date: dt.date
    value: Decimal  # what it counts now
    status: str  # counted, not_counted, pending, outside
    why: str  # training, training_uncertified, online, course, course_failed, degree, degree_not_awarded,
    #           degree_again, outside, previous_period
    worth: Decimal  # what it is worth once approved
    degree_at: int | None = None  # for degree_again: the record the degree was counted at


@dataclass
class Facts:
    """What the continuing-education rules say about one period's records, with no words."""

    level: str
    period: Period
    on: dt.date  # the day the period's state is judged on
    required_key: str
    required: int
    degree_hours: int
    records: list[Counted]  # in the request's order
    counted: Decimal
    pending: Decimal
    warnings: list[tuple[str, list[int]]]  # (code, the records' indexes)

    @property
    def met(self) -> bool:
        return self.counted >= self.required

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(self.required) - self.counted, Decimal(0))

    @property
    def state(self) -> str:
        """ended, not_started or current, on ``on``."""
        return "ended" if self.period.end < self.on else "not_started" if self.on < self.period.start else "current"

    @property
    def late(self) -> str | None:
        """What is late for the reader: a re-registration missed, hours short in a period that ended."""
        if self.period.missed:
            return "reregistration_missed"
        return "hours_short_after_period" if self.period.end < self.on and not self.met else None


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date, naming: Naming | None = None) -> dict[str, Any]:
    return words(facts(request, policy, today, naming), policy)


def facts(request: dict[str, Any], policy: Policy, today: dt.date, naming: Naming | None = None) -> Facts:
    """The request read (``naming``: where it comes from, if not the form) and each record counted."""
    r = Reader(request, questions=QUESTIONS, policy=policy, naming=naming)
    r.reject_unknown()
    level = r.read("level")
    records = _records(r, policy.value(MAX_HOURS))
    on = r.read("today") or today
    period = _period(r, policy, on)
    r.raise_if_errors()
    assert level is not None and period is not None
    required_key = f"training.required_hours.{level}"
    field = "period_start" if period.index is None else "first_registered_on"
    label = r.label("period_start") if period.index is None else f"本期（第{period.index}个登记有效期）的开始日期"
    required = read_on(policy, r, required_key, period.start, field, label)
    degree_hours = read_on(policy, r, DEGREE_HOURS, period.start, field, label)
    r.raise_if_errors()
    counted = [_count(i, rec, degree_hours, period) for i, rec in enumerate(records)]
    _once(counted)
    return Facts(level, period, on, required_key, required, degree_hours, counted,
                 sum((c.value for c in counted), Decimal(0)),
                 sum((c.worth for c in counted if c.status == "pending"), Decimal(0)),
                 _duplicates(records) + _start_day(records, period))


def _count(i: int, rec: dict[str, Any], degree_hours: int, period: Period) -> Counted:
    """One record: what it is worth inside the period (a degree counted once: see _once)."""
    worth, why = _worth(rec, degree_hours)
    c = Counted(i, rec["kind"], rec["date"], worth, "counted" if worth > 0 else "not_counted", why, worth)
    if not _inside(rec["date"], period):
        c.status, c.value, c.worth = "outside", Decimal(0), Decimal(0)
        c.why = "previous_period" if rec["date"] == period.start else "outside"
    elif worth > 0 and not rec["approved"]:
        c.status, c.value = "pending", Decimal(0)
    return c


def _once(counted: list[Counted]) -> None:
    """A degree counts once: the first by date (then by order) that counts; later ones do not."""
    at = None
    for c in sorted(counted, key=lambda c: (c.date, c.i)):
        if c.kind != "degree" or c.worth <= 0 or c.status == "outside":
            continue
        if at is None:
            at = c.i
            continue
        c.status, c.value, c.worth, c.why, c.degree_at = "not_counted", Decimal(0), Decimal(0), "degree_again", at


# --- words ---------------------------------------------------------------------------------


def words(f: Facts, policy: Policy) -> dict[str, Any]:
    """The response: the facts said, each step cited."""
    state = state_words(f, policy)
    next_step = _next_step(f, policy)
    warnings = [{"code": code, "records": ids, "message": WARNING_WORDS[code](ids)} for code, ids in f.warnings]
    if f.period.missed:
        warnings.append({"code": "reregistration_missed", "records": [], "message": _missed_words(f.period)})
    return {
        "ok": True,
        "tool": "training",
        "level": f.level,
        **totals(f),
        "period_index": f.period.index,
        "today": iso(f.on),
        "period_state": state,
        "next_step": next_step and {"text": next_step["text"], "guide": next_step["guide"]},
        "records": record_words(f),
        "warnings": warnings,
        "dates": [
            dated("period_start", "登记有效期开始", f.period.start,
                  end_rule(f.period, policy) if f.period.index else "你填写的登记有效期开始日期"),
            dated("period_end", "登记有效期最后一天", f.period.end, end_rule(f.period, policy)),
        ],
        "summary": summary(f, policy, state, next_step),
        "explanation": _explanation(f, policy, state, next_step),
    }


def totals(f: Facts) -> dict[str, Any]:
    """The period and its hours, as shown: done rounded down, still to do rounded up."""
    return {"period_start": iso(f.period.start), "period_end": iso(f.period.end), "required_hours": f.required,
            "counted_hours": shown_down(f.counted), "remaining_hours": shown_up(f.remaining),
            "pending_hours": shown_down(f.pending), "met": f.met}


def record_words(f: Facts) -> list[dict[str, Any]]:
    return [{"kind": c.kind, "date": iso(c.date), "counted_hours": number_out(c.value), "status": c.status,
             "reason": _reason(c, f)} for c in f.records]


def end_rule(period: Period, policy: Policy) -> Cited:
    """What the period's end rests on: the request, or the validity in force on its start."""
    if period.end_given:
        return "你填写的登记有效期结束日期"
    return (policy.cite(registration.VALIDITY, on=period.start), CIVIL_CODE_COUNTING)


def summary(f: Facts, policy: Policy, state: dict[str, Any] | None = None, next_step: dict[str, Any] | None = None) -> str:
    """Which period this is first; the hours; what to do, last."""
    state = state or state_words(f, policy)
    next_step = next_step or _next_step(f, policy)
    shown, left, ended = shown_down(f.counted), shown_up(f.remaining), f.state == "ended"
    which = "这一期" if ended else "本登记有效期已"
    if f.met:
        text = f"{which}累计{shown}小时，达到{f.level}要求的{f.required}小时。"
    elif ended:
        text = f"{which}累计{shown}小时，比{f.level}要求的{f.required}小时少{left}小时。"
    else:
        text = f"{which}累计{shown}小时，还差{left}小时才达到{f.level}要求的{f.required}小时。"
    if f.pending > 0:
        text += f"另有{shown_down(f.pending)}小时待审核。"
    return state["text"] + text + (f"下一步：{next_step['text']}" if next_step else "")


def _explanation(f: Facts, policy: Policy, state: dict[str, Any], next_step: dict[str, Any] | None) -> list[dict[str, Any]]:
    z, start = dates.zh_date, f.period.start
    out = [
        step(f"{f.level}在每一登记有效期内接受社会工作专业继续教育的时间累计不得少于{f.required}小时。",
             policy.cite(f.required_key, on=start), f.required_key),
        step(f"本期为{z(start)}至{z(f.period.end)}。只有日期在本期内的记录计入；"
             "规定说的是“每一登记有效期内”，没有跨期结转的条文，所以不结转。"
             "前后两期交接的那一天只算一次，计入结束的那一期；首次登记当天的记录计入第一期。",
             (policy.cite(f.required_key, on=start), CIVIL_CODE_COUNTING)),
        step("参加社会工作培训并取得合格证明的，按实际培训时间计算；参加社会工作专业学历教育，取得学历或者学位的，"
             f"一次性记{f.degree_hours}小时；未取得的，按考试合格的专业课程实际授课时间计算。",
             policy.cite(DEGREE_HOURS, on=start), DEGREE_HOURS),
        step("学时按填写的数值精确相加；显示时已计入的向下、还差的向上取到0.1小时，所以显示的数字和是否达标一致。", "本站计算约定"),
        step("在系统里尚待审核的线下学习记录，审核通过后才获得学时，因此单独列为待审核。", "全国社会工作信息系统 继续教育模块"),
    ]
    if state["text"] or state["hint"]:
        # After the required hours (the first step, which the plan cites for each period).
        out.insert(1, step(state["text"] + state["hint"], end_rule(f.period, policy)))
    if next_step:
        out.append(step(next_step["text"], next_step["source"]))
    return out


def _records(r: Reader, maximum: int) -> list[dict[str, Any]]:
    records = []
    example = '{"kind": "training", "date": "2022-06-01", "hours": 30, "certified": true}'
    for _i, rr in r.objects("records", r.label("records"), "条学习记录", example, RECORD_LABELS):
        rr.reject_unknown(RECORD_FIELDS)
        if rr.obj.get("kind") != "degree" and all(rr.obj.get(k) in (None, "") for k in ("date", "hours")):
            # A row added and left empty: named once, not once per missing value.
            rr.bad("date", None, "是空的：请填写日期和学时，或删除这一条。")
            continue
        kind = rr.choice("kind", rr.label("kind"), KINDS)
        day = rr.date("date", rr.label("date"))
        hours = None
        if kind is not None and kind != "degree":
            hours = rr.hours("hours", rr.label("hours"), maximum)
        needed = FLAG.get(kind, (None,))[0]
        flags = {name: rr.boolean(name, rr.label(name), None if name == needed else True) for name, _label in FLAG.values()}
        records.append({"kind": kind, "date": day, "hours": hours, **flags,
                        "approved": rr.boolean("approved", rr.label("approved"), True)})
    return records


def _period(r: Reader, policy: Policy, on: dt.date) -> Period | None:
    """The registration period: as given, or worked out from the registration dates."""
    if r.given("period_start") and r.given("first_registered_on"):
        r.bad("first_registered_on", r.label("period_start"),
              f"和「{r.label('first_registered_on')}」只填其一：填了首次登记日期，本站会自己算出登记有效期。")
        return None
    if r.given("first_registered_on"):
        return _worked_out(r, policy, on)
    start = r.read("period_start")
    end = r.read("period_end")
    first = r.read("first_period", default=False) if r.obj.get("first_period") is not None else None
    if start is None:
        return None
    if end is None:
        # Only a period worked out here needs its length: the one in force on its start.
        validity = read_on(policy, r, registration.VALIDITY, start, "period_start", r.label("period_start"))
        if validity is None:
            return None
        return Period(start, dates.add_years(start, validity), first)
    if end < start:
        r.bad("period_end", r.label("period_end"), "不能早于开始日期。不填则按开始日期加上登记有效期计算。")
        return None
    return Period(start, end, first, end_given=True)


def _worked_out(r: Reader, policy: Policy, on: dt.date) -> Period | None:
    """The period holding ``on``, from the first registration and the re-registrations listed."""
    first = r.read("first_registered_on")
    done = r.read("reregistered_on")
    if first is None or r.errors:
        return None
    if on < first:
        r.bad("today", r.label("today"), f"不能早于{r.label('first_registered_on')}。")
        return None
    try:
        found = registration.chain(first, on, policy, done)
    except NotInForce as e:
        r.error("first_registered_on", not_in_force_message(policy, e.key, r.label("first_registered_on"), e.first_from))
        return None
    # The period holding ``on``: its start day belongs to it only for the first period.
    p = next((p for p in found.periods if on <= dt.date.fromisoformat(p["end"])), found.periods[-1])
    missed = found.missed is not None and on > dt.date.fromisoformat(p["end"])
    return Period(dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]), p["index"] == 1, p["index"],
                  missed, done is None)


def _missed_words(period: Period) -> str:
    return (f"第{period.index}次再登记的受理期已过，你填写的再登记日期中没有在受理期内的；之后的登记有效期无法推算，"
            f"以下按第{period.index}个登记有效期计算。逾期如何办理，{registration.LOCAL}。")


HOURS_GUIDE = {"title": "继续教育", "path": "registration/continuing-education.md"}


def state_words(f: Facts, policy: Policy) -> dict[str, Any]:
    """Whether the period asked about has ended, is running or is still to come on ``on``
    (``text``, said before the hours), and ``hint``: for an ended period given by its dates,
    the period ``on`` falls in when every re-registration was on time; for one worked out
    from the first registration with no re-registration listed, the question whether it was."""
    z, period, on = dates.zh_date, f.period, f.on
    span = f"{z(period.start)}至{z(period.end)}"
    if f.state == "ended":
        hint, current = "", None
        if period.index is None:
            after = registration.chain(period.end, on, policy, None).periods
            p = next(p for p in after if on <= dt.date.fromisoformat(p["end"]))
            current = {"start": p["start"], "end": p["end"]}
            start = z(dt.date.fromisoformat(p["start"]))
            hint = (f"如果之后按时再登记了，{z(on)}所在的是{start}至{z(dt.date.fromisoformat(p['end']))}这一期："
                    f"要算这一期的学时，把开始日期改为{start}。没有按时再登记的，见再登记指南。")
        return {"code": "ended", "text": f"这个登记有效期（{span}）已经结束。", "hint": hint, "current": current}
    if f.state == "not_started":
        return {"code": "not_started", "text": f"这个登记有效期（{span}）还没有开始。", "hint": "", "current": None}
    hint = ""
    if period.index is not None:
        hint = f"按首次登记日期推算，{z(on)}在第{period.index}个登记有效期（{span}）。"
        if period.assumed:
            hint += "这是假定每次都按时再登记推算的；没有按时再登记的，请填写已办理的再登记日期。"
    return {"code": "current", "text": "", "hint": hint, "current": {"start": iso(period.start), "end": iso(period.end)}}


def _next_step(f: Facts, policy: Policy) -> dict[str, Any] | None:
    """A late reader's next step: a re-registration missed, or hours short in a period that ended."""
    if f.late == "reregistration_missed":
        return registration.late_step("reregistration_missed", policy)
    if f.late:
        text, source = policy.note(f.late)
        return {"text": text, "source": source, "guide": HOURS_GUIDE}
    return None


def _inside(day: dt.date, period: Period) -> bool:
    """By 第二百零一条 a chained period counts from the day after its start: that day is the last
    of the period before.  Only the first period holds its start day (the first registration)."""
    if day == period.start:
        return period.first is not False
    return period.start < day <= period.end


def _numbers(ids: list[int]) -> str:
    return "、".join(str(i + 1) for i in ids)


WARNING_WORDS = {
    "duplicate_records": lambda ids: f"第{_numbers(ids)}条记录的类型、日期和学时完全相同，可能重复填写了；如果确是不同的学习，请忽略。",
    "start_day_record": lambda ids: (
        f"第{_numbers(ids)}条记录在本期开始那一天。如果本期接续上一期，这一天属于上一期，"
        "不计入本期；如果本期是首次登记开始的第一期，则计入本期。这里按计入本期计算：本期接续上一期的，请把这条记录从本期去掉。"),
}


def _duplicates(records: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    """Records with the same kind, date and hours: most often one record entered twice."""
    seen: dict[tuple[Any, ...], list[int]] = {}
    for i, rec in enumerate(records):
        seen.setdefault((rec["kind"], rec["date"], rec["hours"]), []).append(i)
    return [("duplicate_records", same) for same in seen.values() if len(same) > 1]


def _start_day(records: list[dict[str, Any]], period: Period) -> list[tuple[str, list[int]]]:
    """Unknown whether the period is the first: a record on its start day is counted, and flagged."""
    if period.first is not None:
        return []
    on_start = [i for i, rec in enumerate(records) if rec["date"] == period.start]
    return [("start_day_record", on_start)] if on_start else []


def _worth(rec: dict[str, Any], degree_hours: int) -> tuple[Decimal, str]:
    """What one record is worth inside the period, and why (a code of _reason's)."""
    kind = rec["kind"]
    if kind == "degree":
        return (Decimal(degree_hours), "degree") if rec["awarded"] else (Decimal(0), "degree_not_awarded")
    hours = rec["hours"]
    if kind == "training":
        return (hours, "training") if rec["certified"] else (Decimal(0), "training_uncertified")
    if kind == "online":
        return hours, "online"
    return (hours, "course") if rec["passed"] else (Decimal(0), "course_failed")


def _reason(c: Counted, f: Facts) -> str:
    """Why a record counts as it does, in words."""
    z, hours = dates.zh_date, number_out(c.worth)
    if c.status == "pending":
        return f"尚待审核，审核通过后可计{hours}小时，暂不计入。"
    return {
        "degree": lambda: f"取得学历或学位，一次性记{f.degree_hours}小时。",
        "degree_not_awarded": lambda: "未取得学历或学位的，不按学历计；请把考试合格的专业课程逐门填为“学历教育课程”，按实际授课时间计算。",
        "degree_again": lambda: f"学历或学位已在第{(c.degree_at or 0) + 1}条记录一次性计入，再填的学历教育不再计入。",
        "training": lambda: f"社会工作培训已取得合格证明，按实际培训时间计{hours}小时。",
        "training_uncertified": lambda: "社会工作培训需取得合格证明才计入；没有合格证明的不计。",
        "online": lambda: f"线上学习按实际学习时间计{hours}小时。",
        "course": lambda: f"专业课程考试合格，按实际授课时间计{hours}小时。",
        "course_failed": lambda: "专业课程考试未合格，不计入。",
        "previous_period": lambda: f"日期{z(c.date)}是上一期的最后一天，计入上一期，不计入本期。",
        "outside": lambda: f"日期{z(c.date)}不在本登记有效期（{z(f.period.start)}至{z(f.period.end)}）内，不计入本期。",
    }[c.why]()
