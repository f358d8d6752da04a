"""Certificate timing: when the electronic and paper certificates can be had.

Electronic certificates since 2021-12-17 (人社厅发〔2021〕97号), which must be annotated
(加注) before use; 中国人事考试网's help text (reposted, not checked against the site)
says an annotation is done within 24 hours, lasts at most 90 days, and that one
certificate has at most 3 valid annotations within 90 days.  Paper certificates come
"about 2–3 months" after the results, on dates each locality announces: an estimate,
never a deadline.

Each question stands alone: the paper window needs only the results date, the
annotation times only the moment the annotation was requested.  Times are Beijing time.
``facts`` works out both (``Paper``, ``Annotation``); ``words`` says them, and the
calendar file is made from the facts.

Which date each value is read on (README, 哪一天的规定): the annotation rules on the day the
annotation is requested (earlier annotations are counted under the same rules, as the
count is made then); the paper estimate and the electronic-certificate date on the
results date, when the certificate is issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import dates, ics
from .explain import CIVIL_CODE_COUNTING, dated, iso, read_on, step
from .inputs import Reader
from .policy import NotInForce, Policy
from .questions import Field, Questions

E_SINCE = "certificate.electronic_since"
ANNOTATION_HOURS = "certificate.annotation_hours"
ANNOTATION_DAYS = "certificate.annotation_max_days"
ANNOTATION_COUNT = "certificate.annotation_max_valid"
COUNT_WINDOW = "certificate.annotation_count_window_days"
PAPER_MIN = "certificate.paper_months_min"
CALENDAR_FILE = "社工证领取提醒.ics"
PAPER_MAX = "certificate.paper_months_max"
ANNOTATION_RULES = (ANNOTATION_HOURS, ANNOTATION_DAYS, ANNOTATION_COUNT, COUNT_WINDOW)
TIME_ZONE = "北京时间（UTC+8）"
LOCAL = "以当地人事考试部门的公告为准"
# Said once beside the paper estimate.
LOCAL_NOTICE = f"纸质证书的发放时间是估计，{LOCAL}。"

_DAYS_NOTE = "At most certificate.annotation_max_days in policy.json."
EARLIER_SCHEMA = {
    "type": "object",
    "required": ["requested_at"],
    "properties": {
        "requested_at": {"$ref": "#/$defs/datetime"},
        "valid_days": {"type": "integer", "minimum": 1, "description": _DAYS_NOTE},
    },
    "additionalProperties": False,
}
EARLIER_FIELDS = tuple(EARLIER_SCHEMA["properties"])

QUESTIONS = Questions(
    tool="certificate",
    title="证书领取时间",
    summary="证书领取时间：电子证书、加注和纸质证书",
    fields=(
        Field("results_published_on", "date", "成绩发布的日期",
              hint="在中国人事考试网查到成绩的那一天（以成绩发布公告为准）。"),
        Field("annotation_requested_at", "datetime", "提交加注申请的时间",
              hint="在中国人事考试网为电子证书申请加注的日期和时间（北京时间）；还没有申请就留空。"),
        Field("annotation_valid_days", "integer", "这次加注选择的有效期（天）", form=False,
              hint="默认并且最多为{{ pu:certificate.annotation_max_days }}。", description=_DAYS_NOTE),
        Field("earlier_annotations", "annotations", "之前的一次加注", form=False, flag="--earlier-annotation",
              schema={"items": EARLIER_SCHEMA},
              hint="可重复：申请时间[，有效期天数]，例如 2026-01-05T10:30,30。"),
    ),
    examples=(
        ("已申请加注", {"results_published_on": "2025-12-20", "annotation_requested_at": "2026-01-05T10:30"}),
        ("刚查到成绩", {"results_published_on": "2025-12-20"}),
    ),
    any_of=("results_published_on", "annotation_requested_at"),
)


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    """The answer and its calendar file."""
    f = facts(request, policy, today)
    return words(f, policy) | {"calendar": ics.attachment(calendar_events(f, today), today, "社工证领取提醒", CALENDAR_FILE)}


# --- facts: dates, numbers and codes ---------------------------------------------------


@dataclass
class Paper:
    """The paper certificate's estimate from the results date: an estimate, never a deadline."""

    results: dt.date
    electronic: bool  # the results came after electronic certificates began
    months_min: int
    months_max: int
    expected_from: dt.date
    expected_to: dt.date


@dataclass
class Facts:
    """What the certificate rules make of the request, with no words."""

    since_rule: dict[str, Any]  # the electronic-certificate entry in force (its value, document and article)
    paper: Paper | None  # when the results date is given
    annotation: "Annotation | None"  # when the annotation's request time is given

    @property
    def since(self) -> dt.date:
        return dt.date.fromisoformat(self.since_rule["value"])


def facts(request: dict[str, Any], policy: Policy, today: dt.date) -> Facts:
    """The request read and checked, and the paper estimate and annotation times it asks for."""
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    results, requested = r.read("results_published_on"), r.read("annotation_requested_at")
    max_days = _max_days(policy, requested.date() if requested else None)
    days = r.read("annotation_valid_days", highest=max_days)
    earlier = _earlier(r, max_days)
    r.raise_if_errors()
    _check(r, policy, results, requested, days, earlier)
    since_rule = _since(policy, results or requested.date())  # type: ignore[union-attr]
    return Facts(since_rule, _paper(results, since_rule, policy) if results is not None else None,
                 _annotation_facts(requested, days, earlier, policy) if requested is not None else None)


def _paper(results: dt.date, since_rule: dict[str, Any], policy: Policy) -> Paper:
    months_min, months_max = policy.value(PAPER_MIN, on=results), policy.value(PAPER_MAX, on=results)
    return Paper(results, results >= dt.date.fromisoformat(since_rule["value"]), months_min, months_max,
                 dates.add_months(results, months_min), dates.add_months(results, months_max))


def _check(r: Reader, policy: Policy, results: dt.date | None, requested: dt.datetime | None, days: int | None,
           earlier: list[tuple[dt.datetime, int]]) -> None:
    """What the values given must be to one another, and the rules in force when asked."""
    said, asked = r.label("results_published_on"), r.label("annotation_requested_at")
    if results is None and requested is None:
        r.error("results_published_on", f"请至少填写「{said}」（估算纸质证书）或「{asked}」（估算加注）其中一项。")
    if requested is not None and results is not None and requested.date() < results:
        r.bad("annotation_requested_at", asked, f"不能早于「{said}」：成绩发布后才能下载和加注证书。")
    if requested is None and (earlier or days is not None):
        r.error("annotation_requested_at", f"填写了加注有效期或之前的加注，也请填写本次「{asked}」。")
    for i, (at, _days) in enumerate(earlier):
        if requested is not None and at >= requested:
            r.error(f"earlier_annotations[{i}].requested_at", f"第{i + 1}次之前的加注应早于本次「{asked}」。")
    if requested is not None:
        for key in ANNOTATION_RULES:
            if read_on(policy, r, key, requested.date(), "annotation_requested_at", asked) is None:
                break
    r.raise_if_errors()


def calendar_events(f: Facts, today: dt.date) -> list[ics.Event]:
    """The paper certificate's estimated weeks (their first and last days) and the earliest
    day to annotate again, those not yet gone."""
    out = []
    p = f.paper
    if p and p.expected_to >= today:
        # An estimate, not a deadline: one reminder, on the day it may begin.
        out += ics.window(ics.uid("paper", iso(p.results)), "纸质证书预计发放期（估计）", p.expected_from, p.expected_to,
                          f"{_estimate_words(p)}这只是估计，{LOCAL}。", (p.expected_from,), today,
                          "纸质证书预计开始发放（估计）", "纸质证书预计发放期最后一天（估计）")
    a = f.annotation
    if a and a.possible is None and a.again_on >= today:
        out.append(ics.Event(ics.uid("annotation", iso(a.requested)), "电子证书加注可能到期，需要重新加注",
                             a.again_on, "按最早的可能估算（北京时间）；实际到期时间以中国人事考试网证书页面显示为准。",
                             ics.before(a.again_on, (7, 1), today)))
    return out


def _max_days(policy: Policy, on: dt.date | None) -> int:
    """The longest annotation allowed on ``on``, to check the days asked for.  Without a
    request time, or before the rules began (both refused with their own message), the newest."""
    try:
        return policy.value(ANNOTATION_DAYS, on=on)
    except NotInForce:
        return policy.value(ANNOTATION_DAYS)


def _since(policy: Policy, day: dt.date) -> dict[str, Any]:
    """The rule on electronic certificates in force on ``day``; before it began, that first
    rule, which says from when they are issued."""
    try:
        return policy.entry(E_SINCE, on=day)
    except NotInForce:
        return policy.entries(E_SINCE)[0]


def _earlier(r: Reader, max_days: int) -> list[tuple[dt.datetime, int]]:
    """Earlier annotations of the same certificate: when each was requested, and for how many days."""
    out = []
    labels = {"requested_at": "申请时间", "valid_days": "有效期（天）"}
    for _i, rr in r.objects("earlier_annotations", r.label("earlier_annotations"), "次之前的加注",
                            '{"requested_at": "2026-01-05T10:30"}', labels):
        rr.reject_unknown(EARLIER_FIELDS)
        at = rr.datetime("requested_at", rr.label("requested_at"))
        days = rr.integer("valid_days", rr.label("valid_days"), 1, max_days)
        if at is not None:
            out.append((at, days or max_days))
    return out


def _counted(earlier: list[tuple[dt.datetime, int]], at: dt.datetime, hours: int, window_days: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Earlier annotations that still count at ``at``: requested in the window before it and
    not yet expired (taking the latest expiry the 24-hour completion allows).  Each comes
    with the moment it stops counting."""
    window = dt.timedelta(days=window_days)
    out = []
    for requested, days in earlier:
        expires = requested + dt.timedelta(hours=hours) + dt.timedelta(days=days)
        if requested > at - window and expires > at:
            out.append((requested, min(expires, requested + window)))
    return out


@dataclass
class Annotation:
    """This annotation's facts: the rules in force when it was requested, and its times."""

    requested: dt.datetime
    days: int  # the validity asked for (the longest allowed when not given)
    hours: int  # completed within
    max_days: int
    max_valid: int  # valid annotations allowed within window_days
    window_days: int
    counted: int  # earlier annotations still counting when this one was requested
    possible: dt.datetime | None  # at the limit: the earliest a new one can be requested
    earlier_given: bool

    @property
    def ready_by(self) -> dt.datetime:
        return self.requested + dt.timedelta(hours=self.hours)

    @property
    def until_min(self) -> dt.datetime:
        return self.requested + dt.timedelta(days=self.days)

    @property
    def until_max(self) -> dt.datetime:
        return self.ready_by + dt.timedelta(days=self.days)

    @property
    def again_on(self) -> dt.date:
        """The earliest day it may have to be annotated again."""
        return self.until_min.date()


def _annotation_facts(requested: dt.datetime, days: int | None, earlier: list[tuple[dt.datetime, int]],
                      policy: Policy) -> Annotation:
    on = requested.date()
    hours, max_days = policy.value(ANNOTATION_HOURS, on=on), policy.value(ANNOTATION_DAYS, on=on)
    max_valid, window_days = policy.value(ANNOTATION_COUNT, on=on), policy.value(COUNT_WINDOW, on=on)
    counted = _counted(earlier, requested, hours, window_days)
    # At the limit, a new annotation waits until the first of the counted ones stops counting.
    possible = min(stop for _at, stop in counted) if len(counted) >= max_valid else None
    return Annotation(requested, days or max_days, hours, max_days, max_valid, window_days, len(counted), possible,
                      bool(earlier))


# --- words: the response ---------------------------------------------------------------


class Words(NamedTuple):
    """One part of the answer said: its steps, its dates and its sentence of the summary."""

    steps: list[dict[str, Any]]
    dates: list[dict[str, str]]
    summary: str


def words(f: Facts, policy: Policy) -> dict[str, Any]:
    """The response: the facts, each part said and cited, the paper certificate first."""
    parts = ([paper_words(f.paper, f.since_rule, policy)] if f.paper else []) + (
        [_annotation_words(f.annotation, policy)] if f.annotation else [])
    return {
        "ok": True,
        "tool": "certificate",
        "time_zone": TIME_ZONE,
        "results_published_on": iso(f.paper.results) if f.paper else None,
        **paper_fields(f),
        **_annotation_fields(f.annotation),
        "dates": [d for part in parts for d in part.dates],
        "summary": "".join(part.summary for part in parts),
        "explanation": [s for part in parts for s in part.steps],
        "local_notice": LOCAL_NOTICE if f.paper else None,
    }


def paper_fields(f: Facts) -> dict[str, Any]:
    """The electronic and paper certificates' fields (the plan shows them too)."""
    p = f.paper
    return {
        "electronic_available": p.electronic if p else None,
        "electronic_since": iso(f.since),
        "paper_expected": {"from": iso(p.expected_from), "to": iso(p.expected_to)} if p else None,
    }


def _annotation_fields(a: Annotation | None) -> dict[str, Any]:
    fields: dict[str, Any] = dict.fromkeys((
        "annotation_requested_at", "annotation_valid_days", "annotation_ready_by", "annotation_valid_until_min",
        "annotation_valid_until_max", "annotate_again_on", "annotation_limit"))
    if a is None:
        return fields
    fields |= {"annotation_requested_at": iso(a.requested), "annotation_valid_days": a.days, "annotation_limit": {
        "counted_earlier": a.counted, "max_valid": a.max_valid, "window_days": a.window_days,
        "reached": a.possible is not None, "possible_from": iso(a.possible)}}
    if a.possible is None:
        fields |= {"annotation_ready_by": iso(a.ready_by), "annotation_valid_until_min": iso(a.until_min),
                   "annotation_valid_until_max": iso(a.until_max), "annotate_again_on": iso(a.again_on)}
    return fields


def _zh_moment(moment: dt.datetime) -> str:
    return f"{dates.zh_date(moment.date())}{moment.hour:02d}:{moment.minute:02d}"


def _estimate_words(p: Paper) -> str:
    z = dates.zh_date
    return (f"纸质证书一般在成绩发布后{p.months_min}至{p.months_max}个月左右由各地发布领取通知，"
            f"据此估计为{z(p.expected_from)}至{z(p.expected_to)}之间；这是通常情况，不是期限，{LOCAL}。")


def paper_words(p: Paper, since_rule: dict[str, Any], policy: Policy) -> Words:
    """The electronic and paper certificates' steps, dates and summary (the plan shows the steps and dates)."""
    z, results = dates.zh_date, p.results
    since = dt.date.fromisoformat(since_rule["value"])
    steps = [
        step(f"{z(since)}起推行电子证书，纸质证书和电子证书具有同等法律效力。"
             + ("成绩发布在此之后，可以在中国人事考试网下载电子证书（需先加注）。" if p.electronic
                else "你的成绩发布在此之前，是否有电子证书以中国人事考试网[证书查验]查询结果为准。"),
             policy.cite_document(since_rule["document"], since_rule["article"]), E_SINCE),
        step(_estimate_words(p), (policy.cite(PAPER_MIN, on=results), CIVIL_CODE_COUNTING), PAPER_MIN),
    ]
    date_list = [dated("paper_expected.from", "纸质证书预计最早领取", p.expected_from, policy.cite(PAPER_MIN, on=results)),
                 dated("paper_expected.to", "纸质证书预计最晚领取", p.expected_to, policy.cite(PAPER_MAX, on=results))]
    span = f"{z(p.expected_from)}至{z(p.expected_to)}之间"
    if p.electronic:
        return Words(steps, date_list, f"电子证书：成绩发布后可在中国人事考试网下载，使用前需加注；纸质证书预计{span}发放，以当地通知为准。")
    return Words(steps, date_list, f"纸质证书预计{span}发放，以当地通知为准；电子证书情况以中国人事考试网查询结果为准。")


def _annotation_words(a: Annotation, policy: Policy) -> Words:
    on, z = a.requested.date(), dates.zh_date
    steps = [step(f"本工具的时间都是{TIME_ZONE}；在其他时区，请先换算成北京时间再填写。", "本站输入约定")]
    # The count and its window are two values: each cites its own source (once when the same).
    cite_count = (policy.cite(ANNOTATION_COUNT, on=on), policy.cite(COUNT_WINDOW, on=on))
    if a.possible is not None:
        steps.append(step(
            f"同一证书{a.window_days}天内最多有{a.max_valid}次有效加注。你填写的之前的加注中，有{a.counted}次在"
            f"{_zh_moment(a.requested)}仍然有效，所以这次申请可能不被受理；最早在{_zh_moment(a.possible)}之后可以再申请"
            "（按加注最晚完成、有效期用满估算，以证书页面显示为准）。", cite_count, ANNOTATION_COUNT))
        return Words(steps, [], f"这次加注可能不被受理：{a.window_days}天内已有{a.counted}次有效加注，"
                                f"最早在{_zh_moment(a.possible)}之后可以再申请。")
    steps.append(step(
        f"加注申请提交后，系统在{a.hours}小时内完成加注，最晚{_zh_moment(a.ready_by)}可以查看、下载电子证书。",
        policy.cite(ANNOTATION_HOURS, on=on), ANNOTATION_HOURS))
    steps.append(step(
        f"一次加注的有效期最长{a.max_days}天（如无特别需要，建议按上限申请），这次按{a.days}天计。到期时间取决于加注完成的时间，"
        f"在{_zh_moment(a.until_min)}至{_zh_moment(a.until_max)}之间，以证书页面显示为准；到期后需要重新加注，"
        f"按最早的可能，{z(a.again_on)}就需要重新加注。", policy.cite(ANNOTATION_DAYS, on=on), ANNOTATION_DAYS))
    steps.append(step(
        f"同一证书{a.window_days}天内最多有{a.max_valid}次有效加注；" + (
            f"你填写的之前的加注中，有{a.counted}次在这次申请时仍然有效，加上这次不超过{a.max_valid}次。" if a.earlier_given
            else "没有填写之前的加注，本站无法核对次数。"), cite_count, ANNOTATION_COUNT))
    date_list = [
        dated("annotation_ready_by", "加注最晚完成", a.ready_by, policy.cite(ANNOTATION_HOURS, on=on)),
        dated("annotate_again_on", "需要重新加注（最早）", a.again_on, policy.cite(ANNOTATION_DAYS, on=on)),
        dated("annotation_valid_until_max", "加注有效期最晚到（估算）", a.until_max, policy.cite(ANNOTATION_DAYS, on=on)),
    ]
    return Words(steps, date_list, f"加注最晚{_zh_moment(a.ready_by)}完成；{z(a.again_on)}起可能需要重新加注（时间为北京时间）。")
