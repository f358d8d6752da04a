"""Certificate timing: when the electronic and paper certificates can be had.

Electronic certificates since 2021-12-17 (人社厅发〔2021〕97号), which must be annotated
(加注) before use; 中国人事考试网's help text says an annotation is done within 24 hours
and lasts at most 90 days.  Paper certificates come "about 2–3 months" after the results,
on dates each locality announces: an estimate, never a deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import dates
from .explain import CIVIL_CODE_COUNTING, dated, iso, not_in_force_message, step
from .inputs import Reader
from .policy import NotInForce, Policy

E_SINCE = "certificate.electronic_since"
ANNOTATION_HOURS = "certificate.annotation_hours"
ANNOTATION_DAYS = "certificate.annotation_max_days"
ANNOTATION_COUNT = "certificate.annotation_max_valid"
PAPER_MIN = "certificate.paper_months_min"
PAPER_MAX = "certificate.paper_months_max"


def _zh_moment(moment: dt.datetime) -> str:
    return f"{dates.zh_date(moment.date())}{moment.hour:02d}:{moment.minute:02d}"


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    results = r.date("results_published_on", "成绩发布日期")
    requested = r.datetime("annotation_requested_at", "提交加注申请的时间", required=False)
    r.raise_if_errors()
    assert results is not None
    if requested is not None and requested.date() < results:
        r.error("annotation_requested_at", "「提交加注申请的时间」不能早于成绩发布日期:成绩发布后才能下载和加注证书。")
    if requested is not None:
        try:
            policy.value(ANNOTATION_HOURS, on=requested.date())
        except NotInForce as e:
            r.error("annotation_requested_at", not_in_force_message(policy, e.key, "提交加注申请的时间", e.first_from))
    r.raise_if_errors()

    since = dt.date.fromisoformat(policy.value(E_SINCE))
    electronic = results >= since
    paper_from = dates.add_months(results, policy.value(PAPER_MIN))
    paper_to = dates.add_months(results, policy.value(PAPER_MAX))
    z = dates.zh_date
    explanation = [
        step(
            f"{z(since)}起推行电子证书,纸质证书和电子证书具有同等法律效力。"
            + ("成绩发布在此之后,可以在中国人事考试网下载电子证书(需先加注)。" if electronic
               else "你的成绩发布在此之前,是否有电子证书以中国人事考试网[证书查验]查询结果为准。"),
            policy.cite(E_SINCE),
            E_SINCE,
        ),
        step(
            f"纸质证书一般在成绩发布后{policy.value(PAPER_MIN)}-{policy.value(PAPER_MAX)}个月左右由各地发布领取通知,"
            f"据此估计为{z(paper_from)}至{z(paper_to)}之间;这只是估计,以当地人事考试部门的公告为准。",
            f"{policy.cite(PAPER_MIN)};{CIVIL_CODE_COUNTING}",
            PAPER_MIN,
        ),
    ]
    date_list = [
        dated("paper_expected.from", "纸质证书预计最早领取", paper_from, policy.cite(PAPER_MIN)),
        dated("paper_expected.to", "纸质证书预计最晚领取", paper_to, policy.cite(PAPER_MAX)),
    ]
    ready_by = valid_until = None
    if requested is not None:
        hours = policy.value(ANNOTATION_HOURS, on=requested.date())
        days = policy.value(ANNOTATION_DAYS, on=requested.date())
        ready_by = requested + dt.timedelta(hours=hours)
        valid_until = ready_by + dt.timedelta(days=days)
        explanation.append(step(
            f"加注申请提交后,系统在{hours}小时内完成加注,最晚{_zh_moment(ready_by)}可以查看、下载电子证书。",
            policy.cite(ANNOTATION_HOURS),
            ANNOTATION_HOURS,
        ))
        explanation.append(step(
            f"一次加注的有效期最长{days}天(如无特别需要,建议按上限申请);按最晚完成时间估算,最长可用到"
            f"{_zh_moment(valid_until)}左右,实际到期时间以证书页面显示为准。到期后需重新加注;"
            f"同一证书{days}天内最多有{policy.value(ANNOTATION_COUNT)}次有效加注。",
            policy.cite(ANNOTATION_DAYS),
            ANNOTATION_DAYS,
        ))
        date_list.append(dated("annotation_ready_by", "加注最晚完成", ready_by, policy.cite(ANNOTATION_HOURS)))
        date_list.append(dated("annotation_valid_until_max", "加注有效期最晚到(估算)", valid_until, policy.cite(ANNOTATION_DAYS)))

    summary = (
        f"电子证书:成绩发布后可在中国人事考试网下载,使用前需加注;纸质证书预计{z(paper_from)}至{z(paper_to)}之间发放,以当地通知为准。"
        if electronic
        else f"纸质证书预计{z(paper_from)}至{z(paper_to)}之间发放,以当地通知为准;电子证书情况以中国人事考试网查询结果为准。"
    )
    return {
        "ok": True,
        "tool": "certificate",
        "results_published_on": iso(results),
        "electronic_available": electronic,
        "electronic_since": iso(since),
        "paper_expected": {"from": iso(paper_from), "to": iso(paper_to)},
        "annotation_requested_at": iso(requested),
        "annotation_ready_by": iso(ready_by),
        "annotation_valid_until_max": iso(valid_until),
        "dates": date_list,
        "summary": summary,
        "explanation": explanation,
    }
