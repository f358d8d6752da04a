"""Title equivalence in Tianjin: 《关于进一步做好职业资格和职业技能等级与职称衔接对应工作的通知》.

The routes are data (``policy.json`` → ``titles.routes``), quoted from the notice as the
source article gives it, and dated like every value: the routes and the notice's
effective date are those in force on the day asked about (``today``).  This module only
dates them.  "满N年" is dated like every other
period here: the route opens on the corresponding day N years after ``since``
(《民法典》第二百零二条), and never before the notice took effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import dates
from .explain import CIVIL_CODE_COUNTING, iso, not_in_force_message, step
from .inputs import Reader, normalize
from .policy import ROUTES, NotInForce, Policy
from .questions import Field, Questions

EFFECTIVE = "title.tianjin_effective"
# What each route lets the holder do, as a verb phrase: the summary puts it before the target.
ROUTE_ZH = {
    "direct": "直接对应",
    "appoint": "可由单位自主聘任",
    "apply": "可申报评审",
    "evaluate": "可申报职业技能评价",
}


def from_options(policy: Policy) -> tuple[str, ...]:
    """Every starting point any dated set of routes knows: a question may be about any day."""
    seen: dict[str, None] = {}
    for entry in policy.entries(ROUTES):
        for route in entry["value"]:
            seen.setdefault(route["from"], None)
    return tuple(seen)


def series_options(policy: Policy) -> tuple[str, ...]:
    return tuple(policy.titles["skill_series"])


QUESTIONS = Questions(
    tool="title",
    title="职称对应",
    summary="职称对应(天津市)",
    fields=(
        Field("from", "choice", "现有证书、技能等级或职称", required=True, choices=from_options, blank="(请选择)",
              hint="社会工作者证书选前三项；技能人员选技能等级；已有职称的选职称层级。"),
        Field("since", "date", "取得日期", hint="取得上面这项证书、等级或职称的日期，用来计算“满N年”。"),
        Field("today", "date", "按哪一天判断", hint="留空就按今天。", more=True),
        # Free text for the rules (a series outside the list is answered, not refused); a list in the form.
        Field("series", "text", "职称系列", choices=series_options, blank="(不限或不清楚)",
              hint="技能人员与职称的贯通只适用于这些系列。"),
    ),
    examples=(
        ("社会工作师", {"from": "社会工作师"}),
        ("技师，工程技术系列", {"from": "技师", "since": "2021-07-01", "series": "工程技术"}),
    ),
    more="按另一天判断(可选)",
)
FIELDS = QUESTIONS.names


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    r = Reader(request)
    r.reject_unknown(FIELDS)
    start = r.choice("from", "现有证书、技能等级或职称", from_options(policy))
    since = r.date("since", "取得日期", required=False)
    today = r.date("today", "今天的日期", required=False) or today
    series = normalize(r.obj.get("series"))
    if series is not None and (not isinstance(series, str) or len(series) > 30):
        r.error("series", "「职称系列」应为系列名称，例如 工程技术；不属于这些系列可以不填。")
        series = None
    series = series or None
    r.raise_if_errors()
    assert start is not None

    try:
        effective = dt.date.fromisoformat(policy.value(EFFECTIVE, on=today))
        routes = policy.entry(ROUTES, on=today)
    except NotInForce as e:
        r.error("today", not_in_force_message(policy, e.key, "计算日期", e.first_from))
        r.raise_if_errors()
        raise  # pragma: no cover - raise_if_errors always raises here
    if since is not None and since > today:
        r.error("since", "「取得日期」不能晚于今天：还没取得的证书或职称无法计算年限。")
    r.raise_if_errors()

    outcomes: list[dict[str, Any]] = []
    # What each outcome waits for: "since" (a date), "condition" (one the calculator cannot
    # check), "years" (time to pass), "series" (ruled out by the series), or None.
    waiting: list[str | None] = []
    explanation = [step(
        f"以下为天津市的规定，自{dates.zh_date(effective)}起施行；其他省市以当地规定为准。",
        policy.cite(EFFECTIVE, on=today),
        EFFECTIVE,
    )]
    for route in routes["value"]:
        if route["from"] != start:
            continue
        cite = policy.cite_document(routes["document"], route["article"])
        outcome, needs = _outcome(route, policy, start, since, today, effective, series)
        outcomes.append(outcome | {"needs": needs if needs in ("since", "condition") else None, "source": cite})
        waiting.append(needs)
        explanation.append(step(route["text"], f"{cite}；{CIVIL_CODE_COUNTING}" if route["years"] else cite))

    return {
        "ok": True,
        "tool": "title",
        "from": start,
        "since": iso(since),
        "today": iso(today),
        "series": series,
        "region": "天津市",
        "outcomes": outcomes,
        "summary": _summary(start, outcomes, waiting),
        "explanation": explanation,
    }


def _outcome(route: dict[str, Any], policy: Policy, start: str, since: dt.date | None, today: dt.date,
             effective: dt.date, series: str | None) -> tuple[dict[str, Any], str | None]:
    """One route: whether it is open on ``today``, from when, on what condition, and what it waits for."""
    eligible: bool | None = True
    needs = None
    eligible_from = None
    condition = route["text"]
    if route["conditional"]:
        # The notice makes this route depend on standards the calculator cannot check.
        eligible, needs = None, "condition"
        condition += f"。条件是{route['conditional']}，本计算器无法判断是否符合，请对照相应的标准条件。"
    if route["years"] is not None:
        if since is None:
            eligible, needs = None, "since"
            condition += f"。填写取得{start}的日期，即可算出满{route['years']}年的日期。"
        else:
            by_years = dates.add_years(since, route["years"])
            eligible_from = max(by_years, effective)
            eligible = today >= eligible_from
            needs = None if eligible else "years"
            condition += f"。按取得日期{dates.zh_date(since)}计算，满{route['years']}年之日为{dates.zh_date(by_years)}"
            if by_years < effective:
                condition += f"，早于本通知施行之日，所以从施行之日{dates.zh_date(effective)}起算。"
            else:
                condition += "，晚于本通知施行之日，以满年限之日为准。"
    route_series = route["series"]
    if route.get("series_only"):
        skill_series = policy.titles["skill_series"]
        listed = f"{'、'.join(skill_series)}等{len(skill_series)}个系列"
        if series is not None and series not in skill_series:
            eligible, needs = False, "series"
            condition += f"这条路径只适用于{listed}，{series}不在其中。"
        else:
            condition += f"只适用于{listed}。"
            route_series = series or route_series
    return {
        "target": route["target"],
        "target_text": route["target_text"],
        "series": route_series,
        "route": route["route"],
        "route_text": route.get("route_text") or ROUTE_ZH[route["route"]],
        "eligible": eligible,
        "eligible_from": iso(eligible_from),
        "condition": condition,
    }, needs


def _named(o: dict[str, Any]) -> str:
    return f"{o['route_text']}{o['target_text']}"


def _summary(start: str, outcomes: list[dict[str, Any]], waiting: list[str | None]) -> str:
    """Open routes are "可走"; a conditional one never is, it is named with its condition."""
    open_now = [o for o in outcomes if o["eligible"] is True]
    later = [o for o, needs in zip(outcomes, waiting) if needs == "years"]
    others = [o for o, needs in zip(outcomes, waiting) if o["eligible"] is None and needs == "condition"]
    parts = []
    if open_now:
        parts.append(f"在天津，持{start}目前可走：{'、'.join(_named(o) for o in open_now)}。")
    elif later:
        first = min(later, key=lambda o: o["eligible_from"])
        day = dates.zh_date(dt.date.fromisoformat(first["eligible_from"]))
        parts.append(f"在天津，持{start}将从{day}起{_named(first)}。")
    if "since" in waiting and not open_now and not later:
        parts.append(f"在天津，持{start}需满足年限要求；填写取得日期即可算出何时符合条件。")
    if others:
        lead = "另外，" if parts else f"在天津，持{start}："
        parts.append(f"{lead}{'、'.join(_named(o) for o in others)}有前提条件(见下)，本计算器无法判断是否符合。")
    if not parts:
        return f"按你填写的情况，持{start}暂不符合天津这份通知中的对应条件，详见下面的说明。"
    return "".join(parts)
