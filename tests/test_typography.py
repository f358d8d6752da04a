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
