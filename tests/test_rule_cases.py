"""Each named case in cases.json, run through the one boundary, shegong.evaluate."""

import json
import subprocess
import sys

import pytest

from shegong import evaluate
from rulecases import ROOT, load_cases, mismatches, schema_errors

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_named_case(case):
    response = evaluate(case["request"])
    assert mismatches(case["expect"], response) == [], case["rule"]
    assert schema_errors(response) == []
    # The response is what the browser gets back: it must survive a JSON round trip unchanged.
    assert json.loads(json.dumps(response, ensure_ascii=False)) == response


def test_every_case_cites_its_rule():
    for case in CASES:
        assert case["rule"].strip(), case["name"]
    assert len({c["name"] for c in CASES}) == len(CASES)


def test_every_tool_has_cases():
    assert {c["request"]["tool"] for c in CASES} == {"registration", "training", "title", "certificate"}


def test_the_readme_example_through_the_real_cli():
    """As a new user would: the README's pipe into `python -m shegong`."""
    proc = subprocess.run(
        [sys.executable, "-m", "shegong"],
        input='{"tool":"registration","level":"社会工作师","passed_on":"2024-09-10"}'.encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    response = json.loads(proc.stdout)
    assert response["ok"] is True
    assert response["first_registration"]["last_day"] == "2025-09-10"
    assert response["required_hours"] == 90
    assert proc.stderr == b""
