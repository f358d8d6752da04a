"""The Nu HTML Checker (npm's vnu-jar, on the machine's Java: `make java`), and which of
its errors are mkdocs-material's own (listed with why each stays) rather than ours."""

from __future__ import annotations

import json
import re
import subprocess

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


def describe(found: list[dict]) -> str:
    return "\n".join(f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '')!r}"
                     for m in found)
