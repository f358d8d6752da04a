"""Rule values in the guides: ``{{ kind:arg }}`` markers, each replaced from the policy
data of the checkout being built (calculator/shegong/policy.json), counted with the rules
package's own date functions, so a page and the calculator cannot disagree.

Every marker reads the entry in force on the build date (README, 哪一天的规定), and a
citation names that entry's own document, so a value appended from a new document is
cited with it while the value before it keeps citing the old one.

``{{ p:KEY }}``          the value in force now (dates as 2021年12月17日)
``{{ pu:KEY }}``         the value with its unit (3年, 72小时); where the value changes, from when
                         (and by which document, where the documents differ)
``{{ from:KEY }}``       the date the value in force applies from
``{{ cite:KEY }}``       《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条: the value in force's
                         document; where it replaced a value from another document, that one too
``{{ doc:NAME }}``       a document by its name in ``documents``: 《…》（…）
``{{ add:KEY:DATE }}``   DATE plus the period KEY, counted by 《民法典》第二百零一条至第二百零三条
                         (moved to the next working day; published calendar only)
``{{ sub:KEY:DATE }}``   DATE minus the period KEY (the opening day of a window)
``{{ date:DATE }}``      an example date written in Chinese
``{{ titles:PART }}``   the Tianjin routes of one part of the notice (第一部分…第四部分) as a table
                         (``PART:kind,kind`` for some kinds)
``{{ years:FROM>TARGET }}`` the years of one Tianjin route (``>TARGET`` when FROM has several)
``{{ since:FROM>TARGET:DATE }}`` the day those years are complete (corresponding day)
``{{ series:list }}``, ``{{ series:count }}``  the skill series of the Tianjin notice
``{{ documents:table }}`` every document in the policy data as a table
``{{ docfield:NAME.FIELD }}`` one field of a document (e.g. tianjin_titles.replaces)
``{{ note:periods }}``   the standard note on how this site counts periods

An unknown key or marker raises ``KeyError``/``ValueError`` with a Chinese message; the
hook stops the build with it and the page's name.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

MARKER = re.compile(r"\{\{\s*([a-z]+)\s*:\s*([^{}]*?)\s*\}\}")
LEFTOVER = re.compile(r"\{\{[^{}]*\}\}")


@dataclass
class Rules:
    """The policy data and the rules package of one checkout."""

    policy: Any
    policy_mod: ModuleType
    dates: ModuleType


@dataclass
class Page:
    rules: Rules
    src: str  # the page's path under docs/, for relative links


def load_rules(root: Path) -> Rules:
    """The rules package beside ``root``'s mkdocs.yml, so a copy builds from its own data."""
    calc = root / "calculator"
    path = calc / "shegong" / "policy.json"
    if not path.is_file():
        raise FileNotFoundError(f"找不到政策数据 {path}")
    sys.path.insert(0, str(calc))
    try:
        # A rules package imported earlier from another checkout must not answer here.
        mod = sys.modules.get("shegong")
        if mod is not None and not str(getattr(mod, "__file__", "")).startswith(str(calc)):
            for name in [n for n in sys.modules if n == "shegong" or n.startswith("shegong.")]:
                del sys.modules[name]
        policy_mod = importlib.import_module("shegong.policy")
        dates = importlib.import_module("shegong.dates")
    finally:
        sys.path.remove(str(calc))
    return Rules(policy_mod.load(path), policy_mod, dates)


# ---------------------------------------------------------------- helpers


def _param(rules: Rules, key: str) -> dict:
    if key not in rules.policy.parameters:
        raise KeyError(f"policy.json 中没有参数 “{key}”")
    return rules.policy.parameters[key]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise KeyError(f"“{text}” 不是 YYYY-MM-DD 格式的日期") from None


def _zh(rules: Rules, day: dt.date | str) -> str:
    return rules.policy_mod.format_date_zh(day if isinstance(day, str) else day.isoformat())


def _in_force(rules: Rules, key: str) -> dict:
    """The entry in force on the build date (the first one if none has started yet)."""
    try:
        return rules.policy.entry(key, on=dt.date.today())
    except rules.policy_mod.NotInForce as e:
        return rules.policy.entry(key, on=e.first_from)


def _cite(rules: Rules, entry: dict) -> str:
    return rules.policy.cite_document(entry["document"], entry.get("article", ""))


def _routes(rules: Rules) -> list:
    return _in_force(rules, "titles.routes")["value"]


def _fmt(rules: Rules, key: str, entry: dict) -> str:
    if _param(rules, key)["unit"] == "日期":
        return _zh(rules, entry["value"])
    return str(entry["value"])


def _period(rules: Rules, key: str) -> tuple[int, int]:
    unit = _param(rules, key)["unit"]
    value = _in_force(rules, key)["value"]
    if unit == "年":
        return value, 0
    if unit == "个月":
        return 0, value
    raise KeyError(f"{key} 不是以年或月计的期间(单位为 {unit})")


def _next_working_day(rules: Rules, day: dt.date) -> dt.date:
    """第二百零三条 with the published working-day calendar (调休 included)."""
    check = rules.dates.holiday_check(day)
    if check.status == "working_day":
        return day
    if check.status == "extended":
        return check.extended_to
    raise ValueError(check.reason)


def _one_route(rules: Rules, spec: str) -> dict:
    origin, _, target = spec.partition(">")
    routes = [
        r for r in _routes(rules)
        if r["from"] == origin and (not target or target in (r["target"], r["target_text"])) and r["years"]
    ]
    if len(routes) != 1:
        raise KeyError(f"policy.titles 中没有唯一一条带年限的对应关系 “{spec}”(找到 {len(routes)} 条)")
    return routes[0]


# How a table says a route: the route's own wording where the policy data gives one
# (route_text, in the words of its part of the notice), else by route kind.
# ``{}`` is the target's full wording (target_text).
ROUTE_RESULTS = {
    "direct": "直接对应{}",
    "appoint": "可由单位自主聘任{}",
    "apply": "可申报评审{}",
    "evaluate": "可申报{}",
}


def _route_result(r: dict) -> str:
    wording = (r["route_text"] + "{}") if r.get("route_text") else ROUTE_RESULTS.get(r["route"], "{}")
    result = wording.format(r["target_text"])
    # A conditional route is never shown as open: its condition leads.
    return f"{r['conditional']}的，{result}" if r.get("conditional") else result


# ---------------------------------------------------------------- markers


def value(page: Page, key: str) -> str:
    _param(page.rules, key)
    return _fmt(page.rules, key, _in_force(page.rules, key))


def value_with_unit(page: Page, key: str) -> str:
    """The value in force with its unit; where the value changes, say from when.

    A maintainer changes a rule by adding a dated entry (CONTRIBUTING.md), so a page
    shows e.g. 80小时（自2027年1月1日起；此前为72小时） without being edited; where the
    neighbouring value comes from another document, that document is named with it.
    """
    rules = page.rules
    unit = _param(rules, key)["unit"]
    entries = rules.policy.entries(key)
    current = _in_force(rules, key)
    i = entries.index(current)

    def basis(other: dict) -> str:
        return "" if _cite(rules, other) == _cite(rules, current) else f"，依据{_cite(rules, other)}"

    notes = []
    if i > 0:
        before = entries[i - 1]
        notes.append(f"自{_zh(rules, current['from'])}起；此前为{_fmt(rules, key, before)}{unit}{basis(before)}")
    if i + 1 < len(entries):
        after = entries[i + 1]
        notes.append(f"自{_zh(rules, after['from'])}起为{_fmt(rules, key, after)}{unit}{basis(after)}")
    return _fmt(rules, key, current) + unit + (f"（{'；'.join(notes)}）" if notes else "")


def start_date(page: Page, key: str) -> str:
    _param(page.rules, key)
    start = _in_force(page.rules, key)["from"]
    if start is None:
        raise KeyError(f"参数 “{key}” 没有施行日期")
    return _zh(page.rules, start)


def citation(page: Page, key: str) -> str:
    rules = page.rules
    _param(rules, key)
    entries = rules.policy.entries(key)
    current = _in_force(rules, key)
    i = entries.index(current)
    out = _cite(rules, current)
    if i > 0 and _cite(rules, entries[i - 1]) != out:
        out += f"（自{_zh(rules, current['from'])}起；此前为{_cite(rules, entries[i - 1])}）"
    return out


def date_plus(page: Page, arg: str) -> str:
    key, _, day = arg.partition(":")
    years, months = _period(page.rules, key)
    end = page.rules.dates.add_months(_day(day), years * 12 + months)
    return _zh(page.rules, _next_working_day(page.rules, end))


def date_minus(page: Page, arg: str) -> str:
    key, _, day = arg.partition(":")
    years, months = _period(page.rules, key)
    return _zh(page.rules, page.rules.dates.add_months(_day(day), -(years * 12 + months)))


def document(page: Page, name: str) -> str:
    if name not in page.rules.policy.documents:
        raise KeyError(f"policy.json 中没有文件 “{name}”")
    return page.rules.policy.cite_document(name)


def example_date(page: Page, day: str) -> str:
    return _zh(page.rules, _day(day))


def route_years(page: Page, spec: str) -> str:
    return str(_one_route(page.rules, spec)["years"])


def route_since(page: Page, arg: str) -> str:
    spec, _, day = arg.partition(":")
    years = _one_route(page.rules, spec)["years"]
    return _zh(page.rules, page.rules.dates.add_months(_day(day), years * 12))


def titles_table(page: Page, spec: str) -> str:
    """``第二部分`` or ``第二部分:appoint,apply``: the routes of one part of the notice (of some kinds)."""
    part, _, kinds = spec.partition(":")
    wanted = set(kinds.split(",")) if kinds else None
    routes = [
        r for r in _routes(page.rules)
        if r["part"] == part and (wanted is None or r["route"] in wanted)
    ]
    if not routes:
        raise KeyError(f"policy.titles 中没有 {spec} 的对应关系")
    if any(r["years"] for r in routes):
        lines = ["| 已取得 | 条件 | 可以 |", "| --- | --- | --- |"]
        for r in routes:
            cond = f"{r['after']}满{r['years']}年" if r["years"] else "—"
            lines.append(f"| {r['from']} | {cond} | {_route_result(r)} |")
    else:
        lines = ["| 已取得 | 可以 |", "| --- | --- |"]
        lines += [f"| {r['from']} | {_route_result(r)} |" for r in routes]
    return "\n".join(lines)


def series(page: Page, arg: str) -> str:
    names = page.rules.policy.titles["skill_series"]
    if arg == "list":
        return "、".join(names)
    if arg == "count":
        return str(len(names))
    raise KeyError(f"series 只支持 list 或 count，不支持 “{arg}”")


def documents_table(page: Page, arg: str) -> str:
    if arg != "table":
        raise KeyError(f"documents 只支持 table，不支持 “{arg}”")
    lines = ["| 文件 | 文号 | 发布机关 | 日期 |", "| --- | --- | --- | --- |"]
    # A date is the document's own unless date_is says what began then (施行, …).
    for doc in page.rules.policy.documents.values():
        # Entries with a note are practice or help text, not documents: no 《》.
        if not doc["title"]:
            title = "（标题未查到）"
        elif doc.get("note"):
            title = doc["title"]
        else:
            title = f"《{doc['title']}》"
        note = f"<br>{doc['note']}" if doc.get("note") else ""
        also = f"<br>又称《{doc['also_known_as']}》" if doc.get("also_known_as") else ""
        day = (_zh(page.rules, doc["date"]) + doc.get("date_is", "")) if doc["date"] else "—"
        lines.append(f"| {title}{also}{note} | {doc['number'] or doc.get('number_note') or '—'} | {doc['issuer']} | {day} |")
    return "\n".join(lines)


def document_field(page: Page, arg: str) -> str:
    name, _, field = arg.partition(".")
    found = page.rules.policy.documents.get(name, {}).get(field)
    if not found:
        raise KeyError(f"policy.json 中没有文件字段 “{arg}”")
    return found


def note(page: Page, arg: str) -> str:
    if arg != "periods":
        raise KeyError(f"note 只支持 periods，不支持 “{arg}”")
    link = "../" * page.src.count("/") + "sources.md#periods"
    return (
        '!!! info "日期怎么算"\n'
        "    本站按《中华人民共和国民法典》第二百零一条、第二百零二条计算期间：开始的当日不计入，"
        "自下一日起算；到期月的对应日为最后一日，没有对应日的（如2月29日），以该月最后一天为最后一日。"
        "按第二百零三条，最后一日是法定休假日的，以休假日结束的次日为最后一日：本站用国务院公布的"
        f"节假日安排（含调休）判断工作日；本站的数据到{page.rules.dates.known_years()[1]}年为止，之后的年份无法确定。"
        f"文件没有写明期限从哪天算到哪天，这是本站的读法，详见[依据与来源]({link})。"
    )


MARKERS: dict[str, Callable[[Page, str], str]] = {
    "p": value,
    "pu": value_with_unit,
    "from": start_date,
    "cite": citation,
    "add": date_plus,
    "sub": date_minus,
    "doc": document,
    "date": example_date,
    "years": route_years,
    "since": route_since,
    "titles": titles_table,
    "series": series,
    "documents": documents_table,
    "docfield": document_field,
    "note": note,
}


class MarkerError(Exception):
    pass


def render(page: Page, markdown: str) -> str:
    """Every marker of a page replaced; the first that cannot be names itself and the page."""

    def replace(m: re.Match) -> str:
        kind, arg = m.group(1), m.group(2)
        try:
            if kind not in MARKERS:
                raise KeyError(f"未知的标记类型 “{kind}”")
            return MARKERS[kind](page, arg)
        except (KeyError, ValueError) as exc:
            msg = exc.args[0] if exc.args else str(exc)
            raise MarkerError(f"{page.src}: 标记 {m.group(0)} 无法替换：{msg}") from None

    out = MARKER.sub(replace, markdown)
    if LEFTOVER.search(out):
        raise MarkerError(f"{page.src}: 有未能识别的标记 {{{{ … }}}}，请检查写法")
    return out
