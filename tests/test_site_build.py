"""The guide site builds cleanly, and every rule value in it comes from policy.json.

``make test`` builds site/ with ``mkdocs build --strict`` (a warning fails it); these
tests read that build, the shared build of a copy whose policy data is changed
(``changed_site`` in conftest.py), and build copies that must fail.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import subprocess
import sys

import pytest

from sitebuild import diagrams
from support.build import (APPENDED, EDIT_BASE, NEW_CITATION, NEW_DOCUMENT, OLD_CITATION, POLICY_CHANGES, ROOT, ROUTE_YEARS,
                           build, copy_project, text)

# Every page, the calculator pages too; and the code that writes what the calculator shows.
PAGES = sorted((ROOT / "docs").rglob("*.md"))
CODE = sorted(
    [*(ROOT / "docs" / "assets" / "calculator").glob("*.mjs"), *(ROOT / "docs" / "assets" / "calculator").glob("*.js"),
     *(ROOT / "overrides" / "hooks").glob("*.py"), *(ROOT / "sitebuild").rglob("*.py"), *(ROOT / "sitebuild").rglob("*.mjs")]
)
MARKER = re.compile(r"\{\{[^{}]*\}\}")


def test_make_builds_the_site_strictly():
    """What `make test` built the tested site with: a warning would have failed it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^site:.*\n\t.*mkdocs build --strict", makefile, re.M)


def test_a_changed_policy_value_changes_the_pages(site_dir, changed_site):
    site, _url = changed_site
    before = text(site_dir / "registration" / "index.html")
    assert "每3年" in before and "每7年" not in before
    assert POLICY_CHANGES["registration.validity_years"] == 7 and POLICY_CHANGES["registration.first_window_years"] == 2

    reg = text(site / "registration" / "index.html")
    assert "每7年" in reg and "每3年" not in reg
    assert "登记有效期 7年" in reg
    # The worked example follows the new window: 2024-09-10 + 2 years.
    assert "首次登记的最后一日是 2026年9月10日" in reg

    training = text(site / "registration" / "continuing-education" / "index.html")
    assert "社会工作师 64小时 高级社会工作师 90小时" in training  # the table's rows
    assert "社会工作师、高级社会工作师不少于64小时" in training
    assert "社会工作师、高级社会工作师不少于90小时" in text(site_dir / "registration" / "continuing-education" / "index.html")

    skills = text(site / "titles" / "skills" / "index.html")
    assert ROUTE_YEARS == ("技师", 6)
    assert "满6年" in skills
    assert "2027年7月1日" in skills  # 2021-07-01 + 6 years

    glossary = text(site / "glossary" / "index.html")
    assert "为7年" in glossary

    # The calculator pages too: their text, and the hints of forms rendered from the declarations.
    calc = text(site / "calculator" / "registration" / "index.html")
    assert "首次登记要在此后2年内办理" in calc and "首次登记要在此后1年内办理" in text(site_dir / "calculator" / "registration" / "index.html")
    calc = text(site / "calculator" / "training" / "index.html")
    assert "每个登记有效期（7年）内" in calc and "留空就按开始日期加7年计算" in calc
    assert "社会工作师每期64小时" in calc
    assert "助理社会工作师每期80小时（自2026年1月1日起；此前为72小时，依据" in calc


def test_the_contributing_walkthrough(changed_project, changed_site, browser):
    """CONTRIBUTING's 修改一个政策数值, done on a copy: a value appended from a new document.
    The guide page, the in-browser calculator and the CLI show the new value from its
    date with the new document, and the old value with the old document before it."""
    site, url = changed_site
    key, entry = APPENDED
    assert (key, entry["from"], entry["value"], entry["document"]) == (
        "training.required_hours.助理社会工作师", "2026-01-01", 80, NEW_DOCUMENT[0])
    guide = text(site / "registration" / "continuing-education" / "index.html")
    # The value in force, from when, and the old value with its own document.
    assert f"80小时（自2026年1月1日起；此前为72小时，依据{OLD_CITATION}）" in guide
    assert f"{NEW_CITATION}（自2026年1月1日起；此前为{OLD_CITATION}）" in guide
    sources = text(site / "sources" / "index.html")
    assert f"助理社会工作师继续教育 80小时（自2026年1月1日起；此前为72小时，依据{OLD_CITATION}）" in sources
    assert f"{NEW_CITATION}（自2026年1月1日起；此前为{OLD_CITATION}）" in sources
    assert "《测试用的继续教育新文件》" in sources.split("每个数字的出处")[0]  # the documents table
    # A value from the same document as before still cites only that document.
    assert "社会工作师继续教育 64小时 2009年9月（文件日期，只知道月份） 《社会工作者继续教育办法》（民发〔2009〕123号）第七条 " in sources
    # Every page's 纠错 link goes to its own source file.
    html = (site / "registration" / "continuing-education" / "index.html").read_text(encoding="utf-8")
    assert f'href="{EDIT_BASE}registration/continuing-education.md"' in html

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(url + "calculator/training/")
    ask = """(start) => window.shegongCalculator.evaluate(
        {tool: 'training', level: '助理社会工作师', period_start: start, records: []})"""
    browser_answers = {start: page.evaluate(ask, start) for start in ("2025-12-31", "2026-01-01")}
    ctx.close()

    def cli(start: str) -> dict:
        proc = subprocess.run(
            [sys.executable, "-m", "shegong", "training", "--level", "助理社会工作师", "--period-start", start, "--json"],
            cwd=changed_project / "calculator", env={**os.environ, "PYTHONPATH": str(changed_project / "calculator")},
            capture_output=True, text=True, timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    for answers in (browser_answers, {start: cli(start) for start in browser_answers}):
        before, on = answers["2025-12-31"], answers["2026-01-01"]
        source = {day: next(s["source"] for s in r["explanation"] if s.get("parameter") == key) for day, r in answers.items()}
        assert before["ok"] and before["required_hours"] == 72  # the rule then in force
        assert source["2025-12-31"].startswith(OLD_CITATION) and NEW_CITATION not in source["2025-12-31"]
        assert on["ok"] and on["required_hours"] == 80
        assert source["2026-01-01"].startswith(NEW_CITATION) and OLD_CITATION not in source["2026-01-01"]


@pytest.mark.slow
def test_an_unknown_policy_key_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "repo")
    page = project / "docs" / "faq.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n有效期{{ p:registration.no_such_key }}\n", encoding="utf-8"
    )
    res = build(project, tmp_path / "site")
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "faq.md" in out and "registration.no_such_key" in out and "policy.json 中没有参数" in out


def test_every_diagram_has_its_committed_svg():
    """Each ```mermaid fence has its SVG in docs/assets/diagrams/ and no SVG is left over
    (``make diagrams`` writes them; this only checks, without a browser)."""
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_diagrams.py"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_mermaid_fences_are_found_as_markdown_reads_them():
    """The build and scripts/render_diagrams.py find the same fences: indented ones (in a
    list) by their body without the indentation, ~~~ ones, and not an example inside
    another fence."""
    page = "\n".join([
        "1. 步骤",
        "",
        "    ```mermaid",
        "    flowchart TD",
        "        A --> B   ",
        "    ```",
        "",
        "````markdown",
        "```mermaid",
        "flowchart TD",
        "    X --> Y",
        "```",
        "````",
        "",
        "~~~ mermaid",
        "flowchart LR",
        "    C --> D",
        "~~~",
    ])
    fences = diagrams.mermaid_fences(page)
    assert [(f["line"], f["indent"], f["body"]) for f in fences] == [
        (3, "    ", "flowchart TD\n    A --> B\n"),
        (15, "", "flowchart LR\n    C --> D\n"),
    ]
    assert diagrams.diagram_name(fences[0]["body"]) == diagrams.diagram_name("flowchart TD\n    A --> B\n")
    assert len(diagrams.diagram_name(fences[0]["body"])) == 16


@pytest.mark.slow
def test_a_diagram_without_its_svg_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "repo")
    svgs = sorted((project / "docs" / "assets" / "diagrams").glob("*.svg"))
    assert svgs
    for svg in svgs:
        svg.unlink()
    res = build(project, tmp_path / "site")
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "registration/first.md" in out and svgs[0].name in out and "请运行 make diagrams" in out, out


# A value from the rules typed into a page would not follow policy.json: forbid them.
LITERAL_RULE_VALUES = [
    (re.compile(r"(?<![\d〔])[1-9]\s*年"), "N年 (登记期限或职称年限)"),
    (re.compile(r"(?<!\d)\d+\s*个月"), "N个月"),
    (re.compile(r"(?<!\d)\d+\s*小时"), "N小时"),
    (re.compile(r"(?<!\d)\d+\s*天"), "N天"),
    (re.compile(r"(?<!\d)(72|90|24)(?!\d)"), "学时或加注的数值"),
    (re.compile(r"(2021年12月17日|2024年1月1日|2009年4月8日)"), "施行日期"),
    (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"), "日期(例子请用 {{ date:… }} 和 {{ add:… }})"),
    (re.compile(r"津人社办发"), "被废止的天津文件(用 {{ docfield:tianjin_titles.replaces }})"),
]


def _literal_rule_values(text: str) -> list[str]:
    return [f"{what}: “{m.group(0)}”" for pattern, what in LITERAL_RULE_VALUES for m in pattern.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_rule_values_are_written_through_markers(page):
    text = MARKER.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"\]\([^)]*\)", "]()", text)  # link targets hold example inputs
    found = _literal_rule_values(text)
    assert not found, f"{page.name} 里直接写了规则数值,请改用标记:{found}"


def _strings(path) -> str:
    """What code can show a reader: its string literals (Python) or its text without comments
    (JavaScript).  Comments and docstrings may give examples; they are never shown."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        tree = ast.parse(source)
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        return "\n".join(n.value for n in ast.walk(tree)
                         if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings)
    source = re.sub(r"/\*[\s\S]*?\*/", "", source)
    return re.sub(r"(?<![:\\])//.*", "", source)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_calculator_code_has_no_rule_values(path):
    """The calculator's scripts, the hooks and the build: numbers come from the data, rendered
    at build time or taken from the response."""
    found = _literal_rule_values(MARKER.sub("", _strings(path)))
    assert not found, f"{path.relative_to(ROOT)} 里直接写了规则数值,请从 policy.json 或计算结果取得:{found}"


def test_the_calculator_forms_come_from_the_declarations(site_dir):
    """A tool's form is rendered from its declared questions, with the hints' rule values
    from policy.json; the command line's help says the same."""
    from shegong import api, cli
    from shegong.policy import load

    policy = load()
    for tool, q in api.QUESTIONS.items():
        html = text(site_dir / "calculator" / tool / "index.html")
        page = (site_dir / "calculator" / tool / "index.html").read_text(encoding="utf-8")
        assert page.count('id="sg-form"') == 1 and "{{" not in page
        for f in q.fields:
            assert (f'id="sg-{f.name}"' in page or f'id="sg-{f.name}-body"' in page) == f.form, (tool, f.name)
        assert [label in html for label, _ex in q.examples] == [True] * len(q.examples)
    years = policy.value("registration.first_window_years")
    hint = f"首次登记要在此后{years}年内办理"
    assert hint in text(site_dir / "calculator" / "registration" / "index.html")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser().parse_args(["registration", "--help"])
    assert hint in "".join(out.getvalue().split())
    training = text(site_dir / "calculator" / "training" / "index.html")
    hours = policy.value("training.required_hours.助理社会工作师")
    assert f"助理社会工作师每期{hours}小时" in training
    assert f"留空就按开始日期加{policy.value('registration.validity_years')}年计算" in training
