"""One source of truth: the guides take every rule value from the calculator's policy.json.

The hook loads ``<dir of mkdocs.yml>/calculator/shegong/policy.json`` with the rules
package found beside that mkdocs.yml (so a copy of the repository builds from its own
data), and replaces markers in every page's Markdown:

``{{ p:KEY }}``          the value in force now (dates as 2021年12月17日)
``{{ pu:KEY }}``         the value with its unit: 3年, 3个月, 72小时, 24小时, 90天
``{{ from:KEY }}``       the date the value applies from: 2009年4月8日
``{{ cite:KEY }}``       《社会工作者职业水平证书登记办法》(民发〔2009〕44号)第四条
``{{ doc:NAME }}``       a document by its name in ``documents``: 《…》(…)
``{{ add:KEY:DATE }}``   DATE plus the period KEY (years or months), counted by
                         《民法典》第二百零一条至第二百零三条: the corresponding day, the month
                         end when there is none, moved to the next working day when it
                         is not one (published calendar only)
``{{ sub:KEY:DATE }}``   DATE minus the period KEY (the opening day of a window)
``{{ date:DATE }}``      an example date written in Chinese
``{{ titles:PART }}`` the Tianjin routes of one part of the notice (第一部分…第四部分) as a table
``{{ years:FROM>TARGET }}`` the years of one Tianjin route (``>TARGET`` when FROM has several)
``{{ since:FROM>TARGET:DATE }}`` the day those years are complete (corresponding day)
``{{ series:list }}``, ``{{ series:count }}``  the skill series of the Tianjin notice
``{{ documents:table }}`` every document in policy.json as a table
``{{ docfield:NAME.FIELD }}`` one field of a document (e.g. tianjin_titles.replaces)
``{{ note:periods }}``   the standard note on how this site counts periods

An unknown key or marker stops the build with a message naming the page.

It also fixes the theme's search worker so a Chinese query that is a whole word in the
index is searched as that word (see ``_patch_search_worker``), shows each guide page's ``last_checked`` date (required on every page outside
``calculator/``), and replaces every ```mermaid fence with the SVG drawn from it ahead
of time (``make diagrams``, scripts/render_diagrams.py, committed under
``docs/assets/diagrams/<first 16 hex of the fence body's sha256>.svg``), inline in a
``<figure>``: readers download no Mermaid JavaScript, and the theme, seeing no
``.mermaid`` element, fetches none from a CDN. A fence without its SVG stops the build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import importlib
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

MARKER = re.compile(r"\{\{\s*([a-z]+)\s*:\s*([^{}]*?)\s*\}\}")
# A fence opening or closing line: indentation, ``` or ~~~ (three or more), info string.
FENCE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
MERMAID_INFO = re.compile(r"^mermaid(?![\w-])")
# The committed drawings, relative to docs_dir (excluded from the site in mkdocs.yml:
# each one is inlined into its page).
DIAGRAM_DIR = Path("assets") / "diagrams"

_state: dict = {"policy": None, "root": None}


# ---------------------------------------------------------------- diagrams
# scripts/render_diagrams.py imports these two functions, so the script and the build
# agree on which fences there are and what each one's SVG is called.

def mermaid_fences(markdown: str) -> list[dict]:
    """Every ```mermaid fence of a page, in order.

    Each is ``{"start", "end", "indent", "body", "line"}``: the fence's lines are
    ``lines[start:end]`` of ``markdown.split("\n")``, ``line`` is its 1-based line number,
    ``body`` the text between the fence lines without the fence's indentation and
    trailing spaces (what Mermaid draws, and what the SVG's name is hashed from).
    Fences of other languages are skipped whole, so an example inside one is not a
    diagram; an unclosed fence runs to the end of the page, as in Markdown.
    """
    lines = markdown.split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = FENCE_LINE.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        j = i + 1
        while j < len(lines):
            c = FENCE_LINE.match(lines[j])
            if c and not c.group("info") and c.group("fence")[0] == fence[0] and len(c.group("fence")) >= len(fence):
                break
            j += 1
        if MERMAID_INFO.match(m.group("info")):
            body = [
                line[len(indent):] if line.startswith(indent) else line.lstrip(" \t")
                for line in lines[i + 1:j]
            ]
            found.append({
                "start": i,
                "end": min(j + 1, len(lines)),
                "indent": indent,
                "line": i + 1,
                "body": "\n".join(line.rstrip() for line in body).strip("\n") + "\n",
            })
        i = j + 1
    return found


def diagram_name(body: str) -> str:
    """The file name (without .svg) of the drawing of a fence body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


XML_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


def _diagram_figure(svg_file: Path) -> str:
    """The committed SVG inline in a <figure>, with its <title> as the caption."""
    svg = XML_PROLOG.sub("", svg_file.read_text(encoding="utf-8")).strip()
    title = SVG_TITLE.search(svg)
    caption = (
        f"<figcaption>{html.escape(html.unescape(title.group(1).strip()), quote=False)}</figcaption>"
        if title else ""
    )
    return f'<figure class="sg-diagram">{svg}{caption}</figure>'


def _take_diagrams(markdown: str, src: str, docs_dir: Path) -> tuple[str, dict[str, str]]:
    """Replace each mermaid fence by a placeholder line; return the figures, which
    on_page_content puts in the place of the placeholders. The SVG never goes through
    the markers (Mermaid's ``{{hexagon}}`` is no marker) or Markdown (which would wrap
    it in <p> inside a list, and read ``*`` or ``_`` in its text as emphasis)."""
    fences = mermaid_fences(markdown)
    if not fences:
        return markdown, {}
    lines = markdown.split("\n")
    figures: dict[str, str] = {}
    for n, fence in reversed(list(enumerate(fences))):
        name = diagram_name(fence["body"])
        svg_file = docs_dir / DIAGRAM_DIR / f"{name}.svg"
        if not svg_file.is_file():
            raise PluginError(
                f"{src}: 第{n + 1}个 Mermaid 流程图(```mermaid 代码块)没有对应的 SVG 文件 "
                f"docs/{DIAGRAM_DIR.as_posix()}/{name}.svg。流程图改过之后,请运行 make diagrams "
                "重新生成 SVG,并把它和页面一起提交。"
            )
        key = f"sgdiagram{n}x{name}"
        figures[key] = _diagram_figure(svg_file)
        lines[fence["start"]:fence["end"]] = ["", fence["indent"] + key, ""]
    return "\n".join(lines), figures


def _load_policy(root: Path):
    calc = root / "calculator"
    path = calc / "shegong" / "policy.json"
    if not path.is_file():
        raise PluginError(f"policy 钩子:找不到政策数据 {path}")
    sys.path.insert(0, str(calc))
    try:
        # A rules package imported earlier from another checkout must not answer here.
        mod = sys.modules.get("shegong")
        if mod is not None and not str(getattr(mod, "__file__", "")).startswith(str(calc)):
            for name in [n for n in sys.modules if n == "shegong" or n.startswith("shegong.")]:
                del sys.modules[name]
        policy_mod = importlib.import_module("shegong.policy")
        dates_mod = importlib.import_module("shegong.dates")
    finally:
        sys.path.remove(str(calc))
    return policy_mod, dates_mod, policy_mod.load(path)


@event_priority(100)  # before the search plugin reads its jieba dictionary
def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    # search.jieba_dict_user is read relative to the working directory: anchor it to
    # the folder of mkdocs.yml so a build started elsewhere finds the same dictionary.
    for plugin in config.plugins.values():
        cfg = getattr(plugin, "config", None)
        user_dict = cfg.get("jieba_dict_user") if hasattr(cfg, "get") else None
        if user_dict and not Path(user_dict).is_absolute():
            cfg["jieba_dict_user"] = str(root / user_dict)
    mod, dates, policy = _load_policy(root)
    _state.update(policy=policy, module=mod, dates=dates, root=root, figures={})
    return config


# ---------------------------------------------------------------- date arithmetic
# The rules package's own functions (shegong.dates), so the guides count as the
# calculator does.

def _shift(day: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """The corresponding day, or the month's last day when there is none (第二百零二条)."""
    return _state["dates"].add_months(day, years * 12 + months)


def _next_working_day(day: dt.date) -> dt.date:
    """第二百零三条 with the published working-day calendar (调休 included)."""
    check = _state["dates"].holiday_check(day)
    if check.status == "working_day":
        return day
    if check.status == "extended":
        return check.extended_to
    raise ValueError(check.reason)


def _period(policy, key: str) -> tuple[int, int]:
    unit = policy.parameters[key]["unit"]
    value = policy.value(key)
    if unit == "年":
        return value, 0
    if unit == "个月":
        return 0, value
    raise KeyError(f"{key} 不是以年或月计的期间(单位为 {unit})")


# ---------------------------------------------------------------- markers

def _in_force(policy, key: str) -> dict:
    """The entry in force on the build date (the first one if none has started yet)."""
    try:
        return policy.entry(key, on=dt.date.today())
    except _state["module"].NotInForce as e:
        return policy.entry(key, on=e.first_from)


def _fmt(policy, key: str, entry: dict | None = None) -> str:
    value = (entry or _in_force(policy, key))["value"]
    if policy.parameters[key]["unit"] == "日期":
        return _state["module"].format_date_zh(value)
    return str(value)


def _with_unit_and_dates(policy, key: str) -> str:
    """The value in force with its unit; where the value has changed, say from when.

    A maintainer changes a rule by adding a dated entry (CONTRIBUTING.md), so a page
    shows e.g. 80小时(自2027年1月1日起;此前为72小时) without being edited.
    """
    unit = policy.parameters[key]["unit"]
    fmt_date = _state["module"].format_date_zh
    parse_from = _state["module"].parse_from
    entries = sorted(policy.parameters[key]["values"], key=lambda v: parse_from(v["from"]) or dt.date.min)
    current = _in_force(policy, key)
    i = entries.index(current)
    notes = []
    if i > 0:
        notes.append(f"自{fmt_date(current['from'])}起;此前为{_fmt(policy, key, entries[i - 1])}{unit}")
    if i + 1 < len(entries):
        notes.append(f"自{fmt_date(entries[i + 1]['from'])}起为{_fmt(policy, key, entries[i + 1])}{unit}")
    return _fmt(policy, key, current) + unit + (f"({';'.join(notes)})" if notes else "")


# How a table says a route: the route's own wording where policy.json gives one
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
    return f"{r['conditional']}的,{result}" if r.get("conditional") else result


def _titles_table(policy, spec: str) -> str:
    """``第二部分`` or ``第二部分:appoint,apply``: the routes of one part of the notice (of some kinds)."""
    part, _, kinds = spec.partition(":")
    wanted = set(kinds.split(",")) if kinds else None
    routes = [
        r for r in policy.titles["routes"]
        if r["part"] == part and (wanted is None or r["route"] in wanted)
    ]
    if not routes:
        raise KeyError(f"policy.titles 中没有 {spec} 的对应关系")
    has_years = any(r["years"] for r in routes)
    if has_years:
        lines = ["| 已取得 | 条件 | 可以 |", "| --- | --- | --- |"]
    else:
        lines = ["| 已取得 | 可以 |", "| --- | --- |"]
    for r in routes:
        if has_years:
            cond = f"{r['after']}满{r['years']}年" if r["years"] else "—"
            lines.append(f"| {r['from']} | {cond} | {_route_result(r)} |")
        else:
            lines.append(f"| {r['from']} | {_route_result(r)} |")
    return "\n".join(lines)


def _documents_table(policy) -> str:
    lines = ["| 文件 | 文号 | 发布机关 | 日期 |", "| --- | --- | --- | --- |"]
    fmt = _state["module"].format_date_zh
    # A date is the document's own unless date_is says what began then (施行, …).
    for doc in policy.documents.values():
        # Entries with a note are practice or help text, not documents: no 《》.
        if not doc["title"]:
            title = "(标题未查到)"
        elif doc.get("note"):
            title = doc["title"]
        else:
            title = f"《{doc['title']}》"
        note = f"<br>{doc['note']}" if doc.get("note") else ""
        also = f"<br>又称《{doc['also_known_as']}》" if doc.get("also_known_as") else ""
        lines.append(
            f"| {title}{also}{note} | {doc['number'] or '—'} | {doc['issuer']} | "
            f"{(fmt(doc['date']) + doc.get('date_is', '')) if doc['date'] else '—'} |"
        )
    return "\n".join(lines)


def render_marker(kind: str, arg: str) -> str:
    policy = _state["policy"]
    fmt_date = _state["module"].format_date_zh
    if kind in ("p", "pu", "from", "cite", "add", "sub"):
        key, _, rest = arg.partition(":")
        if key not in policy.parameters:
            raise KeyError(f"policy.json 中没有参数 “{key}”")
        if kind == "p":
            return _fmt(policy, key)
        if kind == "pu":
            return _with_unit_and_dates(policy, key)
        if kind == "from":
            start = policy.entry(key)["from"]
            if start is None:
                raise KeyError(f"参数 “{key}” 没有施行日期")
            return fmt_date(start)
        if kind == "cite":
            return policy.cite(key)
        years, months = _period(policy, key)
        try:
            day = dt.date.fromisoformat(rest)
        except ValueError:
            raise KeyError(f"“{rest}” 不是 YYYY-MM-DD 格式的日期") from None
        if kind == "add":
            return fmt_date(_next_working_day(_shift(day, years, months)).isoformat())
        return fmt_date(_shift(day, -years, -months).isoformat())
    if kind == "doc":
        if arg not in policy.documents:
            raise KeyError(f"policy.json 中没有文件 “{arg}”")
        return policy.cite_document(arg)
    if kind in ("years", "since"):
        # {{ years:FROM[>TARGET] }} and {{ since:FROM[>TARGET]:DATE }}: one Tianjin route.
        spec, _, day_text = arg.partition(":")
        origin, _, target = spec.partition(">")
        routes = [
            r for r in policy.titles["routes"]
            if r["from"] == origin and (not target or target in (r["target"], r["target_text"])) and r["years"]
        ]
        if len(routes) != 1:
            raise KeyError(f"policy.titles 中没有唯一一条带年限的对应关系 “{spec}”(找到 {len(routes)} 条)")
        years = routes[0]["years"]
        if kind == "years":
            return str(years)
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            raise KeyError(f"“{day_text}” 不是 YYYY-MM-DD 格式的日期") from None
        return fmt_date(_shift(day, years).isoformat())
    if kind == "docfield":
        name, _, field = arg.partition(".")
        value = policy.documents.get(name, {}).get(field)
        if not value:
            raise KeyError(f"policy.json 中没有文件字段 “{arg}”")
        return value
    if kind == "note" and arg == "periods":
        depth = _state.get("page_src", "").count("/")
        link = "../" * depth + "sources.md#periods"
        return (
            '!!! info "日期怎么算"\n'
            "    本站按《中华人民共和国民法典》第二百零一条、第二百零二条计算期间:开始的当日不计入,"
            "自下一日起算;到期月的对应日为最后一日,没有对应日的(如2月29日),以该月最后一天为最后一日。"
            "按第二百零三条,最后一日是法定休假日的,以休假日结束的次日为最后一日:本站用国务院公布的"
            "节假日安排(含调休)判断工作日,尚未公布安排的年份无法确定。"
            f"文件没有写明期限从哪天算到哪天,这是本站的读法,详见[依据与来源]({link})。"
        )
    if kind == "date":
        try:
            dt.date.fromisoformat(arg)
        except ValueError:
            raise KeyError(f"“{arg}” 不是 YYYY-MM-DD 格式的日期") from None
        return fmt_date(arg)
    if kind == "titles":
        return _titles_table(policy, arg)
    if kind == "series":
        series = policy.titles["skill_series"]
        if arg == "list":
            return "、".join(series)
        if arg == "count":
            return str(len(series))
        raise KeyError(f"series 只支持 list 或 count,不支持 “{arg}”")
    if kind == "documents" and arg == "table":
        return _documents_table(policy)
    raise KeyError(f"未知的标记类型 “{kind}”")


def on_page_markdown(markdown, page, config, files, **kwargs):
    src = page.file.src_uri
    _state["page_src"] = src
    markdown, _state["figures"][src] = _take_diagrams(markdown, src, Path(config.docs_dir))

    def replace(m: re.Match) -> str:
        try:
            return render_marker(m.group(1), m.group(2))
        except (KeyError, ValueError) as exc:
            msg = exc.args[0] if exc.args else str(exc)
            raise PluginError(f"{src}: 标记 {m.group(0)} 无法替换:{msg}") from None

    markdown = MARKER.sub(replace, markdown)
    if re.search(r"\{\{[^{}]*\}\}", markdown):
        raise PluginError(f"{src}: 有未能识别的标记 {{{{ … }}}},请检查写法")

    if not src.startswith("calculator/") and "last_checked" not in page.meta:
        raise PluginError(f"{src}: 页面缺少 front matter 中的 last_checked(最后核对日期)")

    return markdown


def on_page_content(html, page, config, files, **kwargs):
    """Each diagram's figure in the place of its placeholder paragraph."""
    for key, figure in _state["figures"].pop(page.file.src_uri, {}).items():
        html, n = re.subn(rf"<p>\s*{key}\s*</p>|{key}", lambda _: figure, html, count=1)
        if n != 1:
            raise PluginError(f"{page.file.src_uri}: 流程图的位置在 Markdown 转换后找不到了({key})")
    return html


# mkdocs-material 9.8's search worker splits a Chinese query into words it finds in the
# index, but its loop never tries the whole query (``o<t.length``): 三区计划 becomes
# 三* 区* 计* as soon as 三 is a word somewhere, and the page about 三区计划 is lost.
# Let the loop reach the end of the query, so a whole word in the index stays whole.
SEGMENT_LOOP_OLD = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
SEGMENT_LOOP_NEW = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def _patch_search_worker(site_dir: Path) -> None:
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return  # no search plugin
    for worker in workers:
        text = worker.read_text(encoding="utf-8")
        if SEGMENT_LOOP_NEW in text:
            continue
        if text.count(SEGMENT_LOOP_OLD) != 1:
            raise PluginError(
                f"policy 钩子:{worker.name} 中找不到要修正的中文查询分词循环;"
                "主题升级后请检查 overrides/hooks/policy.py 里的 SEGMENT_LOOP_OLD"
            )
        worker.write_text(text.replace(SEGMENT_LOOP_OLD, SEGMENT_LOOP_NEW), encoding="utf-8")


@event_priority(100)  # before the calculator hook fingerprints the built files
def on_post_build(config, **kwargs):
    _patch_search_worker(Path(config.site_dir))
