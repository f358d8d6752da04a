"""Page scripts lay out the response's fields; they compute no date, month count or rule
and type no rule sentence (issue 24, item 3). The rules hold each of these once: the day
to act by with a holiday move applied (``deadline``, ``reregistration_deadline``), the
window's months (``reregistration_window_months``), the local-notice line
(``local_notice``), and every citation (``sources``).

A script may still touch the calendar where no rule is involved, each named here with
why: writing a date in Chinese with its weekday, placing a date on the timeline's axis,
and reading the device's today (the team page sends it as the request's ``today``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "calculator"

# (file, top-level function): where calendar code is allowed, and why.
ALLOWED = {
    ("ui.mjs", "zhDate"): "formats a date in Chinese, with its weekday",
    ("ui.mjs", "localToday"): "reads the device's today as the request's input",
    ("timeline.mjs", "dayNumber"): "places a date on the timeline's axis",
    ("sw-register.js", "zhDate"): "formats the new build's date in Chinese",
}

# Date arithmetic, and the helpers the pages used to work the rules out again.
DATE_CODE = re.compile(
    r"new Date\(|Date\.UTC|Date\.parse|\.(get|set)(UTC)?(FullYear|Month|Date|Day|Hours|Time)\("
    r"|\*\s*12\s*[+-]|86400|monthsBetween|firstLastDay|reregLastDay|addMonths|addDays"
    r"|\|\|\s*[\w.]*last_day|last_day\s*\|\|"  # choosing the day to act by: the rules give ``deadline``
    r"|split\(\s*[\"']-[\"']\s*\)"  # taking an ISO date apart
)

# Rule sentences and rule numbers typed into a script: the rules word them.
RULE_WORDS = re.compile(
    r"民法典|第[一二三四五六七八九十百零]+条|当日不计入|对应日|法定休假日"
    r"|以当地[^\"'`]{0,8}为准"
    r"|[0-9０-９]+\s*(个月|年内|小时|天内)"
)


def _code(text: str) -> list[tuple[int, str]]:
    """The script's lines with their numbers, comments left out (a comment may explain a
    rule; only code and its strings are checked)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return [(n, re.sub(r"(^|\s)//.*$", "", line)) for n, line in enumerate(text.splitlines(), 1)]


def _function_at(lines: list[tuple[int, str]], index: int) -> str:
    """The function a line belongs to: the nearest function above it, or top-level const."""
    for _, line in reversed(lines[: index + 1]):
        m = re.match(r"\s*(?:export\s+)?(?:async\s+)?function\s+(\w+)|(?:export\s+)?(?:const|let)\s+(\w+)", line)
        if m:
            return m.group(1) or m.group(2)
    return ""


def _scripts():
    return sorted(p for p in SCRIPTS.iterdir() if p.suffix in (".mjs", ".js"))


def _hits(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in _scripts():
        lines = _code(path.read_text(encoding="utf-8"))
        for i, (n, line) in enumerate(lines):
            if pattern.search(line) and (path.name, _function_at(lines, i)) not in ALLOWED:
                found.append(f"{path.name}:{n} ({_function_at(lines, i)}): {line.strip()}")
    return found


def test_no_page_script_computes_a_date_or_a_month_count():
    assert _hits(DATE_CODE) == []


def test_no_page_script_types_a_rule_sentence():
    assert _hits(RULE_WORDS) == []


@pytest.mark.parametrize("line", [
    "const last = p.holiday_extended_last_day || p.reregistration_last_day;",
    "return (ty - fy) * 12 + (tm - fm);",
    "const d = new Date(iso); d.setMonth(d.getMonth() - 3);",
    "const [y, m] = iso.split(\"-\").map(Number);",
])
def test_the_check_sees_date_arithmetic(line):
    assert DATE_CODE.search(_code(line)[0][1])


@pytest.mark.parametrize("line", [
    'el("p", {}, "期间按《民法典》第二百零一条至第二百零三条计算。")',
    'const LOCAL_NOTICE = "日期按规定推算，具体以当地民政部门的通知为准。";',
    '`再登记受理期（有效期满前3个月）`',
])
def test_the_check_sees_a_typed_rule(line):
    assert RULE_WORDS.search(_code(line)[0][1])


def test_the_allowed_places_still_exist():
    """An allowed function that is gone (renamed, moved) is taken off the list."""
    for name, func in ALLOWED:
        text = (SCRIPTS / name).read_text(encoding="utf-8")
        assert re.search(rf"(function|const)\s+{func}\b", text), (name, func)
