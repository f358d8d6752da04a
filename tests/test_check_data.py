"""`make check-data` (scripts/check_data.py) on a copy of the rules and made-up guides, on
days simulated with SHEGONG_TODAY: nothing here depends on the real date."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from support.rulecases import ROOT

SCRIPT = ROOT / "scripts" / "check_data.py"


@pytest.fixture
def root(tmp_path):
    """The rules as committed, without any holiday file (so the data ends with the library's
    2026), and two made-up guides."""
    shutil.copytree(ROOT / "calculator", tmp_path / "calculator", ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    for name in ("policy.json", "schema.json"):
        shutil.copy2(ROOT / "calculator" / "shegong" / name, tmp_path / "calculator" / "shegong" / name)
    guide(tmp_path, "old.md", "2025-10-15")
    guide(tmp_path, "sub/recent.md", "2026-06-01")
    return tmp_path


def guide(root, name, checked):
    page = root / "docs" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"---\nlast_checked: {checked}\ndescription: 测试\n---\n\n# 测试\n", encoding="utf-8")


def check(root, today, *args):
    proc = subprocess.run([sys.executable, SCRIPT, "--root", root, *args], capture_output=True, text=True,
                          env={**os.environ, "SHEGONG_TODAY": today}, timeout=60)
    todo, _, rest = proc.stdout.partition("## 其余各项")
    return proc.returncode, todo, rest


def test_names_the_missing_year_and_a_guide_13_months_old(root):
    code, todo, rest = check(root, "2026-11-15", "--built-on", "2026-11-01")
    assert code == 1
    assert "46天后(2026年12月31日)结束，缺少2027年的安排" in todo and "holidays/2027.json" in todo
    assert "docs/old.md 最后核对于2025年10月15日，已超过12个月" in todo
    assert "docs/sub/recent.md" not in todo and "最早到期的是 docs/sub/recent.md(2027年6月1日)" in rest


def test_a_quiet_day_needs_nothing(root):
    code, todo, rest = check(root, "2026-06-01", "--built-on", "2026-05-01", "--site", root / "nowhere")
    assert code == 0 and "没有需要处理的事" in todo
    assert "覆盖2004–2026年，到2026年12月31日还有213天" in rest and "指南都在12个月内核对过" in rest


def test_holiday_data_that_has_ended(root):
    code, todo, _ = check(root, "2027-02-01", "--built-on", "2027-01-01")
    assert code == 1 and "已于2026年12月31日结束，缺少2027年的安排" in todo


def test_a_year_added_as_data_moves_the_horizon(root):
    folder = root / "calculator" / "shegong" / "holidays"
    notice = {"title": "测试用的虚构通知", "number": "测试〔2026〕1号", "date": "2026-11-01", "url": "http://127.0.0.1/"}
    made_up = {"notice": notice, "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}], "workdays": []}
    (folder / "2027.json").write_text(json.dumps({"year": 2027, **made_up}, ensure_ascii=False), encoding="utf-8")
    (folder / "2026.json").write_text(json.dumps({"year": 2026, **made_up, "holidays": [
        {"name": "元旦", "from": "2026-01-01", "to": "2026-01-01"}]}, ensure_ascii=False), encoding="utf-8")
    code, todo, rest = check(root, "2026-11-15", "--built-on", "2026-11-01")
    assert "节假日数据" not in todo and "覆盖2004–2027年" in rest
    assert "holidays/2026.json 没有使用：chinese-calendar 已有2026年的数据" in rest


def test_a_new_value_that_has_arrived_since_the_build(root):
    path = root / "calculator" / "shegong" / "policy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["parameters"]["registration.validity_years"]["values"].append({"from": "2030-01-01", "value": 5})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, todo, rest = check(root, "2029-12-31", "--built-on", "2029-12-01")
    assert "registration.validity_years 自2030年1月1日起施行新值" in rest and "validity_years" not in todo
    _, todo, _ = check(root, "2030-01-02", "--built-on", "2029-12-01")
    assert "registration.validity_years 自2030年1月1日起施行新值，已经到了；页面构建于2029年12月1日" in todo
    (root / "site").mkdir()
    (root / "site" / "sw.js").write_text('const BUILD_DATE = "2030-01-01";\n', encoding="utf-8")
    _, todo, rest = check(root, "2030-01-02")
    assert "validity_years" not in todo and "页面构建于2030年1月1日，site/ 的构建日期" in rest


def test_a_simulated_day_that_is_not_a_date(root):
    proc = subprocess.run([sys.executable, SCRIPT, "--root", root], capture_output=True, text=True,
                          env={**os.environ, "SHEGONG_TODAY": "2026-13-01"}, timeout=60)
    assert proc.returncode == 1 and "SHEGONG_TODAY 应为 YYYY-MM-DD 格式的日期" in proc.stderr
