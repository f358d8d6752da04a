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


def test_a_readme_change_changes_nothing_shipped(tmp_path):
    """The shipped rules wheel carries a one-line description, not the README: editing the
    README neither rebuilds it nor gives readers a new snapshot key."""
    root = _checkout(tmp_path)
    keys = cache_keys(root)
    (root / "README.md").write_text("# changed\n", encoding="utf-8")
    assert cache_keys(root) == keys


def test_the_shipped_rules_wheel_leaves_the_readme_and_the_developer_extras_out(site_dir):
    import json
    import zipfile

    from support.build import calculator_config

    packages = site_dir / calculator_config(site_dir)["packages"]
    lock = json.loads((packages / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    with zipfile.ZipFile(packages / lock["shegong"]["file_name"]) as wheel:
        metadata = next(wheel.read(n) for n in wheel.namelist() if n.endswith(".dist-info/METADATA")).decode()
    assert "Name: shegong" in metadata
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[2] not in metadata and len(metadata) < 4000
    # Only the extras a page loads: a bumped test tool must not change what readers get.
    assert "Provides-Extra: sheets" in metadata and 'extra == "sheets"' in metadata
    assert "pytest" not in metadata and "Provides-Extra: test" not in metadata
