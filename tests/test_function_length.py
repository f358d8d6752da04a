"""No function in the site's own code is over 80 lines: Python (the rules, the build, the
hooks) read with ``ast``, the page scripts with acorn (tests/support/function_lengths.mjs),
a real parser for the modern syntax they use.  A long function is several jobs; split it by
job (see CONTRIBUTING.md)."""

from __future__ import annotations

import ast
import json
import subprocess

from support.rulecases import ROOT

LIMIT = 80
PLACES = ("calculator", "sitebuild", "overrides/hooks", "docs/assets/calculator")
JS = (".js", ".mjs")


def _files(suffixes: tuple[str, ...]) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for place in PLACES for p in (ROOT / place).rglob("*")
                  if p.suffix in suffixes and p.is_file() and "node_modules" not in p.parts)


def python_functions() -> list[dict]:
    out = []
    for path in _files((".py",)):
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append({"file": path, "name": node.name, "line": node.lineno,
                            "lines": node.end_lineno - node.lineno + 1})
    return out


def js_functions() -> list[dict]:
    res = subprocess.run(["node", "tests/support/function_lengths.mjs", *_files(JS)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return [json.loads(line) for line in res.stdout.splitlines()]


def _too_long(found: list[dict]) -> list[str]:
    return [f"{f['file']}:{f['line']} {f['name']} ({f['lines']} lines)" for f in found
            if f["lines"] > LIMIT]


def test_no_python_function_is_over_80_lines():
    found = python_functions()
    assert len(found) > 100  # the walk found the code
    assert _too_long(found) == []


def test_no_page_script_function_is_over_80_lines():
    found = js_functions()
    assert {"docs/assets/calculator/boot.js", "docs/assets/calculator/ui.mjs"} <= {f["file"] for f in found}
    assert _too_long(found) == []

