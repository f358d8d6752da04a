"""The guide site builds cleanly, and every rule value in it comes from policy.json.

These tests build the site themselves (no browser): the whole repository with
``mkdocs build --strict``, and a temporary copy whose policy.json is changed, to show
the pages follow the data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
GUIDE_DOCS = [p for p in sorted((ROOT / "docs").rglob("*.md")) if "calculator" not in p.relative_to(ROOT / "docs").parts]
MARKER = re.compile(r"\{\{[^{}]*\}\}")


def _build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "-d", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".cache")
    for name in ("docs", "calculator", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("mkdocs.yml", "pyproject.toml", "README.md", "requirements.lock"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    # The calculator hook caches its package build under the hash of the rules' sources:
    # a copy whose rules are unchanged reuses it instead of building the wheels again.
    cache = ROOT / ".cache" / "calculator"
    if cache.is_dir():
        shutil.copytree(cache, dest / ".cache" / "calculator")
    return dest


def _text(html_file: Path) -> str:
    """The visible text of a built page's article, whitespace squeezed."""
    html = html_file.read_text(encoding="utf-8")
    m = re.search(r"<article.*?</article>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", m.group(0) if m else html)
    return re.sub(r"\s+", " ", text).replace("&amp;", "&")


@pytest.fixture(scope="module")
def root_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One strict build of the repository as it is, shared by this module's tests."""
    site = tmp_path_factory.mktemp("root-build") / "site"
    return _build(ROOT, site), site


def test_strict_build_is_clean(root_build):
    res, site = root_build
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert "WARNING" not in out, out
    assert (site / "index.html").exists()


def test_a_changed_policy_value_changes_the_pages(tmp_path, root_build):
    project = _copy_project(tmp_path / "repo")
    site = tmp_path / "site"
    policy_file = project / "calculator" / "shegong" / "policy.json"
    data = json.loads(policy_file.read_text(encoding="utf-8"))
    params = data["parameters"]

    # Before the change: the repository's own build (the copy is the same files).
    before_build, before_site = root_build
    assert before_build.returncode == 0, before_build.stderr
    before = _text(before_site / "registration" / "index.html")
    assert "每3年" in before and "每7年" not in before

    params["registration.validity_years"]["values"][-1]["value"] = 7
    params["training.required_hours.助理社会工作师"]["values"][-1]["value"] = 64
    params["registration.first_window_years"]["values"][-1]["value"] = 2
    for route in data["titles"]["routes"]:
        if route["from"] == "技师":
            route["years"] = 6
    policy_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    res = _build(project, site)
    assert res.returncode == 0, res.stdout + res.stderr

    reg = _text(site / "registration" / "index.html")
    assert "每7年" in reg and "每3年" not in reg
    assert "登记有效期 7年" in reg
    # The worked example follows the new window: 2024-09-10 + 2 years.
    assert "首次登记的最后一日是 2026年9月10日" in reg

    training = _text(site / "registration" / "continuing-education" / "index.html")
    assert "64小时" in training and "72小时" not in training

    skills = _text(site / "titles" / "skills" / "index.html")
    assert "满6年" in skills
    assert "2027年7月1日" in skills  # 2021-07-01 + 6 years

    glossary = _text(site / "glossary" / "index.html")
    assert "为7年" in glossary


def test_an_unknown_policy_key_stops_the_build(tmp_path):
    project = _copy_project(tmp_path / "repo")
    page = project / "docs" / "faq.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n有效期{{ p:registration.no_such_key }}\n", encoding="utf-8"
    )
    res = _build(project, tmp_path / "site")
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


def _policy_hook():
    import importlib.util

    spec = importlib.util.spec_from_file_location("policy_hook_under_test", ROOT / "overrides" / "hooks" / "policy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mermaid_fences_are_found_as_markdown_reads_them():
    """The hook and scripts/render_diagrams.py find the same fences: indented ones (in a
    list) by their body without the indentation, ~~~ ones, and not an example inside
    another fence."""
    hook = _policy_hook()
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
    fences = hook.mermaid_fences(page)
    assert [(f["line"], f["indent"], f["body"]) for f in fences] == [
        (3, "    ", "flowchart TD\n    A --> B\n"),
        (15, "", "flowchart LR\n    C --> D\n"),
    ]
    assert hook.diagram_name(fences[0]["body"]) == hook.diagram_name("flowchart TD\n    A --> B\n")
    assert len(hook.diagram_name(fences[0]["body"])) == 16


def test_a_diagram_without_its_svg_stops_the_build(tmp_path):
    project = _copy_project(tmp_path / "repo")
    svgs = sorted((project / "docs" / "assets" / "diagrams").glob("*.svg"))
    assert svgs
    for svg in svgs:
        svg.unlink()
    res = _build(project, tmp_path / "site")
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


@pytest.mark.parametrize("page", GUIDE_DOCS, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_rule_values_are_written_through_markers(page):
    text = MARKER.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"\]\([^)]*\)", "]()", text)  # link targets hold example inputs
    found = [
        f"{what}: “{m.group(0)}”"
        for pattern, what in LITERAL_RULE_VALUES
        for m in pattern.finditer(text)
    ]
    assert not found, f"{page.name} 里直接写了规则数值,请改用标记:{found}"
