"""Continuing-education hours: 《社会工作者继续教育办法》(民发〔2009〕123号).

第七条 sets the hours per registration period by level.  How hours count:
training with a certificate of completion counts its actual hours; online learning in
the system counts its recorded hours; a social-work degree obtained counts a fixed 90
hours at once; without the degree, the actual class hours of passed courses count.

Only records dated inside the period count ("每一登记有效期内"): no text allows carrying
hours over, so none are carried.  A record still waiting for review in the system is
not counted yet and is reported as pending.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import dates
from .explain import CIVIL_CODE_COUNTING, dated, iso, not_in_force_message, step
from .inputs import Reader, number_out
from .policy import NotInForce, Policy

KINDS = ("training", "online", "course", "degree")
KIND_ZH = {"training": "社会工作培训", "online": "线上学习", "course": "学历教育课程", "degree": "学历教育(取得学历或学位)"}
MAX_HOURS = "training.max_record_hours"
DEGREE_HOURS = "training.degree_hours"
VALIDITY = "registration.validity_years"


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    level = r.level()
    start = r.date("period_start", "登记有效期开始日期")
    end = r.date("period_end", "登记有效期结束日期", required=False)
    raw_records = r.list("records", "学习记录")
    maximum = policy.value(MAX_HOURS)

    records = []
    for i, raw in enumerate(raw_records):
        if not isinstance(raw, dict):
            r.error(f"records[{i}]", f"第{i + 1}条学习记录应为对象,例如 {{\"kind\": \"training\", \"date\": \"2022-06-01\", \"hours\": 30}}。")
            continue
        rr = Reader(raw, r.errors, prefix=f"records[{i}].")
        n = f"第{i + 1}条记录的"
        kind = rr.choice("kind", n + "类型", KINDS)
        day = rr.date("date", n + "日期")
        hours = None
        if kind is not None and kind != "degree":
            hours = rr.hours("hours", n + "学时", maximum)
        records.append({
            "kind": kind,
            "date": day,
            "hours": hours,
            "certified": rr.boolean("certified", n + "是否取得合格证明", True),
            "passed": rr.boolean("passed", n + "课程是否考试合格", True),
            "awarded": rr.boolean("awarded", n + "是否取得学历或学位", True),
            "approved": rr.boolean("approved", n + "是否已审核通过", True),
        })
    r.raise_if_errors()
    assert level is not None and start is not None

    validity = policy.value(VALIDITY)
    end_rule = "你填写的登记有效期结束日期"
    if end is None:
        end = dates.add_years(start, validity)
        end_rule = f"{policy.cite(VALIDITY)};{CIVIL_CODE_COUNTING}"
    elif end < start:
        r.error("period_end", f"「登记有效期结束日期」不能早于开始日期。不填则按开始日期加{validity}年计算。")
    required_key = f"training.required_hours.{level}"
    try:
        required = policy.value(required_key, on=start)
        degree_hours = policy.value(DEGREE_HOURS, on=start)
    except NotInForce as e:
        r.error("period_start", not_in_force_message(policy, e.key, "登记有效期开始日期", e.first_from))
    r.raise_if_errors()

    counted = Decimal(0)
    pending = Decimal(0)
    out_records = []
    for rec in records:
        value, reason = _worth(rec, degree_hours)
        status = "counted" if value > 0 else "not_counted"
        if not start <= rec["date"] <= end:
            status, value = "outside", Decimal(0)
            reason = f"日期{dates.zh_date(rec['date'])}不在本登记有效期({dates.zh_date(start)}至{dates.zh_date(end)})内,不计入本期。"
        elif not rec["approved"] and value > 0:
            pending += value
            status, reason = "pending", f"尚待审核,审核通过后可计{number_out(value)}小时,暂不计入。"
            value = Decimal(0)
        counted += value
        out_records.append({
            "kind": rec["kind"],
            "date": iso(rec["date"]),
            "counted_hours": number_out(value),
            "status": status,
            "reason": reason,
        })

    remaining = max(Decimal(required) - counted, Decimal(0))
    met = counted >= required
    summary = (
        f"本登记有效期已累计{number_out(counted)}小时,达到{level}要求的{required}小时。"
        if met
        else f"本登记有效期已累计{number_out(counted)}小时,还差{number_out(remaining)}小时才达到{level}要求的{required}小时。"
    )
    if pending > 0:
        summary += f"另有{number_out(pending)}小时待审核。"
    explanation = [
        step(
            f"{level}在每一登记有效期({validity}年)内接受社会工作专业继续教育的时间累计不得少于{required}小时。",
            policy.cite(required_key),
            required_key,
        ),
        step(
            f"本期为{dates.zh_date(start)}至{dates.zh_date(end)}。只有日期在本期内的记录计入;"
            "规定说的是“每一登记有效期内”,没有跨期结转的条文,所以不结转。",
            f"{policy.cite(required_key)};{CIVIL_CODE_COUNTING}",
        ),
        step(
            "参加社会工作培训并取得合格证明的,按实际培训时间计算;参加社会工作专业学历教育,取得学历或者学位的,"
            f"一次性记{degree_hours}小时;未取得的,按考试合格的专业课程实际授课时间计算。",
            policy.cite(DEGREE_HOURS),
            DEGREE_HOURS,
        ),
        step("在系统里尚待审核的线下学习记录,审核通过后才获得学时,因此单独列为待审核。", "全国社会工作信息系统 继续教育模块"),
    ]
    return {
        "ok": True,
        "tool": "training",
        "level": level,
        "period_start": iso(start),
        "period_end": iso(end),
        "required_hours": required,
        "counted_hours": number_out(counted),
        "remaining_hours": number_out(remaining),
        "pending_hours": number_out(pending),
        "met": met,
        "records": out_records,
        "dates": [
            dated("period_start", "登记有效期开始", start, "你填写的登记有效期开始日期"),
            dated("period_end", "登记有效期最后一天", end, end_rule),
        ],
        "summary": summary,
        "explanation": explanation,
    }


def _worth(rec: dict[str, Any], degree_hours: int) -> tuple[Decimal, str]:
    """What one record is worth inside the period, and why."""
    kind = rec["kind"]
    if kind == "degree":
        if rec["awarded"]:
            return Decimal(degree_hours), f"取得学历或学位,一次性记{degree_hours}小时。"
        return Decimal(0), "未取得学历或学位的,不按学历计;请把考试合格的专业课程逐门填为“学历教育课程”,按实际授课时间计算。"
    hours = rec["hours"]
    if kind == "training":
        if rec["certified"]:
            return hours, f"社会工作培训已取得合格证明,按实际培训时间计{number_out(hours)}小时。"
        return Decimal(0), "社会工作培训需取得合格证明才计入;没有合格证明的不计。"
    if kind == "online":
        return hours, f"线上学习按实际学习时间计{number_out(hours)}小时。"
    if rec["passed"]:
        return hours, f"专业课程考试合格,按实际授课时间计{number_out(hours)}小时。"
    return Decimal(0), "专业课程考试未合格,不计入。"
