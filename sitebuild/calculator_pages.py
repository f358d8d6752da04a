"""What the build adds to the calculator pages: the worker start-up at the top of <head>
(so Pyodide starts loading before anything else on the page), the page's config and the
tool's module.  (The forms themselves come from sitebuild.calculator_forms.)"""

from __future__ import annotations

import json
import re

ASSETS = "assets/calculator/"
# page -> tool, one per tool the rules package declares (set_tools, called from the hook).
TOOL_PAGES: dict[str, str] = {}
INDEX = "calculator/index.md"
# The team page reads a spreadsheet (shegong.batch through shegong.api.evaluate_sheet): its
# own script, and the page-only packages (openpyxl). It makes no memory snapshot: there is
# one snapshot per site (worker.mjs), and the other pages' one holds no openpyxl, so the
# team page's would replace it on each switch between them.
TEAM_PAGE = "calculator/team.md"
TEAM_TOOL = "team"


def set_tools(tools) -> None:
    """Each tool's page is calculator/<tool>.md."""
    TOOL_PAGES.clear()
    TOOL_PAGES.update({f"calculator/{tool}.md": tool for tool in tools})


def is_calculator_page(src: str) -> bool:
    return src in TOOL_PAGES or src in (INDEX, TEAM_PAGE)


def _root_prefix(url: str) -> str:
    depth = url.count("/")  # e.g. "calculator/registration/" -> "../../"
    return "../" * depth if depth else "./"


def add_scripts(output: str, src: str, page_url: str, config: dict) -> str:
    """``config`` is what the worker needs to start (runtime, packages, stdlib, snapshot key)."""
    base = _root_prefix(page_url)
    tool = TOOL_PAGES.get(src)
    cfg = {"base": base, "tool": tool, **{k: v for k, v in config.items() if not k.startswith("page_")}}
    if src == TEAM_PAGE:
        tool = TEAM_TOOL
        cfg.update(tool=tool, snapshot="", load=config.get("page_packages", []),
                   download=config.get("page_download", cfg.get("download", {})))
    # Data, not code, and boot.js a file: the Content-Security-Policy (hooks/csp.py)
    # then needs no hash for either. "</" is escaped so no value can close the element.
    data = json.dumps(cfg, ensure_ascii=False).replace("</", "<\\/")
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
