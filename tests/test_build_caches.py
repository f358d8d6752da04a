"""The Pyodide bundle's caches are keyed by what feeds them (sitebuild/pyodide_bundle.py):
a policy value changes only the shipped packages (the rules wheel is re-zipped), while a
change to the rules' code also recompiles the bytecode and the standard library."""

from __future__ import annotations

import shutil

from sitebuild.pyodide_bundle import cache_keys
from support.build import ROOT


def _checkout(tmp_path):
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "calculator" / "shegong", tmp_path / "calculator" / "shegong",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def test_a_policy_change_keeps_the_compiled_code(tmp_path):
    root = _checkout(tmp_path)
    code, packages = cache_keys(root)
    policy = root / "calculator" / "shegong" / "policy.json"
    policy.write_text(policy.read_text(encoding="utf-8").replace('"value": 72', '"value": 80', 1), encoding="utf-8")
    code2, packages2 = cache_keys(root)
    assert code2 == code and packages2 != packages


def test_a_code_change_recompiles(tmp_path):
    root = _checkout(tmp_path)
    code, packages = cache_keys(root)
    module = root / "calculator" / "shegong" / "dates.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    code2, packages2 = cache_keys(root)
    assert code2 != code and packages2 != packages


def test_bytecode_left_by_a_local_run_changes_nothing(tmp_path):
    root = _checkout(tmp_path)
    keys = cache_keys(root)
    cache = root / "calculator" / "shegong" / "__pycache__"
    cache.mkdir()
    (cache / "dates.cpython-312.pyc").write_bytes(b"\0" * 16)
    assert cache_keys(root) == keys
