"""Title equivalence in Tianjin: 《关于进一步做好职业资格和职业技能等级与职称衔接对应工作的通知》.

The routes are data (``policy.json`` → ``titles.routes``), quoted from the notice as the
source article gives it; this module only dates them.  "满N年" is dated like every other
period here: the route opens on the corresponding day N years after ``since``
(《民法典》第二百零二条), and never before the notice took effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import dates
from .explain import CIVIL_CODE_COUNTING, iso, not_in_force_message, step
from .inputs import Reader
from .policy import NotInForce, Policy

EFFECTIVE = "title.tianjin_effective"
ROUTE_ZH = {
    "direct": "直接对应/认定",
    "appoint": "单位自主聘任",
    "apply": "可申报评审",
    "evaluate": "可申报职业技能评价",
}


def from_options(policy: Policy) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for route in policy.titles["routes"]:
        seen.setdefault(route["from"], None)
    return tuple(seen)


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    start = r.choice("from", "现有证书、技能等级或职称", from_options(policy))
    since = r.date("since", "取得日期", required=False)
    today = r.date("today", "今天的日期", required=False) or today
    series = r.obj.get("series")
    if series is not None and (not isinstance(series, str) or len(series) > 30):
        r.error("series", "「职称系列」应为系列名称,例如 工程技术;不属于这些系列可以不填。")
        series = None
    series = series.strip() or None if isinstance(series, str) else None
    r.raise_if_errors()
    assert start is not None

    try:
        effective = dt.date.fromisoformat(policy.value(EFFECTIVE, on=today))
    except NotInForce as e:
        r.error("today", not_in_force_message(policy, e.key, "计算日期", e.first_from))
        r.raise_if_errors()
        raise  # pragma: no cover - raise_if_errors always raises here
    if since is not None and since > today:
        r.error("since", "「取得日期」不能晚于今天:还没取得的证书或职称无法计算年限。")
    r.raise_if_errors()

    doc = policy.titles["document"]
    skill_series = policy.titles["skill_series"]
    series_text = "、".join(skill_series)
    outcomes = []
    waiting = []  # outcomes that only wait for the years to pass
    explanation = [step(
        f"以下为天津市的规定,自{dates.zh_date(effective)}起施行;其他省市以当地规定为准。",
        policy.cite(EFFECTIVE),
        EFFECTIVE,
    )]
    for route in policy.titles["routes"]:
        if route["from"] != start:
            continue
        cite = policy.cite_document(doc, route["article"])
        eligible: bool | None = True
        eligible_from = None
        condition = route["text"]
        if route["years"] is not None:
            if since is None:
                eligible = None
                condition += f"。填写取得{start}的日期,即可算出满{route['years']}年的日期。"
            else:
                eligible_from = max(dates.add_years(since, route["years"]), effective)
                eligible = today >= eligible_from
                condition += f"。按取得日期{dates.zh_date(since)}计算,满{route['years']}年之日为{dates.zh_date(eligible_from)}"
                if eligible_from == effective:
                    condition += "(不早于本通知施行之日)"
                condition += "。"
        series_ok = True
        if route.get("series_only"):
            if series is not None and series not in skill_series:
                eligible, series_ok = False, False
                condition += f"这条路径只适用于{series_text}等{len(skill_series)}个系列,{series}不在其中。"
            else:
                condition += f"只适用于{series_text}等{len(skill_series)}个系列。"
        if series_ok and eligible is False:
            waiting.append(len(outcomes))
        outcomes.append({
            "target": route["target"],
            "route": route["route"],
            "route_text": ROUTE_ZH[route["route"]],
            "eligible": eligible,
            "eligible_from": iso(eligible_from),
            "condition": condition,
            "source": cite,
        })
        explanation.append(step(route["text"], f"{cite};{CIVIL_CODE_COUNTING}" if route["years"] else cite))

    summary = _summary(start, outcomes, [outcomes[i] for i in waiting])
    return {
        "ok": True,
        "tool": "title",
        "from": start,
        "since": iso(since),
        "today": iso(today),
        "series": series,
        "region": "天津市",
        "outcomes": outcomes,
        "summary": summary,
        "explanation": explanation,
    }


def _summary(start: str, outcomes: list[dict[str, Any]], later: list[dict[str, Any]]) -> str:
    open_now = [o for o in outcomes if o["eligible"] is True]
    if open_now:
        parts = [f"{o['target']}({o['route_text']})" for o in open_now]
        return f"在天津,持{start}目前可走:{'、'.join(parts)}。"
    if later:
        first = min(later, key=lambda o: o["eligible_from"])
        return f"在天津,持{start}将从{dates.zh_date(dt.date.fromisoformat(first['eligible_from']))}起可{first['route_text']}:{first['target']}。"
    if any(o["eligible"] is None for o in outcomes):
        return f"在天津,持{start}需满足年限要求;填写取得日期即可算出何时符合条件。"
    return f"按你填写的情况,持{start}暂不符合天津这份通知中的对应条件,详见下面的说明。"
