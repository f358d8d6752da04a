"""Mends to mkdocs-material's own markup that the Nu HTML Checker reports as errors,
where the mend changes nothing a browser does (tests/test_html_validity.py lists the
theme's errors left as they are, and why).

The theme writes ``tabindex=""`` on the navigation labels of sections: an empty
tabindex is not a valid integer, and browsers ignore it, so leaving it out is the same
page. Overriding the template instead would mean keeping a copy of the theme's
nav-item.html in step with every theme update.
"""

from __future__ import annotations

EMPTY_TABINDEX = ' tabindex=""'


def mend(html: str) -> str:
    return html.replace(EMPTY_TABINDEX, "")
