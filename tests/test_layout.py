"""Which way the imports go: the build, the scripts and the bench never import from the
tests, and test modules never import each other (what they share is in tests/support/)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_outside_the_tests_imports_them():
    code = [p for d in ("sitebuild", "scripts", "bench", "overrides", "calculator") for p in (ROOT / d).rglob("*.py")]
    assert len(code) > 20
    found = {p.relative_to(ROOT).as_posix(): sorted(n) for p in code
             if (n := {m for m in imported(p) if m in ("tests", "conftest", "support") or m.startswith("test_")})}
    assert found == {}


def test_test_modules_do_not_import_each_other():
    modules = sorted((ROOT / "tests").glob("test_*.py"))
    found = {p.name: sorted(n) for p in modules if (n := {m for m in imported(p) if m.startswith("test_")})}
    assert found == {}
