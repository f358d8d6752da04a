"""Every built page is valid HTML in our own markup, by the Nu HTML Checker (npm's
vnu-jar, on the machine's Java: `make java`).

mkdocs-material's own templates carry errors this site leaves as they are; each is
listed here with why, and every other error fails. The empty ``tabindex`` the theme
writes is mended in the build (sitebuild/theme_markup.py), so it is not listed.
"""

from __future__ import annotations

import re
import shutil

import pytest

from support.vnu import THEME, check, describe, ours


@pytest.fixture(scope="module")
def messages(site_dir):
    if not shutil.which("java"):
        pytest.fail("no Java for the HTML checker: `make java` installs Debian's")
    return check([str(p) for p in sorted(site_dir.rglob("*.html"))])


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
