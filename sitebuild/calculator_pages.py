"""What the build adds to the calculator pages: the worker start-up at the top of <head>
(so Pyodide starts loading before anything else on the page), the page's config and the
tool's module.  (The forms themselves come from sitebuild.calculator_forms.)

Each declared tool (``shegong.api.PAGES``) has its page, calculator/<tool>.md, and its
script, assets/calculator/<tool>.mjs; what its worker loads besides the rules and whether
it keeps a memory snapshot come from its declaration (``Questions.page``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitebuild import offline

ASSETS = "assets/calculator/"
INDEX = "calculator/index.md"
# page -> (tool, its worker's config, the modules its script imports), one per declared
# tool (set_tools, called from the hook).
TOOL_PAGES: dict[str, tuple[str | None, dict, list[str]]] = {}
_IMPORT = re.compile(r'^(?:import|export)\b[^;]*?from\s+"\./([\w-]+\.mjs)"', re.M)


def modules(scripts: Path, name: str) -> list[str]:
    """``name`` and the page modules it imports, directly or not: each is preloaded, so the
    browser fetches them at once instead of one import level after another."""
    found, todo = [], [name]
    while todo:
        module = todo.pop(0)
        if module not in found and (scripts / module).is_file():
            found.append(module)
            todo += _IMPORT.findall((scripts / module).read_text(encoding="utf-8"))
    return found


def set_tools(questions, bundle, docs_dir: Path) -> None:
    """Each tool's page is calculator/<tool>.md; the overview page starts no tool."""
    scripts = docs_dir / ASSETS
    TOOL_PAGES.clear()
    for tool, q in questions.items():
        if not (scripts / f"{tool}.mjs").is_file():
            raise ValueError(f"计算器 “{tool}” 没有页面脚本 {ASSETS}{tool}.mjs（结果怎样显示，见 CONTRIBUTING.md 的“加一个新工具”）")
        TOOL_PAGES[f"calculator/{tool}.md"] = (tool, offline.worker_config(bundle, q.page.packages, q.page.snapshot),
                                               modules(scripts, f"{tool}.mjs"))
    TOOL_PAGES[INDEX] = (None, offline.worker_config(bundle), [])


def is_calculator_page(src: str) -> bool:
    return src in TOOL_PAGES


def _root_prefix(url: str) -> str:
    depth = url.count("/")  # e.g. "calculator/registration/" -> "../../"
    return "../" * depth if depth else "./"


def add_scripts(output: str, src: str, page_url: str) -> str:
    base = _root_prefix(page_url)
    tool, config, preload = TOOL_PAGES[src]
    # Data, not code, and boot.js a file: the Content-Security-Policy (hooks/csp.py)
    # then needs no hash for either. "</" is escaped so no value can close the element.
    data = json.dumps({"base": base, "tool": tool, **config}, ensure_ascii=False).replace("</", "<\\/")
    head = (
        f'<script type="application/json" id="sg-config">{data}</script>\n'
        f'<script src="{base}{ASSETS}boot.js"></script>\n'
    )
    head += "".join(f'<link rel="modulepreload" href="{base}{ASSETS}{m}">\n' for m in preload)
    output = re.sub(r'(<meta charset="utf-8">)', lambda m: m.group(1) + "\n" + head, output, count=1, flags=re.I)
    # After the theme's stylesheets, so that equal selectors here win.
    output = output.replace("</head>", f'<link rel="stylesheet" href="{base}{ASSETS}calculator.css">\n</head>', 1)
    tail = f'<script type="module" src="{base}{ASSETS}{tool or "index"}.mjs"></script>\n'
    return output.replace("</body>", tail + "</body>", 1)
