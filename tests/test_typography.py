"""Chinese typography of the guides, checked by a maintained linter: autocorrect
(PyPI autocorrect-py), configured by the repository's .autocorrectrc.

Chinese running text uses full-width punctuation (，：；？！). The linter's Markdown
parser leaves code, link targets, URLs and HTML alone; the rules that the project does
not follow (spaces between Chinese and numbers) are switched off in .autocorrectrc,
with the reason. The calculator's pages (docs/calculator/) belong to the calculator
work and are not checked here yet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

autocorrect = pytest.importorskip("autocorrect_py")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [p for p in sorted(DOCS.rglob("*.md")) if "calculator" not in p.relative_to(DOCS).parts]


@pytest.fixture(scope="module", autouse=True)
def config():
    autocorrect.load_config((ROOT / ".autocorrectrc").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_chinese_text_uses_full_width_punctuation(page):
    result = autocorrect.lint_for(page.read_text(encoding="utf-8"), str(page))
    problems = [f"第{line.line}行:“{line.old}” → “{line.new}”" for line in result.lines]
    assert not problems, f"{page.relative_to(ROOT)} 的标点:\n" + "\n".join(problems)


def test_the_lint_catches_half_width_punctuation_and_keeps_the_exceptions():
    """The configuration is live: a half-width comma in Chinese text is an error, while
    code, a URL and a marker are left alone and no space is asked for."""
    bad = autocorrect.lint_for("通过考试后,尽早登记?\n", "x.md")
    assert [line.new for line in bad.lines] == ["通过考试后，尽早登记？"]
    good = (
        "登记有效期3年，照片不超过500KB。\n\n"
        "见 `calculator/shegong/policy.json` 和 <https://shgz.mca.gov.cn/SWMS/LEAP/swmss/index.html#/index>。\n\n"
        "[计算器](../calculator/training.md?level=社会工作师&period_start=2023-03-15)\n"
    )
    assert autocorrect.lint_for(good, "x.md").lines == []


# --- the calculator's own text --------------------------------------------------------
# What the rules, the forms, the page scripts and the theme's page frame say to a reader: the same full-width
# punctuation as the guides. autocorrect reads code too, but turns 「」 and 。 after a
# placeholder into ASCII, so the calculator's files are checked by this narrower rule:
# a half-width , : ; ? ! touching a Chinese character, not followed by a space (English
# comments, YAML keys), outside `code`, {{ markers }} and raw-string regular expressions.
# policy.json's quoted "text" is left as quoted.
CJK = "\u4e00-\u9fff\u3001\u3002\u300a-\u300f\uff08\uff09\u201c\u201d\u3014\u3015"
HALF_WIDTH = re.compile(rf"(?<=[{CJK}])[,:;?!](?!\s|$)|[,:;?!](?=[{CJK}])")
CALCULATOR_TEXT = sorted(
    [*(ROOT / "calculator" / "shegong").glob("*.py"), *(ROOT / "docs" / "assets" / "calculator").glob("*.*js"),
     *(ROOT / "docs" / "assets" / "calculator").glob("*.css"),
     *(DOCS / "calculator").glob("*.md"), ROOT / "sitebuild" / "calculator_forms.py",
     ROOT / "sitebuild" / "node" / "sw.template.js", ROOT / "overrides" / "main.html"])


def half_width(path: Path) -> list[str]:
    keep = r"\{\{.*?\}\}" if path.suffix in (".js", ".mjs") else r"``.*?``|`[^`\n]*`|\{\{.*?\}\}"
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(r"\br[\"']", line):
            continue
        if HALF_WIDTH.search(re.sub(keep, "", line)):
            found.append(f"第{n}行:{line.strip()[:60]}")
    return found


@pytest.mark.parametrize("path", CALCULATOR_TEXT, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_calculator_text_uses_full_width_punctuation(path):
    assert half_width(path) == []


def test_the_calculator_text_check_finds_half_width_and_leaves_code_alone(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text('MSG = "期限顺延,以当年公布的安排为准"\nOK = "第二百零一条: the first day"\n'
                   'RE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?\\Z")\n', encoding="utf-8")
    assert [f.split(":", 1)[0] for f in half_width(bad)] == ["第1行"]


# --- brackets and ranges in what the rules say ------------------------------------------
# A half-width ( ) touching a Chinese character, or a range written 2-3个月, in the string
# literals of the rules (not comments or docstrings, which are for maintainers), in the
# calculator's pages, and in policy.json's own wording. Quoted policy text (a value's
# "text" from a document, a route's "original", a note's "quote") stays as quoted, and
# research notes (note, article_note, text_from, research) are for the 依据 pages only.
BRACKET = re.compile(rf"(?<=[{CJK}])[()]|(?<!\])\((?=[{CJK}])|\)(?=[{CJK}])")
RANGE = re.compile(r"(?<![\d-])(?:\d{1,3}|\{[^{}]*\})-(?:\d{1,3}|\{[^{}]*\})(?=[个天年小周日月次])")
SHEGONG = ROOT / "calculator" / "shegong"
# A route's "conditional" is the notice's own words, cut from its text: quoted, not checked.
POLICY_OWN_WORDS = ("label", "cite_as", "caveat", "route_text", "target_text", "prerequisite")


def python_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module with their lines: not docstrings, not raw strings
    (regular expressions), and an f-string's literal parts joined with ``{}``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs | parts:
            text = node.value
        else:
            continue
        if re.match(r"[rR]", lines[node.lineno - 1][node.col_offset:][:1] or ""):
            continue
        out.append((node.lineno, text))
    return out


def bracket_problems(items: list[tuple[int | str, str]]) -> list[str]:
    link = re.compile(r"\]\([^)]*\)")  # a Markdown link's target is an address, not text
    return [f"{where}:{text[:60]}" for where, text in items
            if BRACKET.search(link.sub("]", text)) or RANGE.search(text)]


def markdown_lines(path: Path) -> list[tuple[int, str]]:
    keep = r"``.*?``|`[^`\n]*`|\{\{.*?\}\}"
    return [(n, re.sub(keep, "", line)) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]


def policy_own_words(data: dict) -> list[tuple[str, str]]:
    """policy.json's own wording: labels, citations, caveats, route wording, notes' text,
    and the text of values no document gives (the site's own choices and conventions)."""
    own_docs = {None} | {name for name, d in data["documents"].items() if d.get("cite_as") and not d["title"]}
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, str) and (k in POLICY_OWN_WORDS or (k == "text" and node.get("document", "-") in own_docs)):
                    found.append((f"{where}.{k}", v))
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk({k: v for k, v in data.items() if k != "notes"}, "policy")
    found += [(f"notes.{k}.text", n["text"]) for k, n in data["notes"].items() if isinstance(n, dict)]
    return found


@pytest.mark.parametrize("path", sorted(SHEGONG.glob("*.py")), ids=lambda p: p.name)
def test_the_rules_text_uses_full_width_brackets_and_ranges(path):
    assert bracket_problems(python_strings(path)) == []


@pytest.mark.parametrize("path", sorted((DOCS / "calculator").glob("*.md")), ids=lambda p: p.name)
def test_the_calculator_pages_use_full_width_brackets(path):
    assert bracket_problems(markdown_lines(path)) == []


def test_the_policy_data_own_words_use_full_width_brackets():
    import json

    data = json.loads((SHEGONG / "policy.json").read_text(encoding="utf-8"))
    assert bracket_problems(policy_own_words(data)) == []


def test_the_bracket_check_finds_our_text_and_leaves_code_quotes_and_links_alone(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text('"""A docstring (README, 哪一天的规定) is for maintainers."""\n'
                   'A = f"登记有效期({span})已经结束。"\n'
                   'B = "纸质证书在成绩发布后2-3个月左右"\n'
                   'C = f"{months_min}-{months_max}个月"\n'
                   'D = "见[计算器](../registration/)。"\n'
                   'E = "国家标准 GB 11643-1999（公民身份号码）"\n'
                   'F = re.compile(r"第(\\d+)行")\n'
                   '# a comment (见下) is not shown\n', encoding="utf-8")
    assert [p.split(":", 1)[0] for p in bracket_problems(python_strings(bad))] == ["2", "3", "4"]
    page = tmp_path / "x.md"
    page.write_text("职称(天津)\n[登记](registration.md)和 `calc(x)` 与 {{ cite:a(b) }}\n", encoding="utf-8")
    assert [p.split(":", 1)[0] for p in bracket_problems(markdown_lines(page))] == ["1"]
    data = {"documents": {"own": {"title": "", "cite_as": "常见规格（以系统为准）"}},
            "parameters": {"k": {"label": "目标大小(百分比)", "values": [
                {"document": "own", "text": "通常尺寸;原文(没有)"}, {"document": "doc", "text": "按(原文)引用"}]}},
            "notes": {"about": "English", "n": {"text": "请询问(当地)", "quote": "原文(照录)"}}}
    assert [p.split(":", 1)[0] for p in bracket_problems(policy_own_words(data))] == \
        ["policy.parameters.k.label", "policy.parameters.k.values[0].text", "notes.n.text"]
