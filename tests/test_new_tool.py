"""CONTRIBUTING's 加一个新工具, done in a temporary copy: a throwaway tool (which day of the
week a date is) added with the files that section names and no other, besides its page
text; the copy's site is built with ``mkdocs build --strict``, and the tool's generated
form, its nav entry and overview row, its page's config and the command line's answer are
checked, then the answer in the browser.  What the copy's changes touch is counted from
the copy itself, so the count cannot drift from what the test does."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import devserver
from support.browser import WAIT, settled, wait_for
from support.build import ROOT, build, calculator_config, copy_project, text

pytestmark = pytest.mark.slow

TOOL = "weekday"
RULES = '''"""A throwaway tool (tests/test_new_tool.py): the day of the week of a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .inputs import InputError
from .policy import Policy
from .questions import Field, Questions

QUESTIONS = Questions(
    tool="weekday",
    title="星期几",
    summary="某一天是星期几",
    fields=(Field("on", "date", "哪一天", hint="例如 2026-05-01。", required=True),),
    examples=(("劳动节", {"tool": "weekday", "on": "2026-05-01"}),),
)
NAMES = "一二三四五六日"


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    text = request.get("on")
    try:
        day = dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        day = None
    if day is None:
        raise InputError([{"field": "on", "message": "「哪一天」应为 YYYY-MM-DD 格式的日期。"}])
    name = f"星期{NAMES[day.weekday()]}"
    return {"ok": True, "tool": "weekday", "on": day.isoformat(), "weekday": day.isoweekday(),
            "summary": f"{day.year}年{day.month}月{day.day}日是{name}。",
            "explanation": [{"text": f"按公历，{day.isoformat()}是{name}。", "source": "公历"}]}
'''
SCRIPT = '''// A throwaway tool (tests/test_new_tool.py): the answer's own words.
import { runTool, el } from "./ui.mjs";

runTool({ tool: "weekday", render: (res) => [el("p", { class: "sg-weekday" }, res.summary)] });
'''
PAGE = '''---
description: 某一天是星期几（测试用的临时工具）。
overview: 某一天是星期几
guides:
  首次登记: registration/first.md
---

# 星期几

{{ form:weekday }}
'''
# The files the tool adds or changes, besides its tests and its page text (CONTRIBUTING.md).
TOUCHED = {"calculator/shegong/weekday.py", "calculator/shegong/api.py", "calculator/shegong/schema.json",
           "docs/assets/calculator/weekday.mjs"}
PAGE_TEXT = {"docs/calculator/weekday.md"}


def add_tool(project: Path) -> None:
    """The steps of CONTRIBUTING's 加一个新工具 (its tests aside)."""
    (project / "calculator/shegong/weekday.py").write_text(RULES, encoding="utf-8")
    api = project / "calculator/shegong/api.py"
    source = api.read_text(encoding="utf-8")
    assert source.count("RULES = (") == 1
    api.write_text(source.replace("from . import ", "from . import weekday, ", 1)
                   .replace("RULES = (", "RULES = (weekday, ", 1), encoding="utf-8")
    (project / "docs/assets/calculator/weekday.mjs").write_text(SCRIPT, encoding="utf-8")
    (project / "docs/calculator/weekday.md").write_text(PAGE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project / "calculator")}
    subprocess.run([sys.executable, "-m", "shegong.schema"], cwd=project / "calculator", env=env, check=True,
                   capture_output=True, timeout=120)


def changed_files(project: Path) -> set[str]:
    """Every file of the copy that differs from, or is not in, this checkout."""
    out = set()
    for place in ("calculator", "docs", "overrides"):
        for path in (project / place).rglob("*"):
            rel = path.relative_to(project).as_posix()
            if path.is_file() and "__pycache__" not in rel and not (
                    (ROOT / rel).is_file() and filecmp.cmp(path, ROOT / rel, shallow=False)):
                out.add(rel)
    return out


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shegong", TOOL, *args], cwd=project / "calculator",
                          env={**os.environ, "PYTHONPATH": str(project / "calculator")},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def new_tool(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("newtool") / "repo")
    add_tool(project)
    site = project.parent / "site"
    res = build(project, site)
    assert res.returncode == 0, res.stdout + res.stderr
    return project, site


def test_a_new_tool_touches_four_files_besides_its_page_text(new_tool):
    project, _ = new_tool
    assert changed_files(project) == TOUCHED | PAGE_TEXT
    assert len(TOUCHED) <= 5


def test_its_form_nav_and_overview_come_from_its_declaration(new_tool):
    _, site = new_tool
    html = (site / "calculator" / TOOL / "index.html").read_text(encoding="utf-8")
    assert '<label for="sg-on">哪一天</label>' in html and 'id="sg-on" name="on"' in html
    assert 'data-example=' in html and ">劳动节</button>" in html and 'id="sg-clear"' in html
    assert f'assets/calculator/{TOOL}.mjs' in html
    assert calculator_config(site, f"calculator/{TOOL}/")["tool"] == TOOL
    assert "星期几" in text(site / "calculator" / "index.html")  # the overview table
    assert f'href="../{TOOL}/"' in (site / "calculator" / "registration" / "index.html").read_text(encoding="utf-8")


def test_its_answer_from_the_command_line(new_tool):
    project, _ = new_tool
    res = cli(project, "--on", "2026-05-01", "--json")
    assert res.returncode == 0, res.stderr
    answer = json.loads(res.stdout)
    assert answer["ok"] and answer["weekday"] == 5 and answer["summary"] == "2026年5月1日是星期五。"
    bad = cli(project, "--on", "2026-02-30", "--json")
    assert "「哪一天」" in bad.stdout + bad.stderr


def test_its_answer_in_the_browser(new_tool, browser):
    _, site = new_tool
    server = devserver.serve(site)
    ctx = browser.new_context(locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}calculator/{TOOL}/")
        page.fill("#sg-on", "2026-05-01")
        wait_for(page, "document.querySelector('#sg-result .sg-weekday') !== null", timeout=WAIT)
        settled(page)
        assert page.inner_text("#sg-answer") == "2026年5月1日是星期五。"
    finally:
        ctx.close()
        server.stop()
