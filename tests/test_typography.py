"""Chinese typography of the guides, checked by a maintained linter: autocorrect
(PyPI autocorrect-py), configured by the repository's .autocorrectrc.

Chinese running text uses full-width punctuation (，：；？！). The linter's Markdown
parser leaves code, link targets, URLs and HTML alone; the rules that the project does
not follow (spaces between Chinese and numbers) are switched off in .autocorrectrc,
with the reason. The calculator's pages (docs/calculator/) belong to the calculator
work and are not checked here yet.
"""

from __future__ import annotations

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
