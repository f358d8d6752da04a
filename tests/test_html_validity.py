"""Every built page is valid HTML in our own markup, by the Nu HTML Checker (npm's
vnu-jar, on the machine's Java: `make java`).

mkdocs-material's own templates carry errors this site leaves as they are; each is
listed here with why, and every other error fails. The empty ``tabindex`` the theme
writes is mended in the build (sitebuild/theme_markup.py), so it is not listed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from support.rulecases import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message, extract) patterns of the theme's errors, with the reason each stays.
THEME = {
    # The drawer and search toggles: autocomplete="off" keeps Firefox from restoring
    # an open drawer on going back; removing it would change what readers see.
    "autocomplete on the theme's toggles": (r"Attribute “autocomplete” is only allowed", r'class="md-toggle"'),
    # The table of contents' title label on pages without headings to list: the theme
    # leaves out the toggle it points to. Mending it means overriding the navigation.
    "the empty table of contents' label": (r"“for” attribute of the “label” element", r'for="__toc"'),
}


def check(files: list[str]) -> list[dict]:
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    return json.loads(proc.stderr)["messages"]


def ours(messages: list[dict]) -> list[dict]:
    return [m for m in messages if not any(
        re.search(msg, m["message"]) and re.search(extract, m.get("extract", ""))
        for msg, extract in THEME.values())]


@pytest.fixture(scope="module")
def messages(site_dir):
    if not shutil.which("java"):
        pytest.fail("no Java for the HTML checker: `make java` installs Debian's")
    return check([str(p) for p in sorted(site_dir.rglob("*.html"))])


def describe(found: list[dict]) -> str:
    return "\n".join(f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '')!r}"
                     for m in found)


def test_our_markup_has_no_error(messages):
    assert not ours(messages), describe(ours(messages))


def test_every_listed_theme_error_still_occurs(messages):
    """A listed error the theme no longer makes comes off the list."""
    for name, (msg, extract) in THEME.items():
        assert any(re.search(msg, m["message"]) and re.search(extract, m.get("extract", ""))
                   for m in messages), f"{name}: no longer found; take it off THEME"


def test_the_checker_reports_our_own_errors(tmp_path, site_dir):
    """A negative control: a page of ours with a known error is reported as ours."""
    page = (site_dir / "calculator" / "registration" / "index.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_text(page.replace('<section id="sg-result"', '<div markdown="0" id="sg-result"', 1), encoding="utf-8")
    found = ours(check([str(bad)]))
    assert any("markdown" in m["message"] for m in found), describe(found)
