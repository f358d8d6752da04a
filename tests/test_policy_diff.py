"""`make policy-diff` (scripts/policy_diff.py) on a temporary git repository holding the
rules: an unchanged copy reports 无变化; a changed value reports the answers it changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from support.rulecases import ROOT

SCRIPT = ROOT / "scripts" / "policy_diff.py"
SIZE = "400"  # `make policy-diff` asks 10,000; the report is the same code


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(ROOT / "calculator", tmp_path / "calculator", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "cases.json", tmp_path / "tests")
    # The same pins as this environment's: both sides answer with the installed dependencies.
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "rules")
    return tmp_path


def diff(repo, *args):
    proc = subprocess.run([sys.executable, SCRIPT, "--root", repo, "--size", SIZE, *args],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "SHEGONG_TODAY": "2026-12-07"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def validity_five_years_from_2030(repo):
    path = repo / "calculator" / "shegong" / "policy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["parameters"]["registration.validity_years"]["values"].append({"from": "2030-01-01", "value": 5})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def rows(report, heading):
    """The rows of the table under ``heading``, as lists of cells."""
    table = report.split(heading, 1)[1].split("\n\n")[1]
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_an_unchanged_copy_reports_no_change(repo):
    out = diff(repo, "--base", "HEAD")
    assert "无变化" in out and "随机请求 400 个" in out and "2009-01-01 至 2036-12-31" in out
    assert "依赖：" not in out


def test_a_changed_value_reports_the_answers_it_changes(repo):
    validity_five_years_from_2030(repo)
    out = diff(repo, "--base", "HEAD")
    assert "无变化" not in out
    by_tool = {r[0]: (int(r[1].replace(",", "")), int(r[2].replace(",", ""))) for r in rows(out, "### 随机请求：按计算器")}
    assert sum(asked for asked, _ in by_tool.values()) == int(SIZE)
    for tool in ("registration(登记期限)", "training(继续教育学时)", "plan(我的时间表)"):
        assert by_tool[tool][1] > 0, tool
    # Rules that never read the validity: their answers stay the same.
    for tool in ("certificate(证书领取时间)", "title(职称对应)", "idcard(身份证号检查)", "photo(证件照检查)"):
        assert by_tool[tool][1] == 0, tool
    fields = {(r[0], r[1]) for r in rows(out, "### 随机请求：按字段")}
    assert ("registration", "`periods[].end`") in fields
    assert "再登记:每3年一期,下一期从上一期最后一日接续" in out  # a named case that changes
    cites = {r[0] for r in rows(out, "### 引用的文件")}
    assert "《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条" in cites
    example = out.split("### 例子", 1)[1]
    assert "| `periods[].end` |" in example or "| `period_end` |" in example


def test_two_committed_revisions(repo):
    validity_five_years_from_2030(repo)
    git(repo, "commit", "-qam", "validity 5 years from 2030")
    out = diff(repo, "--base", "HEAD~1", "--head", "HEAD")
    assert "`HEAD~1`" in out and "`HEAD`(" in out and "无变化" not in out
