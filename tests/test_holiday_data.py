"""A year of the State Council's holiday arrangement as data (shegong.workcalendar).

Every year here is made up: 2027's notice is not in the reference files, and a real year
is added only from its notice (CONTRIBUTING.md, 每年要做的事).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from shegong import api, dates, workcalendar
from support.rulecases import ROOT

D = dt.date.fromisoformat
NOTICE = {"title": "测试用的虚构通知（不是真实的节假日安排）", "number": "测试〔2026〕1号",
          "date": "2026-11-01", "url": "http://127.0.0.1/notice"}
# Made up: 元旦 Friday 1 to Sunday 3 January 2027, Saturday 9 January a working day.
MADE_UP_2027 = {"year": 2027, "notice": NOTICE,
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                "workdays": [{"date": "2027-01-09", "for": "元旦"}]}
# First registration within a year of passing: the last day is 2027-01-01.
REQUEST = {"tool": "registration", "level": "社会工作师", "passed_on": "2026-01-01", "today": "2026-06-01"}


def write(folder, data, name=None):
    folder.mkdir(exist_ok=True)
    (folder / (name or f"{data['year']}.json")).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def use_files(monkeypatch):
    """The rules answer with the files of a folder, as a copy of the package with them would."""
    def use(folder):
        cal = workcalendar.WorkCalendar(workcalendar.read_dir(folder))
        monkeypatch.setattr(workcalendar, "default", lambda: cal)
        dates.holiday_check.cache_clear()
        return cal
    yield use
    dates.holiday_check.cache_clear()


def first_registration():
    return api.evaluate(REQUEST)["first_registration"]


def test_a_made_up_year_extends_a_deadline(tmp_path, use_files):
    before = first_registration()
    assert before["holiday_check"] == "unknown" and before["holiday_extended_last_day"] is None
    use_files(write(tmp_path / "holidays", MADE_UP_2027))
    after = api.evaluate(REQUEST)
    first = after["first_registration"]
    assert first["last_day"] == "2027-01-01"
    assert (first["holiday_check"], first["holiday_extended_last_day"]) == ("extended", "2027-01-04")
    said = "\n".join(s["text"] for s in after["explanation"])
    assert "2027年1月1日是元旦" in said and "《测试用的虚构通知（不是真实的节假日安排）》，测试〔2026〕1号" in said
    assert dates.known_years() == (2004, 2027)


def test_a_made_up_year_makes_a_weekend_a_working_day(tmp_path, use_files):
    use_files(write(tmp_path / "holidays", MADE_UP_2027))
    assert dates.holiday_check(D("2027-01-09")).status == "working_day"  # a Saturday made a working day
    assert dates.holiday_check(D("2027-01-16")).extended_to == D("2027-01-18")  # an ordinary Saturday
    assert "休息日" in dates.holiday_check(D("2027-01-16")).reason
    assert dates.holiday_check(D("2028-01-03")).status == "unknown"


def test_the_library_wins_for_a_year_it_knows_unless_the_file_says_why(tmp_path, use_files):
    # Made up: 2026-10-09 (a Friday, a working day in the library) as a day off.
    wrong = {**MADE_UP_2027, "year": 2026, "holidays": [{"name": "国庆节", "from": "2026-10-09", "to": "2026-10-09"}],
             "workdays": []}
    cal = use_files(write(tmp_path / "a", wrong))
    assert dates.holiday_check(D("2026-10-09")).status == "working_day"
    assert set(cal.ignored) == {2026} and not cal.used
    use_files(write(tmp_path / "b", {**wrong, "supersedes_library": "测试:库抄错了这一天"}))
    assert dates.holiday_check(D("2026-10-09")).extended_to == D("2026-10-12")
    assert dates.holiday_check(D("2026-10-13")).status == "working_day"  # the file's year, on a weekday


def test_the_packages_own_folder_and_a_missing_one(tmp_path):
    assert workcalendar.read_dir(tmp_path / "missing") == {}
    assert all(f.year >= 2004 for f in workcalendar.read_dir().values())


@pytest.mark.parametrize("change, says", [
    (lambda d: "{", "不是有效的 JSON"),
    (lambda d: {**d, "year": 2028}, "「year」应为 2027"),
    (lambda d: {**d, "notice": {**NOTICE, "number": ""}}, "notice.number(文号)"),
    (lambda d: {**d, "notice": None}, "notice.title(通知标题)"),
    (lambda d: {**d, "holidays": []}, "「holidays」（放假安排）应为非空列表"),
    (lambda d: {**d, "holidays": ["元旦"]}, "「holidays[0]」应为对象"),
    (lambda d: {**d, "holidays": [{"name": "元旦", "from": "2027-1-1", "to": "2027-01-03"}]}, "holidays[0].from（放假开始）"),
    (lambda d: {**d, "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2028-01-03"}]}, "不在2027年"),
    (lambda d: {**d, "holidays": [{"name": "元旦", "from": "2027-01-03", "to": "2027-01-01"}]}, "早于开始日"),
    (lambda d: {**d, "workdays": None}, "「workdays」（调休上班日）应为列表"),
    (lambda d: {**d, "workdays": [{"date": "2027-01-08", "for": "元旦"}]}, "不是周六或周日"),
    (lambda d: {**d, "workdays": [{"date": "2027-01-09"}]}, "workdays[0].for（为哪个节日调休）"),
    (lambda d: {**d, "workdays": [{"date": "2027-01-02", "for": "元旦"}]}, "既写成放假又写成上班"),
])
def test_a_broken_file_is_named_with_its_field(tmp_path, change, says):
    changed = change(MADE_UP_2027)
    folder = tmp_path / "holidays"
    folder.mkdir()
    (folder / "2027.json").write_text(changed if isinstance(changed, str) else json.dumps(changed, ensure_ascii=False),
                                      encoding="utf-8")
    with pytest.raises(workcalendar.HolidayDataError) as e:
        workcalendar.read_dir(folder)
    assert "holidays/2027.json" in str(e.value) and says in str(e.value)


@pytest.mark.slow
def test_the_rules_wheel_carries_the_file(tmp_path):
    """The wheel sitebuild.pyodide_bundle ships to the browser is built the same way (pip wheel
    of pyproject.toml and calculator/): a year's file gets in and answers from inside the zip."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "calculator", src / "calculator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", src)
    (src / "README.md").write_text("test\n", encoding="utf-8")
    write(src / "calculator" / "shegong" / "holidays", MADE_UP_2027)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", tmp_path / "wheel", "."], cwd=src, check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("shegong-*.whl"))
    assert "shegong/holidays/2027.json" in zipfile.ZipFile(wheel).namelist()
    code = ("import json, shegong; from shegong import api; assert shegong.__file__.startswith(%r)\n"
            "print(json.dumps(api.evaluate(json.loads(%r))['first_registration']))") % (str(wheel), json.dumps(REQUEST))
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(wheel), "PATH": ""},
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["holiday_extended_last_day"] == "2027-01-04"
