"""The declared tools in the site: each tool's form, its entry in the nav, and its row in
the calculators' overview, all from the questions its rules module declares
(``QUESTIONS``, see ``shegong.questions``).

``{{ form:TOOL }}`` in a calculator page becomes the tool's form.  The page keeps only its
text and, in its front matter, the guides it points to (``guides: {名称: path/to/page.md}``)
and the line the overview shows (``overview:``).  ``{{ form:overview }}`` in
calculator/index.md is the table of all tools.

Hints keep their ``{{ pu:KEY }}`` markers: the guides hook (sitebuild.markers) fills them
in after this, from the same policy data, as in every other page.

What the form's script needs from the declaration is on the form as ``data-form`` (the
fields, the ones a link may fill in, the values after 清除数据, the required ones) and on
a control as ``data-aliases`` (other spellings a link may use, such as ``level=assistant``).
"""

from __future__ import annotations

import html
import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from mkdocs.utils.meta import get_data

from sitebuild import markers

MARKER = re.compile(r"\{\{\s*form\s*:\s*([a-z_]+)\s*\}\}")
INDEX = "calculator/index.md"
OVERVIEW = "overview"
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
# {verb}: what the reader can do while the engine loads (填写表格, or 选择文件 on a form of a file).
STATUS = ('<div id="sg-status" class="sg-status" role="status"><span class="sg-status-text">'
          "正在加载计算引擎……现在就可以{verb}。</span> <progress aria-label=\"计算引擎下载进度\"></progress></div>")
PRIVACY = "你填写的内容只保存在这台设备的浏览器里，不会发送到任何地方；点“清除数据”即可删除。"
# The training records: a table whose rows the page's script builds (training.mjs).
RECORD_COLUMNS = ("序号", "形式", "日期", "学时", "结果", "已审核通过", "计入")


class FormError(Exception):
    pass


@dataclass
class Tools:
    """The declared questions of one checkout's rules package, and its policy data."""

    questions: Mapping[str, Any]
    policy: Any
    min_year: int
    max_year: int


def load(root: Path) -> Tools:
    """The rules package beside ``root``'s mkdocs.yml (as the guides' markers load it)."""
    rules = markers.load_rules(root)
    api = importlib.import_module("shegong.api")
    inputs = importlib.import_module("shegong.inputs")
    return Tools(api.PAGES, rules.policy, inputs.MIN_YEAR, inputs.MAX_YEAR)


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _hint(text: str) -> str:
    """A declared hint as HTML: escaped, with its [text](url) links."""
    return _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', _e(text))


def _guide_links(guides: Mapping[str, str], page_url: str) -> str:
    up = "../" * page_url.count("/")
    links = []
    for title, path in guides.items():
        url = re.sub(r"(^|/)index\.md$", r"\1", path)
        url = url[:-3] + "/" if url.endswith(".md") else url
        links.append(f'<a href="{up}{_e(url)}">{_e(title)}</a>')
    return "、".join(links)


def _control(f: Any, tools: Tools, required: bool) -> str:
    ident = f"sg-{f.name}"
    attrs = f'id="{ident}" name="{_e(f.name)}" aria-describedby="{ident}-hint {ident}-error"' + (" required" if required else "")
    if not f.saved and f.kind not in ("boolean", "file"):
        # Neither the browser's autofill history nor an online spelling service sees it.
        attrs += ' autocomplete="off" spellcheck="false" data-unsaved=""'
    choices = () if f.kind == "file" else f.options(tools.policy)
    if choices:
        # A required choice opens on an empty placeholder, so nothing is chosen for the
        # reader (and HTML wants a required select's first option empty).
        blank = f.blank or ("请选择" if required else None)
        options = (f'<option value="">{_e(blank)}</option>' if blank else "") + "".join(
            f'<option value="{_e(c)}">{_e(c)}</option>' for c in choices)
        aliases = f" data-aliases=\"{_e(json.dumps(dict(f.aliases), ensure_ascii=False))}\"" if f.aliases else ""
        return f"<select {attrs}{aliases}>\n{options}\n</select>"
    if f.kind == "date":
        return f'<input type="date" {attrs} min="{tools.min_year}-01-01" max="{tools.max_year}-12-31">'
    if f.kind == "datetime":
        return f'<input type="datetime-local" {attrs} min="{tools.min_year}-01-01T00:00" max="{tools.max_year}-12-31T23:59">'
    if f.kind == "file":
        # A file's accepted types are its choices; it is read on the device (never sent).
        return f'<input type="file" {attrs} accept="{_e(",".join(f.options(tools.policy)))}">'
    if f.kind == "boolean":
        return f'<input type="checkbox" {attrs}>'
    off = "" if not f.saved else ' autocomplete="off"'
    if f.kind == "integer":
        return f'<input type="text" inputmode="numeric"{off} {attrs}>'
    if f.kind == "text":
        return f'<input type="text"{off} {attrs}>'
    raise FormError(f"表单不支持「{f.label}」（{f.name}）的类型 {f.kind}")


def _privacy(shown: list[Any], own: str = "") -> str:
    if own:
        return _e(own)
    unsaved = [f"「{_e(f.label)}」" for f in shown if not f.saved]
    if not unsaved:
        return PRIVACY
    if len(unsaved) == len(shown):
        return "你填写的内容只在这台设备上使用，不保存，也不发送到任何地方；刷新或关闭页面后就不在了。"
    return PRIVACY + f"其中{'、'.join(unsaved)}不保存：只在这台设备上使用，刷新或关闭页面后就不在了。"


def _field(f: Any, tools: Tools, required: bool) -> str:
    if f.kind == "records":
        return _records(f)
    if f.kind == "dates":
        return _dates(f, tools)
    if f.kind == "boolean":
        return _check(f, tools)
    ident = f"sg-{f.name}"
    optional = "" if required or f.more else "（可不填）"
    return "\n".join([
        '<div class="sg-field">',
        f'<label for="{ident}">{_e(f.label)}{optional}</label>',
        _control(f, tools, required),
        f'<p class="sg-hint" id="{ident}-hint">{_hint(f.hint)}</p>',
        f'<p class="sg-error" data-error-for="{_e(f.name)}" id="{ident}-error" hidden></p>',
        "</div>",
    ])


def _check(f: Any, tools: Tools) -> str:
    """A yes/no: the box before its label, and its hint and error slot below."""
    ident = f"sg-{f.name}"
    return "\n".join([
        '<div class="sg-field sg-check">',
        _control(f, tools, False),
        f'<label for="{ident}">{_e(f.label)}</label>',
        f'<p class="sg-hint" id="{ident}-hint"{"" if f.hint else " hidden"}>{_hint(f.hint)}</p>',
        f'<p class="sg-error" data-error-for="{_e(f.name)}" id="{ident}-error" hidden></p>',
        "</div>",
    ])


def _records(f: Any) -> str:
    heads = "".join(f'<th scope="col">{c}</th>' for c in RECORD_COLUMNS)
    return "\n".join([
        '<fieldset class="sg-records">',
        f"<legend>{_e(f.label)}</legend>",
        f'<p class="sg-hint" id="sg-{f.name}-hint">{_hint(f.hint)}</p>',
        '<table class="sg-records-table">',
        f'<thead><tr>{heads}<th scope="col"><span class="sg-visually-hidden">操作</span></th></tr></thead>',
        f'<tbody id="sg-{f.name}-body"></tbody>',
        "</table>",
        f'<p class="sg-error" data-error-for="{_e(f.name)}" id="sg-{f.name}-error" hidden></p>',
        '<button type="button" id="sg-add-record" class="md-button">添加一条记录</button>',
        "</fieldset>",
    ])


def _dates(f: Any, tools: Tools) -> str:
    """A list of dates: one date input per item, which the page's script adds and removes
    (plan.mjs); the list's own error slot takes what is wrong with it as a whole."""
    return "\n".join([
        f'<fieldset class="sg-records sg-date-list" data-min="{tools.min_year}-01-01" data-max="{tools.max_year}-12-31">',
        f"<legend>{_e(f.label)}（可不填）</legend>",
        f'<p class="sg-hint" id="sg-{f.name}-hint">{_hint(f.hint)}</p>',
        f'<ul id="sg-{f.name}-body" class="sg-date-items"></ul>',
        f'<p class="sg-error" data-error-for="{_e(f.name)}" id="sg-{f.name}-error" hidden></p>',
        f'<button type="button" id="sg-add-{f.name}" class="md-button">添加一个日期</button>',
        "</fieldset>",
    ])


# Kinds whose value is a list, with their own controls: not simple fields of the form.
LISTS = ("records", "dates")


def _form_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A declared example record as the records table holds it: one yes/no for the kind's condition."""
    condition = next((v for k, v in record.items() if isinstance(v, bool) and k != "approved"), True)
    hours = record.get("hours")
    return {"kind": record["kind"], "date": record.get("date", ""), "hours": "" if hours is None else str(hours),
            "status": condition, "approved": record.get("approved", True)}


def _form_values(q: Any, example: Mapping[str, Any]) -> dict[str, Any]:
    """An example request as the form's values: every shown field, empty where the example says nothing."""
    out: dict[str, Any] = {}
    for f in q.fields:
        if not f.form:
            continue
        if f.kind == "records":
            out[f.name] = [_form_record(r) for r in example.get(f.name, [])]
        elif f.kind == "dates":
            out[f.name] = list(example.get(f.name, []))
        else:
            out[f.name] = str(example.get(f.name, f.default))
    return out


def render_form(tool: str, tools: Tools, guides: Mapping[str, str], page_url: str) -> str:
    if tool not in tools.questions:
        raise FormError(f"没有计算器 “{tool}”（可用：{'、'.join(tools.questions)}）")
    q = tools.questions[tool]
    if not guides:
        raise FormError("页面的 front matter 缺少 guides（不开启 JavaScript 时指向的指南页面）")
    required = set(q.form_required())
    shown = [f for f in q.fields if f.form]
    main = [_field(f, tools, f.name in required) for f in shown if not f.more]
    more = [_field(f, tools, f.name in required) for f in shown if f.more]
    simple = [f for f in shown if f.kind not in LISTS]
    spec = {
        "fields": [f.name for f in simple],
        # A link never carries a value the page must not keep.
        "params": [f.name for f in simple if not f.more and f.saved and f.kind != "file"],
        "empty": {f.name: f.default for f in simple},
        "required": [f.name for f in shown if f.name in required],
        # "At least one of" (or "one of"): a required field of the group is there when any of it is.
        "group": [n for n in (q.any_of or q.one_of) if n in {f.name for f in shown}],
        "unsaved": [f.name for f in shown if not f.saved],
    }
    # A form of a file computes when the file is chosen: no 计算 button.
    files = any(f.kind == "file" for f in shown)
    links = _guide_links(guides, page_url)
    parts = [
        f'<div class="sg-calc" data-tool="{_e(tool)}">',
        f'<noscript><p class="sg-noscript">计算器需要开启 JavaScript 才能使用。不开启也可以直接阅读指南：{links}。</p></noscript>',
        STATUS.format(verb="选择文件" if files else "填写表格"),
        f'<p id="sg-guides" class="sg-guides" hidden>可以先阅读指南：{links}。</p>',
        f'<form id="sg-form" class="sg-form" novalidate aria-label="{_e(q.title)}计算" '
        f'data-form="{_e(json.dumps(spec, ensure_ascii=False))}">',
        '<p class="sg-form-error" role="alert" hidden></p>',
        *main,
    ]
    if more:
        parts += ['<details class="sg-more">', f"<summary>{_e(q.more or '更多选项（可选）')}</summary>", *more, "</details>"]
    parts += _examples(q)
    parts += [
        '<div class="sg-actions">',
        "" if files else '<button type="submit" class="md-button md-button--primary">计算</button>',
        '<button type="button" id="sg-clear" class="md-button">清除数据</button>',
        "</div>",
        '<p id="sg-cleared" class="sg-hint" role="status" hidden></p>',
        "</form>",
        '<p id="sg-answer" class="sg-live" aria-live="polite" aria-atomic="true"></p>',
        '<section id="sg-result" class="sg-result" aria-labelledby="sg-result-title"></section>',
        '<p id="sg-offline" class="sg-offline" role="status" hidden></p>',
        f'<p class="sg-privacy">{_privacy(shown, q.page.privacy)}</p>',
        "</div>",
    ]
    return "\n".join(p for p in parts if p)


def _examples(q: Any) -> list[str]:
    """The 填入示例 buttons, each with its example as the form's values; none without examples."""
    if not q.examples:
        return []
    return ['<div class="sg-examples"><span>填入示例：</span>', *(
        f'<button type="button" class="md-button" data-example="{_e(json.dumps(_form_values(q, ex), ensure_ascii=False))}">'
        f"{_e(label)}</button>"
        for label, ex in q.examples), "</div>"]


def overview(tools: Tools, docs_dir: Path) -> str:
    """The calculators as a table: each tool's name (its title) and its page's ``overview`` line."""
    lines = ["| 计算器 | 算什么 |", "| --- | --- |"]
    for tool, q in tools.questions.items():
        page = docs_dir / "calculator" / f"{tool}.md"
        if not page.is_file():
            raise FormError(f"计算器 “{tool}” 没有页面 calculator/{tool}.md")
        meta = get_data(page.read_text(encoding="utf-8"))[1]
        lines.append(f"| [{q.title}]({tool}.md) | {meta.get('overview') or meta.get('description', '')} |")
    return "\n".join(lines)


def fill_nav(nav: list, tools: Tools) -> None:
    """The 计算器 section of the nav: the overview page, then one entry per declared tool."""
    for section in nav:
        for title, children in (section.items() if isinstance(section, dict) else ()):
            if isinstance(children, list) and INDEX in children:
                # Pages listed after the tools' stay, after them.
                tool_pages = {f"calculator/{tool}.md" for tool in tools.questions}
                rest = [c for c in children if c != INDEX and not (isinstance(c, dict) and set(c.values()) <= tool_pages)]
                section[title] = [INDEX] + [{q.title: f"calculator/{tool}.md"} for tool, q in tools.questions.items()] + rest
                return
    raise FormError(f"mkdocs.yml 的 nav 里没有 {INDEX}：计算器的页面要放在它所在的那一节")


def render(markdown: str, tools: Tools, src: str, page_url: str, meta: Mapping[str, Any], docs_dir: Path) -> str:
    """The page with its form marker replaced; a page has at most one."""
    found = MARKER.findall(markdown)
    if len(found) > 1:
        raise FormError(f"{src}: 一个页面只能有一个计算器表单标记")
    if not found:
        return markdown
    try:
        if found[0] == OVERVIEW:
            out = overview(tools, docs_dir)
        else:
            out = render_form(found[0], tools, meta.get("guides") or {}, page_url)
    except FormError as exc:
        raise FormError(f"{src}: 标记 {{{{ form:{found[0]} }}}} 无法生成：{exc}") from None
    return MARKER.sub(lambda _m: out, markdown)
