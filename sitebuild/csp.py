"""A Content-Security-Policy in every built page, as ``<meta http-equiv>``.

GitHub Pages cannot send the header, so each page carries its own policy, placed right
after ``<meta charset>`` so it governs every script after it. ``script-src`` allows files
from this site and, by SHA-256, exactly the inline scripts that page holds (the theme's
three: ``__md_scope``/``__md_get``, the palette and the hash-target snippets). The
hashes are computed here from the written pages, so a theme upgrade that changes a
snippet changes its hash, and a script nobody reviewed never runs. ``<script
type="application/json">`` is data (the theme's ``__config``, the calculator's
``sg-config``): not executed, so not hashed.

The hook overrides/hooks/csp.py runs ``add_to_site`` after the other hooks have written
the pages and before the calculator hook fingerprints the built files for the service
worker.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Script types a browser runs; any other type is a data block.
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)

# Pyodide compiles WebAssembly ('wasm-unsafe-eval'); the calculator's worker, the
# theme's search worker and the service worker are files of this site. The diagrams
# (SVG drawn by `make diagrams`, put inline by sitebuild/diagrams.py) carry style attributes and a
# <style> element, and the theme sets styles from its scripts: styles may be inline,
# which cannot run code. No form is ever submitted: the calculators and the search answer
# on the page, and with scripts off or failed, Enter in a form must not put what was typed
# (an ID number) into a URL.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; "
    "style-src 'self' 'unsafe-inline'; worker-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` of each inline script a browser would run, in page order."""
    out = []
    for m in SCRIPT.finditer(html):
        attrs, body = m.group(1), m.group(2)
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        t = TYPE.search(attrs)
        if (t.group(1).lower() if t else "") not in EXECUTABLE:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        token = f"'sha256-{digest}'"
        if token not in out:
            out.append(token)
    return out


def policy_for(html: str) -> str:
    hashes = "".join(" " + h for h in inline_script_hashes(html))
    return POLICY.format(hashes=hashes)


def add_policy(html: str) -> str:
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    m = CHARSET.search(html)
    if not m:
        raise RuntimeError("csp: a page without <meta charset=utf-8> cannot carry its policy first")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return html[: m.end()] + meta + html[m.end() :]


def add_to_site(site: Path) -> int:
    """The policy added to every page of the built site; returns how many pages."""
    pages = sorted(site.rglob("*.html"))
    for p in pages:
        p.write_text(add_policy(p.read_text(encoding="utf-8")), encoding="utf-8")
    return len(pages)
