"""Title equivalence in Tianjin: 《关于进一步做好职业资格和职业技能等级与职称衔接对应工作的通知》.

The routes are data (``policy.json`` → ``titles.routes``), quoted from the notice as the
source article gives it, and dated like every value: the routes and the notice's
effective date are those in force on the day asked about (``today``).  This module only
dates them and checks each of the notice's requirements against the request: ``facts``
does that, with a code and its values for each thing it finds, and ``words`` says them
(``WORDS`` for a route's condition, ``SUMMARY_WORDS`` for the summary).

A route is open (``eligible: true``) only when every requirement is known from the
request and met.  "取得…满N年" (years held) is dated like every other period here: the
route opens on the corresponding day N years after ``since`` (《民法典》第二百零二条), and
never before the notice took effect.  "取得…后从事技术技能工作满N年" counts years of that
work, not time held: the date gives only the earliest day it can be met, and the route
is decided by the years of work the reader gives (``work_years``), or stays conditional.
The series (8 only), a paragraph's own condition on the person (``prerequisite``) and
standards the notice refers to (``conditional``) are requirements too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from . import dates
from .explain import CIVIL_CODE_COUNTING, citing, iso, not_in_force_message, step
from .inputs import InputError, Reader, normalize
from .policy import ROUTES, NotInForce, Policy
from .questions import Field, Questions

EFFECTIVE = "title.tianjin_effective"


def from_options(policy: Policy) -> tuple[str, ...]:
    """Every starting point any dated set of routes knows: a question may be about any day."""
    seen: dict[str, None] = {}
    for entry in policy.entries(ROUTES):
        for route in entry["value"]:
            seen.setdefault(route["from"], None)
    return tuple(seen)


def series_options(policy: Policy) -> tuple[str, ...]:
    return tuple(policy.titles["skill_series"])


WORK_LABEL = "取得后从事技能工作的年数"
MAX_WORK_YEARS = 80  # an input check: a working life is shorter

QUESTIONS = Questions(
    tool="title",
    title="职称对应",
    summary="职称对应（天津市）",
    fields=(
        Field("from", "choice", "现有证书、技能等级或职称", required=True, choices=from_options, blank="（请选择）",
              hint="社会工作者证书选前三项；技能人员选技能等级；已有职称的选职称层级。"),
        Field("since", "date", "取得日期", hint="取得上面这项证书、等级或职称的日期，用来计算“满N年”。"),
        Field("work_years", "integer", WORK_LABEL, schema={"minimum": 0, "maximum": MAX_WORK_YEARS},
              hint="技能等级评职称要求取得后“从事技术技能工作”满N年，职称申报技能评价有的要求取得后“从事相应技能工作”满N年："
                   "填实际从事这类工作已满的整年数，不是持有的年数。不清楚可以不填。"),
        Field("today", "date", "按哪一天判断", hint="留空就按今天。", more=True),
        # Free text for the rules (a series outside the list is answered, not refused); a list in the form.
        Field("series", "text", "职称系列", choices=series_options, blank="（不限或不清楚）",
              hint="技能人员与职称的贯通只适用于这些系列。"),
    ),
    examples=(
        ("社会工作师", {"from": "社会工作师"}),
        ("技师，工程技术系列", {"from": "技师", "since": "2021-07-01", "work_years": 3, "series": "工程技术"}),
    ),
    more="按另一天判断（可选）",
)


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    return words(facts(request, policy, today), policy)


# --- facts: dates, numbers and codes ---------------------------------------------------


def facts(request: dict[str, Any], policy: Policy, today: dt.date) -> "Facts":
    """The request read, and how each route from its starting point stands on its day."""
    start, asked, routes = _read(request, policy, today)
    found = [_outcome(route, policy, start, asked) for route in routes["value"] if route["from"] == start]
    return Facts(start, asked, routes["document"], found, _standing(start, found))


def _read(request: dict[str, Any], policy: Policy, today: dt.date) -> tuple[str, "Asked", dict[str, Any]]:
    """The starting point, what the request tells about the holder, and the routes in force on its day."""
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    start, since, work = r.read("from"), r.read("since"), r.read("work_years")
    today = r.read("today") or today
    series = normalize(r.obj.get("series"))
    if series is not None and (not isinstance(series, str) or len(series) > 30):
        r.bad("series", r.label("series"), "应为系列名称，例如 工程技术；不属于这些系列可以不填。")
        series = None
    r.raise_if_errors()
    assert start is not None
    try:
        effective = dt.date.fromisoformat(policy.value(EFFECTIVE, on=today))
        routes = policy.entry(ROUTES, on=today)
    except NotInForce as e:
        r.error("today", not_in_force_message(policy, e.key, f"「{r.label('today')}」", e.first_from))
        raise InputError(r.errors) from None
    if since is not None and since > today:
        r.bad("since", r.label("since"), "不能晚于今天：还没取得的证书或职称无法计算年限。")
    elif since is not None and work is not None and work > _full_years(since, today):
        r.bad("work_years", r.label("work_years"), f"不能多于从{r.label('since')}到今天的整年数（{_full_years(since, today)}年）："
                                                  "取得之前的工作不算。")
    r.raise_if_errors()
    return start, Asked(since, work, series or None, today, effective), routes


def _full_years(since: dt.date, today: dt.date) -> int:
    """Whole years from ``since`` to ``today``, each ending on its corresponding day."""
    years = today.year - since.year
    while years > 0 and dates.add_years(since, years) > today:
        years -= 1
    return years


# What a route's condition says beyond the notice's words, and what the summary says: a
# code and its values (WORDS and SUMMARY_WORDS say them).
Said = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Asked:
    """What the request tells about the holder."""

    since: dt.date | None
    work: int | None
    series: str | None
    today: dt.date
    effective: dt.date


@dataclass
class State:
    """How one route stands: each requirement met (True), not met (False) or unknown (None)."""

    met: list[bool | None] = field(default_factory=list)
    # What it waits for: "since" (a date), "condition" (a requirement not known from the
    # request), "years" (time to pass), "work" (years of work still short), "series"
    # (ruled out by the series), or None (open).
    waiting: str | None = None
    asks: list[str] = field(default_factory=list)  # the fields (names) that would decide it
    unchecked: bool = False  # a requirement no field of this calculator can decide
    by_time: bool = False  # closed until the day N years after ``since``

    @property
    def eligible(self) -> bool | None:
        return False if False in self.met else None if None in self.met else True

    @property
    def sure(self) -> bool:
        """Nothing but time stands between the holder and the route."""
        return not (self.asks or self.unchecked or None in self.met)


@dataclass
class Route:
    """One route from the starting point: its data (policy.json), and how it stands."""

    route: dict[str, Any]
    series: str | None  # the series it is about: the reader's, once known to be one it applies to
    eligible_from: dt.date | None
    state: State
    said: list[Said]  # its condition beyond the notice's words, as codes


@dataclass
class Facts:
    """What the Tianjin notice makes of the request, with no words."""

    start: str
    asked: Asked
    document: str  # the notice the routes are from
    routes: list[Route]  # those from ``start``, in the notice's order
    standing: list[Said]  # what the summary says, as codes


def _outcome(route: dict[str, Any], policy: Policy, start: str, a: Asked) -> Route:
    """One route: whether it is open on ``today``, from when, on what condition, and what it waits for."""
    st = State()
    said: list[Said] = []
    eligible_from = None
    for code, cond in (("condition", route["conditional"]), ("prerequisite", route.get("prerequisite"))):
        if cond:
            # The notice makes this route depend on what the calculator cannot check.
            st.met.append(None)
            st.unchecked = True
            said.append((code, {"cond": cond}))
    if route["years"] is not None:
        eligible_from = (_worked if route.get("work") else _held)(route, start, a, st, said)
    route_series = route["series"]
    if route.get("series_only"):
        skill_series = tuple(policy.titles["skill_series"])
        if a.series is None:
            st.met.append(None)
            st.asks.append("series")
            said.append(("series_ask", {"listed": skill_series}))
        elif a.series not in skill_series:
            st.met.append(False)
            said.append(("series_out", {"listed": skill_series, "series": a.series}))
        else:
            st.met.append(True)
            said.append(("series_in", {"listed": skill_series}))
            route_series = a.series
    st.waiting = _waiting(st, a, route)
    return Route(route, route_series, eligible_from, st, said)


def _earliest(route: dict[str, Any], a: Asked, said: list[Said], earliest: bool) -> dt.date:
    """The day N years after ``since``, but not before the notice took effect."""
    assert a.since is not None
    by_years = dates.add_years(a.since, route["years"])
    said.append(("years_from_since", {"since": a.since, "years": route["years"], "day": by_years, "earliest": earliest}))
    said.append(("before_effective", {"effective": a.effective}) if by_years < a.effective else ("after_effective", {}))
    return max(by_years, a.effective)


def _held(route: dict[str, Any], start: str, a: Asked, st: State, said: list[Said]) -> dt.date | None:
    """"取得…满N年": time held, dated from ``since``."""
    if a.since is None:
        st.met.append(None)
        st.asks.append("since")
        said.append(("since_ask", {"start": start, "years": route["years"]}))
        return None
    day = _earliest(route, a, said, False)
    st.met.append(a.today >= day)
    st.by_time = a.today < day
    return day


def _worked(route: dict[str, Any], start: str, a: Asked, st: State, said: list[Said]) -> dt.date | None:
    """"取得…后从事…工作满N年": years of that work.  The date gives the earliest day it can
    be met; whether it is met only the years of work given can say."""
    years, work = route["years"], route["work"]
    if a.since is not None:
        day = _earliest(route, a, said, True)
        if a.today < day:
            # Not N years since obtaining, so not N years of work either: the day is the earliest.
            st.met.append(False)
            st.by_time = True
            if a.work is None:
                st.asks.append("work_years")
                said.append(("work_then", {"work": work, "years": years}))
            else:
                # The years given fall short today; whether they are reached depends on
                # work still to come. Whole years are given, so the work done is under
                # a.work + 1 years: even working on from today, N years come no sooner
                # than N - a.work - 1 years from now.
                st.met.append(None)
                said.append(("work_short", {"given": a.work, "short": years - a.work}))
                soonest = dates.add_years(a.today, years - a.work - 1)
                if soonest > day:
                    day = soonest
                    said.append(("work_soonest", {"work": work, "day": day, "years": years}))
                else:
                    said.append(("work_until", {"work": work, "years": years}))
            return day
    if a.work is None:
        st.met.append(None)
        st.asks.append("work_years")
        said.append(("work_ask", {"work": work, "years": years}))
        return None
    enough = a.work >= years
    st.met.append(enough)
    said.append(("work_given", {"given": a.work, "years": years, "enough": enough}))
    # The day the years of work were reached is not known, only that they were (or not).
    return None


def _waiting(st: State, a: Asked, route: dict[str, Any]) -> str | None:
    eligible = st.eligible
    if eligible is True:
        return None
    if eligible is False:
        if st.met[-1] is False and route.get("series_only") and a.series is not None:
            return "series"
        return "years" if st.by_time else "work"
    return "since" if "since" in st.asks else "condition"


def _standing(start: str, routes: list[Route]) -> list[Said]:
    """What the summary says: the routes open now (a conditional one never is), or else the
    first to open by time, or that a date would tell; then the routes a field would decide,
    and those no field can."""
    open_now = [r for r in routes if r.state.eligible is True]
    later = [r for r in routes if r.state.waiting == "years"]
    out: list[Said] = []
    if open_now:
        out.append(("open_now", {"start": start, "routes": open_now}))
    elif later:
        first = min(later, key=lambda r: r.eligible_from)
        out.append(("opens_on" if first.state.sure else "opens_earliest",
                    {"start": start, "route": first, "day": first.eligible_from}))
    elif any(r.state.waiting == "since" for r in routes):
        out.append(("since_needed", {"start": start}))
    others = [r for r in routes if r.state.eligible is None and r.state.waiting == "condition"]
    fillable = [r for r in others if not r.state.unchecked]
    unchecked = [r for r in others if r.state.unchecked]
    if fillable:
        asks = list(dict.fromkeys(name for r in fillable for name in r.state.asks))
        out.append(("fillable", {"start": start, "routes": fillable, "asks": asks}))
    if unchecked:
        out.append(("unchecked", {"start": start, "routes": unchecked}))
    return out or [("none", {"start": start})]


# --- words: the response ---------------------------------------------------------------


# What each route lets the holder do, as a verb phrase: the summary puts it before the target.
ROUTE_ZH = {
    "direct": "直接对应",
    "appoint": "可由单位自主聘任",
    "apply": "可申报评审",
    "evaluate": "可申报",
}
REGION = "天津市"


def _listed(listed: tuple[str, ...]) -> str:
    return f"{'、'.join(listed)}等{len(listed)}个系列"


WORDS: dict[str, Callable[..., str]] = {
    "condition": lambda cond: f"条件是{cond}，本计算器无法判断是否符合，请对照相应的标准条件。",
    "prerequisite": lambda cond: f"前提是{cond}，本计算器无法判断是否符合。",
    "series_ask": lambda listed: f"这条路径只适用于{_listed(listed)}；填写{QUESTIONS.field('series').label}即可判断。",
    "series_out": lambda listed, series: f"这条路径只适用于{_listed(listed)}，{series}不在其中。",
    "series_in": lambda listed: f"只适用于{_listed(listed)}。",
    "years_from_since": lambda since, years, day, earliest: (
        f"按取得日期{dates.zh_date(since)}计算，{'最早' if earliest else ''}满{years}年之日为{dates.zh_date(day)}"),
    "before_effective": lambda effective: f"，早于本通知施行之日，所以从施行之日{dates.zh_date(effective)}起算。",
    "after_effective": lambda: "，晚于本通知施行之日，以满年限之日为准。",
    "since_ask": lambda start, years: f"填写取得{start}的日期，即可算出满{years}年的日期。",
    "work_then": lambda work, years: f"到那时还要取得后确实从事{work}满{years}年。",
    "work_short": lambda given, short: f"你填写的{WORK_LABEL}是{given}年，还差{short}年",
    "work_soonest": lambda work, day, years: f"：即使从今天起一直从事{work}，最早也要到{dates.zh_date(day)}才可能满{years}年。",
    "work_until": lambda work, years: f"：到那时还要确实从事{work}满{years}年。",
    "work_ask": lambda work, years: (f"通知要求取得后从事{work}满{years}年，不是持有满{years}年："
                                     f"是否满足，填写「{WORK_LABEL}」即可判断。"),
    "work_given": lambda given, years, enough: f"你填写的{WORK_LABEL}是{given}年，{'已' if enough else '还不'}满{years}年。",
}


def _named(r: Route) -> str:
    return f"{_route_text(r.route)}{r.route['target_text']}"


def _names(routes: list[Route]) -> str:
    return "、".join(_named(r) for r in routes)


def _route_text(route: dict[str, Any]) -> str:
    return route.get("route_text") or ROUTE_ZH[route["route"]]


# The summary's parts; ``lead`` opens a part about the routes still to decide ("另外，" after another part).
SUMMARY_WORDS: dict[str, Callable[..., str]] = {
    "open_now": lambda start, routes, **_: f"在天津，持{start}目前可走：{_names(routes)}。",
    "opens_on": lambda start, route, day, **_: f"在天津，持{start}将从{dates.zh_date(day)}起{_named(route)}。",
    "opens_earliest": lambda start, route, day, **_: (
        f"在天津，持{start}最早从{dates.zh_date(day)}起{_named(route)}，还有其他条件（见下）。"),
    "since_needed": lambda start, **_: f"在天津，持{start}需满足年限要求；填写取得日期即可算出何时符合条件。",
    "fillable": lambda lead, routes, asks, **_: (
        f"{lead}{_names(routes)}还要看{'和'.join(f'「{QUESTIONS.field(name).label}」' for name in asks)}"
        "（见下），填写后即可判断。"),
    "unchecked": lambda lead, routes, **_: f"{lead}{_names(routes)}有前提条件（见下），本计算器无法判断是否符合。",
    "none": lambda start, **_: f"按你填写的情况，持{start}暂不符合天津这份通知中的对应条件，详见下面的说明。",
}


def words(f: Facts, policy: Policy) -> dict[str, Any]:
    """The response: the facts, each route and step said and cited."""
    a = f.asked
    explanation = [step(f"以下为天津市的规定，自{dates.zh_date(a.effective)}起施行；其他省市以当地规定为准。",
                        policy.cite(EFFECTIVE, on=a.today), EFFECTIVE)]
    outcomes = []
    for r in f.routes:
        cite = policy.cite_document(f.document, r.route["article"])
        outcomes.append(_route_words(r) | citing(cite))
        explanation.append(step(_notice_words(r.route), (cite, CIVIL_CODE_COUNTING) if r.route["years"] else cite))
    return {
        "ok": True,
        "tool": "title",
        "from": f.start,
        "since": iso(a.since),
        "work_years": a.work,
        "today": iso(a.today),
        "series": a.series,
        "region": REGION,
        "outcomes": outcomes,
        "summary": _summary_words(f.standing),
        "explanation": explanation,
    }


def _route_words(r: Route) -> dict[str, Any]:
    route, waiting = r.route, r.state.waiting
    return {
        "target": route["target"],
        "target_text": route["target_text"],
        "series": r.series,
        "route": route["route"],
        "route_text": _route_text(route),
        "eligible": r.state.eligible,
        "eligible_from": iso(r.eligible_from),
        "condition": f"{route['text']}。{''.join(WORDS[code](**values) for code, values in r.said)}",
        "needs": waiting if waiting in ("since", "condition") else None,
    }


def _notice_words(route: dict[str, Any]) -> str:
    """The notice's words for a route; the caveat says what to rely on where the data is not
    the notice's own words."""
    return (route["text"] + ("（据通知原文节选）" if route.get("condensed") else "")
            + (f"（{route['caveat']}）" if route.get("caveat") else ""))


def _summary_words(standing: list[Said]) -> str:
    parts: list[str] = []
    for code, values in standing:
        lead = "另外，" if parts else f"在天津，持{values['start']}："
        parts.append(SUMMARY_WORDS[code](lead=lead, **values))
    return "".join(parts)
