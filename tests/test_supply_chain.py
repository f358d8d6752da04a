"""What the build takes from outside is pinned: actions by commit, every Python package
(pip and setuptools included) by hash, and the wheels shipped to readers are the locked ones."""

from __future__ import annotations

import json
import re

import yaml

from support.rulecases import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, tuple[str, set[str]]]:
    """requirements.lock read here, not by sitebuild.pyodide_bundle.locked_requirements: a
    parsing mistake there must not hide itself by being the check too."""
    out = {}
    for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
                         LOCK.read_text(encoding="utf-8"), re.M):
        out[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = (m.group(2), set(re.findall(r"[0-9a-f]{64}", m.group(3))))
    return out


def test_actions_are_pinned_by_commit_with_the_tag_in_a_comment():
    for wf in WORKFLOWS:
        text = wf.read_text(encoding="utf-8")
        uses = re.findall(r"uses:\s*(\S+)(.*)", text)
        assert uses
        for ref, rest in uses:
            if ref.startswith("./"):  # a workflow of this repository, at the same commit
                continue
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{wf.name}: {ref} is not pinned by commit"
            assert re.fullmatch(r"\s*# v\d+(\.\d+)*", rest), f"{wf.name}: {ref} has no tag comment"


def test_checkout_keeps_no_credentials():
    for wf in WORKFLOWS:
        for job in yaml.safe_load(wf.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):  # a job that calls a workflow has none
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_make_installs_only_from_the_hashed_lock():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line.strip() for line in make.splitlines() if "pip install" in line and "uv==" not in line]
    assert "$(PY) -m pip install --quiet --require-hashes -r requirements.lock" in installs
    assert "$(PY) -m pip install --quiet --no-deps --no-build-isolation -e ." in installs
    assert len(installs) == 2
    lock = locked()
    for name in ("pip", "setuptools", "chinese-calendar", "mkdocs-material", "playwright", "pyodide-build"):
        assert name in lock and lock[name][1], name
    # Every pin in pyproject.toml is the locked version, and the build backend too.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name, version in re.findall(r'"([A-Za-z0-9._-]+)==([^"]+)"', pyproject):
        assert lock[re.sub(r"[-_.]+", "-", name).lower()][0] == version, name


def test_the_wheels_shipped_to_readers_are_the_locked_ones(site_dir):
    cfg = json.loads(re.search(r'<script type="application/json" id="sg-config">(.*?)</script>',
                               (site_dir / "calculator" / "training" / "index.html").read_text(encoding="utf-8")).group(1))
    packages = site_dir / cfg["packages"]
    lock = locked()
    shipped = json.loads((packages / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    deps = [n for n in shipped if n != "shegong"]
    assert deps
    for name in deps:
        version, hashes = lock[re.sub(r"[-_.]+", "-", name).lower()]
        assert shipped[name]["version"] == version



def test_the_build_downloads_the_shipped_wheels_against_the_lock(tmp_path):
    """The wheels are rebuilt with bytecode after the download (sitebuild/pyodide_bundle.py),
    so the hash checked is the downloaded one: pip gets the lock's hashes with
    --require-hashes and refuses any other wheel; a version the lock does not hold stops
    the build."""
    import pytest

    from sitebuild.pyodide_bundle import _locked_requirement

    version, hashes = locked()["chinese-calendar"]
    req = _locked_requirement(ROOT, f"chinese-calendar=={version}", tmp_path / "req.txt").read_text(encoding="utf-8")
    assert req.startswith(f"chinese-calendar=={version} ")
    assert set(re.findall(r"--hash=sha256:([0-9a-f]{64})", req)) == hashes
    with pytest.raises(RuntimeError, match="make lock"):
        _locked_requirement(ROOT, "chinese-calendar==0.0.1", tmp_path / "other.txt")
    with pytest.raises(RuntimeError, match="make lock"):
        _locked_requirement(ROOT, "no-such-package==1.0", tmp_path / "none.txt")
