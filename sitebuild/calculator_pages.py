"""What the build adds to the calculator pages: the worker start-up at the top of <head>
(so Pyodide starts loading before anything else on the page), the page's config and the
tool's module.  (The forms themselves come from sitebuild.calculator_forms.)

Each declared tool (``shegong.api.PAGES``) has its page, calculator/<tool>.md, and its
script, assets/calculator/<tool>.mjs; what its worker loads besides the rules and whether
it keeps a memory snapshot come from its declaration (``Questions.page``)."""

from __future__ import annotations

import json
import re

from sitebuild import offline

ASSETS = "assets/calculator/"
INDEX = "calculator/index.md"
# page -> (tool, its worker's config), one per declared tool (set_tools, called from the hook).
TOOL_PAGES: dict[str, tuple[str | None, dict]] = {}


def set_tools(questions, bundle) -> None:
    """Each tool's page is calculator/<tool>.md; the overview page starts no tool."""
    TOOL_PAGES.clear()
    for tool, q in questions.items():
        TOOL_PAGES[f"calculator/{tool}.md"] = (tool, offline.worker_config(bundle, q.page.packages, q.page.snapshot))
    TOOL_PAGES[INDEX] = (None, offline.worker_config(bundle))


def is_calculator_page(src: str) -> bool:
    return src in TOOL_PAGES


def _root_prefix(url: str) -> str:
    depth = url.count("/")  # e.g. "calculator/registration/" -> "../../"
    return "../" * depth if depth else "./"


def add_scripts(output: str, src: str, page_url: str) -> str:
    base = _root_prefix(page_url)
    tool, config = TOOL_PAGES[src]
    # Data, not code, and boot.js a file: the Content-Security-Policy (hooks/csp.py)
    # then needs no hash for either. "</" is escaped so no value can close the element.
    data = json.dumps({"base": base, "tool": tool, **config}, ensure_ascii=False).replace("</", "<\\/")
    head = (
        f'<script type="application/json" id="sg-config">{data}</script>\n'
        f'<script src="{base}{ASSETS}boot.js"></script>\n'
    )
    if tool:
        head += f'<link rel="modulepreload" href="{base}{ASSETS}{tool}.mjs">\n'
        head += f'<link rel="modulepreload" href="{base}{ASSETS}ui.mjs">\n'
    output = re.sub(r'(<meta charset="utf-8">)', lambda m: m.group(1) + "\n" + head, output, count=1, flags=re.I)
    # After the theme's stylesheets, so that equal selectors here win.
    output = output.replace("</head>", f'<link rel="stylesheet" href="{base}{ASSETS}calculator.css">\n</head>', 1)
    tail = f'<script type="module" src="{base}{ASSETS}{tool or "index"}.mjs"></script>\n'
    return output.replace("</body>", tail + "</body>", 1)
