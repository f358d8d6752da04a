"""The team tool (shegong.batch, shegong.sheets, shegong.ics): named cases from spreadsheets,
each row answered by the registration and training rules, bad rows reported by row and column."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import icalendar
import openpyxl
import pytest

from shegong import api, batch, registration, sheets
from shegong.cli import main
from shegong.policy import load
from support.rulecases import ROOT

TODAY = dt.date(2026, 3, 1)
TEMPLATES = ROOT / "docs" / "assets" / "calculator"
HEAD = "姓名,工号,级别,通过考试日期,首次登记日期,再登记日期,本期已获学时"


def run(data: bytes, name: str = "team.csv", today: dt.date = TODAY) -> dict:
    r = api.evaluate_sheet(data, name, today)
    assert json.loads(json.dumps(r, ensure_ascii=False)) == r
    return r


def csv(*rows: str, head: str = HEAD, encoding: str = "utf-8") -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode(encoding)


def xlsx(rows: list[list], records: list[list] | None = None, head: list[str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(head or HEAD.split(","))
    for r in rows:
        sheet.append(r)
    if records is not None:
        second = book.create_sheet("学习记录")
        for r in records:
            second.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def by_row(r: dict) -> dict[int, dict]:
    return {w["row"]: w for w in r["workers"]}


def same(a: dict, b: dict) -> bool:
    keep = ("row", "name", "stage", "deadline", "days_left", "hours_remaining", "flags")
    return [{k: w[k] for k in keep} for w in a["workers"]] == [{k: w[k] for k in keep} for w in b["workers"]]


# --- named cases ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["team-template.xlsx", "team-template.csv"])
def test_clean_sheet_the_template(name):
    r = run((TEMPLATES / name).read_bytes(), name)
    assert r["ok"] and r["problems"] == [] and r["counts"]["error"] == 0
    assert [w["name"] for w in r["workers"]] == ["示例甲", "示例乙", "示例丙"]
    a, b, c = r["workers"]
    assert a["stage"] == "registered" and a["deadline_label"] == "第1次再登记" and a["hours_counted"] == 36
    assert b["period_start"] == "2023-09-01" and b["deadline_label"] == "第2次再登记"
    assert c["stage"] == "first_registration_open" and c["deadline"] and c["days_left"] > 0
    assert r["summary"].startswith("共 3 人：")


def test_the_two_templates_agree():
    assert same(run((TEMPLATES / "team-template.xlsx").read_bytes(), "t.xlsx"),
                run((TEMPLATES / "team-template.csv").read_bytes(), "t.csv"))


ROWS = ("张三,A01,社会工作师,2024-06-15,2024-09-10,,20", "李四,A02,助理社会工作师,2025-06-14,,,")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_gbk_and_utf8_bom_csv_read_as_utf8(encoding):
    plain = run(csv(*ROWS))
    other = run(csv(*ROWS, encoding=encoding))
    assert same(plain, other) and other["workers"][0]["name"] == "张三" and other["counts"]["error"] == 0


def test_excel_date_cells_and_text_dates_agree():
    cells = run(xlsx([["张三", "A01", "社会工作师", dt.datetime(2024, 6, 15), dt.date(2024, 9, 10), None, 20]]), "t.xlsx")
    slash = run(csv("张三,A01,社会工作师,2024/6/15,2024/9/10 0:00,,20"))
    zh = run(csv("张三,A01,社会工作师,2024年6月15日,2024年9月10日,,20"))
    assert same(cells, slash) and same(cells, zh)
    assert cells["workers"][0]["period_start"] == "2024-09-10"


def test_a_bad_date_row_is_reported_and_the_others_computed():
    r = run(csv("张三,A01,社会工作师,2024-13-01,,,", *ROWS))
    bad = by_row(r)[2]
    assert bad["flags"] == ["error"] and bad["stage"] is None
    assert bad["problems"][0]["column"] == "通过考试日期" and bad["problems"][0]["message"].startswith("第2行「通过考试日期」")
    assert "2024-13-01" in bad["problems"][0]["message"]
    assert by_row(r)[3]["stage"] == "registered" and r["counts"]["error"] == 1
    assert "1 人的输入有误" in r["summary"]


def test_an_unknown_level():
    r = run(csv("张三,A01,中级社工,2024-06-15,,,"))
    p = r["workers"][0]["problems"][0]
    assert p["row"] == 2 and p["column"] == "级别" and "中级社工" in p["message"] and "社会工作师" in p["message"]


def test_an_unknown_column_names_the_closest_known_one():
    r = run(csv("张三,社会工作师,2024-06-15,2024-09-10,x", head="姓名,级别,通过考试日起,首次登记日期,备注"))
    msgs = [p["message"] for p in r["problems"]]
    assert any("通过考试日起" in m and "「通过考试日期」" in m for m in msgs)
    assert any("「备注」" in m and "可用的列" in m for m in msgs)
    assert any("没有「通过考试日期」列" in m for m in msgs)
    # Said once, about the header; the row is marked, not told the same again.
    w = r["workers"][0]
    assert w["problems"] == [] and w["flags"] == ["error"] and w["stage"] is None


def test_a_worker_with_re_registrations_in_columns_and_in_one_cell():
    head = "姓名,级别,通过考试日期,首次登记日期,再登记日期,再登记日期(2)"
    two_columns = run(csv("王五,社会工作师,2013-06-01,2014-01-10,2016-12-01,2019-12-01", head=head), today=dt.date(2021, 3, 1))
    one_cell = run(csv('王五,社会工作师,2013-06-01,2014-01-10,"2016-12-01、2019-12-01"',
                       head="姓名,级别,通过考试日期,首次登记日期,再登记日期"), today=dt.date(2021, 3, 1))
    assert same(two_columns, one_cell)
    w = two_columns["workers"][0]
    assert w["stage"] == "registered" and w["period_start"] == "2020-01-10" and w["deadline_label"] == "第3次再登记"
    assert [x["summary"] for x in w["windows"]][:2] == ["社工证第3次再登记受理期开始", "社工证第3次再登记受理期最后一天"]


def test_a_worker_who_is_overdue():
    r = run(csv("赵六,A04,社会工作师,2019-06-20,2019-08-01,,"))
    w = r["workers"][0]
    assert w["stage"] == "reregistration_missed" and w["flags"] == ["overdue"] and w["days_left"] < 0
    assert r["counts"]["overdue"] == 1 and "1 人逾期" in r["summary"]
    # The guide a late reader's own answer links to (test_guide_links checks it exists).
    assert w["guide"] == {"title": "再登记", "path": "registration/reregistration.md"}
    assert run(csv("赵六,A04,社会工作师,2024-06-20,2024-08-01,,"))["workers"][0]["guide"] is None


def test_without_a_re_registration_column_each_one_is_assumed_on_time():
    r = run(csv("赵六,社会工作师,2019-06-20,2019-08-01", head="姓名,级别,通过考试日期,首次登记日期"))
    assert r["workers"][0]["stage"] == "registered"


def test_due_soon_and_first_registration():
    r = run(csv("甲,,社会工作师,2025-03-10,,,"), today=dt.date(2026, 2, 20))
    w = r["workers"][0]
    assert w["stage"] == "first_registration_open" and w["flags"] == ["due_soon"] and w["hours_required"]
    assert w["windows"][0]["summary"] == "社工证首次登记受理期开始"


def test_not_passed_yet_has_no_deadline():
    w = run(csv("甲,,社会工作师,2026-06-10,,,"))["workers"][0]
    assert w["stage"] == "not_passed_yet" and w["deadline"] is None and w["days_left"] is None and w["flags"] == []


def test_the_next_deadline_after_a_re_registration_beyond_the_chain():
    """Re-registered in the window of the period holding today: the next period's window is next."""
    r = run(csv('甲,,社会工作师,2013-06-01,2014-01-10,"2016-12-01,2019-12-01,2022-12-01",'), today=dt.date(2023, 1, 5))
    w = r["workers"][0]
    assert w["stage"] == "registered" and w["deadline_label"] == "第4次再登记"
    # The calendar and the hours are about that next period too, as the registration and
    # training tools answer for the same worker.
    reg = registration.evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2013-06-01",
                                 "first_registered_on": "2014-01-10",
                                 "reregistered_on": ["2016-12-01", "2019-12-01", "2022-12-01"]}, load(), dt.date(2023, 1, 5))
    # The same windows; the single person's UIDs also carry the case's key (the team's carry the person).
    case = registration.case_key(reg)
    assert w["windows"] == [e | {"uid": e["uid"].replace(f"-{case}", "")} for e in reg["calendar"]["events"]]
    assert [e["kind"] for e in w["windows"]] == ["opens", "last_day"] and w["windows"][0]["window"] == "社工证第4次再登记受理期"
    assert w["deadline"] == w["windows"][1]["date"] and w["period_start"] == "2023-01-10"
    short = run(csv('甲,,社会工作师,2020-06-01,2021-01-10,"2023-12-01",'), today=dt.date(2023, 12, 5))
    assert short["workers"][0]["deadline_label"] == "第2次再登记"


def test_records_on_a_second_sheet():
    records = [["工号", "形式", "日期", "学时", "是否合格", "已审核通过"],
               ["A01", "培训", dt.date(2025, 1, 5), 30, "是", None],
               ["A01", "线上学习", "2025/3/1", 12.5, None, "否"],
               ["A01", "学历", "2025-06-30", None, 1, None],
               ["A01", "课程", "2025-07-01", 10, "不合格", None],
               ["A09", "培训", "2025-07-01", 10, "是", None],
               ["A02", "魔法", "2025-07-01", 10, "是", None],
               [None, None, None, None, None, None]]
    rows = [["张三", "A01", "社会工作师", dt.date(2024, 6, 15), dt.date(2024, 9, 10), None, None],
            ["李四", "A02", "社会工作师", dt.date(2024, 6, 15), dt.date(2024, 9, 10), None, 30],
            ["王五", 1003.0, "社会工作师", dt.date(2024, 6, 15), dt.date(2024, 9, 10), None, None]]
    r = run(xlsx(rows, records), "t.xlsx")
    zhang, li, wang = r["workers"]
    assert zhang["hours_counted"] == 120 and zhang["hours_pending"] == 12.5 and "hours_short" not in zhang["flags"]
    assert [p["column"] for p in li["problems"]] == ["本期已获学时", "形式"]
    assert li["problems"][1]["message"].startswith("学习记录表第7行（第3行的人员）「形式」无法识别：魔法")
    assert wang["id"] == "1003" and wang["hours_counted"] is None and wang["hours_remaining"] == wang["hours_required"]
    assert any(p["row"] == 6 and "找不到对应的人员" in p["message"] for p in r["problems"])


def test_duplicate_workers_share_records_and_are_flagged():
    records = [["姓名", "形式", "日期", "学时"], ["张三", "线上学习", "2025-01-05", 10]]
    rows = [["张三", None, "社会工作师", "2024-06-15", "2024-09-10"], ["张三", None, "社会工作师", "2024-06-15", "2024-09-10"]]
    r = run(xlsx(rows, records, head=["姓名", "工号", "级别", "通过考试日期", "首次登记日期"]), "t.xlsx")
    assert r["workers"][1]["flags"] == ["hours_short", "error"] and r["workers"][1]["problems"][0]["message"].startswith("第3行「姓名」与第2行相同")
    rows = [["张三", None, "社会工作师", "2024-06-15", "2024-13-10"], ["张三", None, "社会工作师", "2024-06-15", "2024-13-10"]]
    r = run(xlsx(rows, records, head=["姓名", "工号", "级别", "通过考试日期", "首次登记日期"]), "t.xlsx")
    assert r["workers"][1]["flags"] == ["error"] and len(r["workers"][1]["problems"]) == 2


def test_an_empty_records_sheet_and_blank_rows():
    book = openpyxl.Workbook()
    book.active.append(["级别", "通过考试日期"])
    book.active.append([None, None])
    book.active.append(["社会工作师", " 2024-06-15 "])
    book.create_sheet("空")
    buf = io.BytesIO()
    book.save(buf)
    r = run(buf.getvalue(), "t.xlsx")
    assert [w["row"] for w in r["workers"]] == [3] and r["problems"] == []


def test_a_row_whose_rules_fail_is_reported_alone(monkeypatch):
    real = registration.outline

    def broken(request, policy, today, naming=None):
        if request["passed_on"] == "2024-06-15":
            raise ZeroDivisionError
        return real(request, policy, today, naming)

    monkeypatch.setattr(registration, "outline", broken)
    r = run(csv(*ROWS))
    assert "内部错误（ZeroDivisionError）" in r["workers"][0]["problems"][0]["message"]
    assert r["workers"][1]["stage"] == "first_registration_open"


# --- files that cannot be read ---------------------------------------------------------


@pytest.mark.parametrize("data, name, words", [
    (b"", "a.csv", "文件是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", ".xls"),
    (b"not a zip", "a.xlsx", "不是 Excel 工作簿"),
    (b"PK\x03\x04broken", "a.xlsx", "无法打开"),
    (b"\xff\xfe\xfd\xfc" * 4, "a.csv", "无法识别文件的编码"),
    ("级别\x00,x".encode(), "a.csv", "不是文本格式"),
])
def test_unreadable_files_are_one_chinese_error(data, name, words):
    r = run(data, name)
    assert r["ok"] is False and r["errors"][0]["field"] == "file" and words in r["errors"][0]["message"]


def test_a_file_too_large(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_BYTES", 10)
    assert "文件太大" in run(csv(*ROWS))["errors"][0]["message"]


def test_an_internal_error_reading_a_file(monkeypatch):
    monkeypatch.setattr(sheets, "read", lambda data, name: 1 / 0)
    r = run(b"x")
    assert r["internal_error"] is True and "ZeroDivisionError" in r["errors"][0]["message"]


def test_an_empty_csv_reports_the_missing_columns():
    r = run(b"\n")
    assert r["workers"] == [] and {p["column"] for p in r["problems"]} == {"级别", "通过考试日期"}


def test_the_browser_entry_point():
    data = csv(*ROWS)
    assert json.loads(api.evaluate_sheet_json(data, "t.csv", "2026-03-01")) == api.evaluate_sheet(data, "t.csv", TODAY)
    assert json.loads(api.evaluate_sheet_json(data, "t.csv", ""))["today"] == dt.date.today().isoformat()


# --- exports ---------------------------------------------------------------------------


def test_exports_xlsx_csv_and_ics():
    r = run((TEMPLATES / "team-template.xlsx").read_bytes(), "t.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(api.export(r, "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == sheets.RESULT_COLUMNS and rows[1][1] == "示例甲" and isinstance(rows[1][5], dt.datetime)
    text = api.export(json.dumps(r, ensure_ascii=False), "csv").decode("utf-8")
    assert text.startswith("\ufeff行号,姓名") and "示例乙" in text and text.endswith("\r\n")
    cal = icalendar.Calendar.from_ical(api.export(r, "ics"))
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == sum(len(w["windows"]) for w in r["workers"]) > 0
    assert all(isinstance(e.decoded("DTSTART"), dt.date) and not isinstance(e.decoded("DTSTART"), dt.datetime) for e in events)
    assert {str(e["SUMMARY"]).split("：")[0] for e in events} == {"示例甲", "示例乙", "示例丙"}
    # Each event is a day of the worker's own window, with the registration rules' reminders.
    by_uid = {str(e["UID"]): e for e in events}
    for w in r["workers"]:
        for win in w["windows"]:
            e = by_uid[f"team-{w['id'] or w['name']}-{win['uid'].split('@')[0]}@shegong-guide"]
            assert e.decoded("DTSTART").isoformat() == win["date"]
            assert e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1)
            rings = sorted((e.decoded("DTSTART") + a.decoded("TRIGGER") - dt.timedelta(hours=9)).isoformat()
                           for a in e.walk("VALARM"))
            assert rings == win["alarms"]
    with pytest.raises(ValueError):
        api.export(r, "pdf")


# --- the command line: the same answers as the page's entry point --------------------------

MESSY = csv("张三,A01,社会工作师,2024/6/15,2024年9月10日,,20", "李四,A02,中级,2024-06-15,,,",
            "王五,A03,社会工作师,2019-06-20,2019-08-01,,", "钱七,A05,社会工作师,2024-02-30,,,",
            head="姓名,工号,级别,通过考试日期,首次登记日期,再登记日期,本期已获学时,备注", encoding="gbk")


@pytest.mark.parametrize("name, data", [("template.xlsx", (TEMPLATES / "team-template.xlsx").read_bytes()), ("messy.csv", MESSY)])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_cli_gives_the_pages_answers(tmp_path, name, data, fmt):
    src, out = tmp_path / name, tmp_path / f"result.{fmt}"
    src.write_bytes(data)
    stdout = io.StringIO()
    assert main(["batch", str(src), "-o", str(out), "--today", "2026-03-01"], stdout=stdout) == 0
    page = json.loads(api.evaluate_sheet_json(data, name, "2026-03-01"))
    assert stdout.getvalue().startswith(page["summary"])
    if fmt == "json":
        assert json.loads(out.read_bytes()) == page
    else:
        assert out.read_bytes() == api.export(page, fmt) or fmt == "xlsx"
    if fmt == "xlsx":
        got = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
        want = list(openpyxl.load_workbook(io.BytesIO(api.export(page, "xlsx"))).active.iter_rows(values_only=True))
        assert got == want


def test_the_cli_writes_ics_and_shows_problems(tmp_path):
    src = tmp_path / "messy.csv"
    src.write_bytes(MESSY)
    stdout = io.StringIO()
    assert main(["batch", str(src), "-o", str(tmp_path / "r.ics")], stdout=stdout) == 0
    assert icalendar.Calendar.from_ical((tmp_path / "r.ics").read_bytes())
    assert "第3行「级别」" in stdout.getvalue() and "「备注」" in stdout.getvalue()
    stdout = io.StringIO()
    assert main(["batch", str(src)], stdout=stdout) == 0 and "结果已写入" not in stdout.getvalue()


@pytest.mark.parametrize("args, words", [
    (["--today", "2026-13-01"], "--today"),
    (["-o", "r.pdf"], ".pdf"),
])
def test_the_cli_refuses_bad_options(tmp_path, capsys, args, words):
    src = tmp_path / "a.csv"
    src.write_bytes(MESSY)
    assert main(["batch", str(src), *args], stdout=io.StringIO()) == 2
    assert words in capsys.readouterr().err


def test_the_cli_on_a_missing_or_unreadable_file(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "none.xlsx")], stdout=io.StringIO()) == 2
    assert "无法读取文件" in capsys.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    stdout = io.StringIO()
    assert main(["batch", str(bad)], stdout=stdout) == 2 and "不是 Excel 工作簿" in stdout.getvalue()
    stdout = io.StringIO()
    assert main(["batch", str(bad), "-o", str(tmp_path / "r.csv")], stdout=stdout) == 2 and "不是 Excel 工作簿" in stdout.getvalue()
    assert not (tmp_path / "r.csv").exists()


def test_the_cli_says_in_chinese_what_the_system_refused(tmp_path, capsys, monkeypatch):
    src = tmp_path / "a.csv"
    src.write_bytes(MESSY)
    assert main(["batch", str(tmp_path / "none.csv")], stdout=io.StringIO()) == 2
    assert main(["batch", str(tmp_path)], stdout=io.StringIO()) == 2
    assert main(["batch", str(src), "-o", str(tmp_path / "no" / "r.csv")], stdout=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "文件不存在" in err and "这是一个文件夹，不是文件" in err and "文件夹" in err and "不存在" in err
    # The output cannot be written: the reader's words, exit 2, never "内部错误".
    for error, words in [(PermissionError(13, "Permission denied"), "没有权限"), (OSError(28, "No space"), "errno 28")]:
        def refuse(*_a, _e=error, **_k):
            raise _e
        monkeypatch.setattr(sheets, "write_csv", refuse)
        stdout = io.StringIO()
        assert main(["batch", str(src), "-o", str(tmp_path / "r.csv")], stdout=stdout) == 2
        err = capsys.readouterr().err
        assert "无法写入结果文件" in err and words in err and "内部错误" not in stdout.getvalue()
        monkeypatch.undo()


def test_a_sheet_without_people_is_an_error_not_a_result(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("甲,社会工作师,2024-09-10\n", encoding="utf-8")  # no header line: its only row is read as one
    for args in ([], ["-o", str(tmp_path / "r.csv")]):
        stdout = io.StringIO()
        assert main(["batch", str(src), *args], stdout=stdout) == 2
        assert "没有读到任何人员" in stdout.getvalue() and "没有「级别」列" in stdout.getvalue()


def test_a_name_that_looks_like_a_formula_is_exported_as_text():
    r = run(csv("=HYPERLINK(\"x\"),社会工作师,2024-06-15,", head="姓名,级别,通过考试日期,首次登记日期"))
    assert r["workers"][0]["name"].startswith("=")
    book = openpyxl.load_workbook(io.BytesIO(api.export(r, "xlsx")))
    cell = list(book.active.iter_rows())[1][1]
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"x\")"
    assert '"\'=HYPERLINK' in api.export(r, "csv").decode("utf-8")


def test_the_real_cli_process(tmp_path):
    out = tmp_path / "result.csv"
    proc = subprocess.run([sys.executable, "-m", "shegong", "batch", str(TEMPLATES / "team-template.csv"), "-o", str(out)],
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes().startswith("\ufeff行号".encode()) and proc.stderr == b""


def test_batch_helpers():
    assert batch.key_of({}) is None and batch._text(None) is None
    assert batch._flag(2) == 2 and batch._flag(True) is True
    assert batch._record({"形式": 5, "日期": "2025-01-01"}) == {"kind": 5, "date": "2025-01-01"}
    p = load()
    event = list(batch.events([{"row": 4, "name": None, "id": None, "windows": [
        {"uid": "first-2025-12-01@shegong-guide", "kind": "last_day", "window": "社工证首次登记受理期",
         "summary": "社工证首次登记受理期最后一天", "date": "2026-02-01", "description": "说明",
         "alarms": ["2026-01-01", "2026-01-02"]}]}]))[0]
    assert event.summary.startswith("第4行") and event.uid == "team-row4-first-2025-12-01@shegong-guide"
    assert event.alarms == (-31, -30) and event.kind == "last_day" and p.value("registration.validity_years", on=dt.date(2026, 1, 1)) >= 1


def test_row_messages_name_the_column_not_the_json_field():
    r = run(csv("甲,中级社工,2024-06-15,", head="姓名,级别,通过考试日期,首次登记日期"))
    message = r["workers"][0]["problems"][0]["message"]
    assert message.startswith("第2行「级别」") and "中级社工" in message
    assert "(level)" not in message and "assistant" not in message


def test_cells_as_the_sheet_gives_them():
    assert batch._text(1003.0) == "1003" and batch._text(2.5) == "2.5"
    assert sheets._cell(dt.date(2024, 9, 10), "日期") == "2024-09-10"
    r = run(csv("张三,甲,社会工作师,  ,2024-06-15", head="姓名,姓名,级别,首次登记日期,通过考试日期"))
    w = r["workers"][0]
    assert w["name"] == "张三" and w["stage"] == "first_registration_missed"


def test_the_committed_templates_are_the_generated_ones():
    """scripts/team_template.py writes them; the .xlsx differs only in its timestamps."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import team_template

    assert sheets.template_csv(team_template.WORKERS) == (TEMPLATES / "team-template.csv").read_bytes()
    made = openpyxl.load_workbook(io.BytesIO(sheets.template_xlsx(team_template.WORKERS, [["张三", "A01", "培训", "2025-01-05", 30, "是", "是"]])))
    kept = openpyxl.load_workbook(TEMPLATES / "team-template.xlsx")
    assert list(made.worksheets[0].values) == list(kept.worksheets[0].values)
    assert [ws.title for ws in kept.worksheets] == ["人员", "学习记录"]
    assert list(kept.worksheets[1].values)[0] == sheets.RECORD_COLUMNS


# --- sheets as offices have them, and files that break off part-way ----------------------------

PEOPLE = [[f"员工{i}", f"A{i:02d}", "社会工作师", dt.date(2024, 6, 15), None, None, 10] for i in range(30)]


def damaged_xlsx(at: float) -> bytes:
    """A real workbook whose worksheet XML is cut off ``at`` of the way through, as a broken
    download or a crashed save leaves it (the zip itself is sound)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(xlsx(PEOPLE)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[:int(len(body) * at)] + b"<row r=\"9999\"><c r=\"A9999\" t=\"s\"><v>"
            out.writestr(item, body)
    return buf.getvalue()


def long_field_csv() -> bytes:
    """A quote left open: the rest of the file reads as one cell past the csv module's limit."""
    rows = [f"员工{i},A{i:02d},社会工作师,2024-06-15,,,10" for i in range(20)]
    return csv(*rows, '员工X,"A99,社会工作师,2024-06-15,,,10', *(["员工Y,A98,社会工作师,2024-06-15,,,10" * 10] * 700))


CRASH_FILES = {
    "damaged sheet, part-way": ("team.xlsx", lambda: damaged_xlsx(0.8), "已损坏"),
    "damaged sheet, at its start": ("team.xlsx", lambda: damaged_xlsx(0.05), "已损坏"),
    "csv field past the limit": ("team.csv", long_field_csv, "引号"),
}


@pytest.mark.parametrize("case", CRASH_FILES, ids=list(CRASH_FILES))
def test_a_file_that_breaks_off_is_a_chinese_message_not_an_internal_error(case):
    name, make, says = CRASH_FILES[case]
    data = make()
    assert len(long_field_csv()) > 131_072
    r = api.evaluate_sheet(data, name, TODAY)
    assert r["ok"] is False and not r.get("internal_error"), r
    assert [e["field"] for e in r["errors"]] == ["file"] and says in r["errors"][0]["message"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json", "ics", None])
@pytest.mark.parametrize("case", CRASH_FILES, ids=list(CRASH_FILES))
def test_the_real_cli_on_a_file_that_breaks_off(tmp_path, case, fmt):
    """Exit 2, the reason in Chinese, nothing on stderr (no traceback), no result file and no
    part of one; an earlier result of the same name is left as it was."""
    name, make, says = CRASH_FILES[case]
    src = tmp_path / name
    src.write_bytes(make())
    out = tmp_path / "out" / f"result.{fmt}"
    out.parent.mkdir()
    if fmt == "csv":
        out.write_bytes(b"earlier result")
    args = [sys.executable, "-m", "shegong", "batch", str(src), "--today", "2026-03-01"] + (["-o", str(out)] if fmt else [])
    proc = subprocess.run(args, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr.decode()
    assert proc.stderr == b"" and says in proc.stdout.decode("utf-8")
    assert [p.name for p in out.parent.iterdir()] == (["result.csv"] if fmt == "csv" else [])
    if fmt == "csv":
        assert out.read_bytes() == b"earlier result"


def test_a_title_row_above_the_header():
    """"2026年度台账" in the first row, the column names in the second: people from the third."""
    rows = ["张三,A01,社会工作师,2024-06-15,,,", "李四,A02,助理社会工作师,2024-06-15,,,"]
    for data, name in ((csv(*rows, head="2026年度台账,,,,,,\n\n" + HEAD), "team.csv"),
                       (xlsx([HEAD.split(","), *[r.split(",") for r in rows]], head=["2026年度台账"]), "team.xlsx")):
        r = run(data, name)
        assert r["counts"]["total"] == 2 and r["problems"] == [], name
        assert [w["row"] for w in r["workers"]] == ([4, 5] if name.endswith("csv") else [3, 4])
        assert [w["level"] for w in r["workers"]] == ["社会工作师", "助理社会工作师"]
    unknown = run(csv("张三,社会工作师,2024-06-15", head="台账\n姓名,级别,通过考试日期,备注"))
    assert [p["row"] for p in unknown["problems"]] == [2] and "第2行（表头）" in unknown["problems"][0]["message"]


def test_merged_cells_fill_the_rows_they_cover():
    """A 级别 merged over three rows (and a date over two columns' worth of a row) is every row's."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD.split(","))
    for i in range(3):
        sheet.append([f"员工{i}", f"A{i}", "社会工作师" if i == 0 else None, "2024-06-15", None, None, None])
    sheet.append(["员工9", "A9", "助理社会工作师", "2024-06-15", None, None, None])
    sheet.merge_cells("C2:C4")
    buf = io.BytesIO()
    book.save(buf)
    r = run(buf.getvalue(), "team.xlsx")
    assert [w["level"] for w in r["workers"]] == ["社会工作师"] * 3 + ["助理社会工作师"]
    assert all(not w["problems"] for w in r["workers"])
    assert list(sheets._filled([(1, [{"column": 1, "value": "x"}]), (2, [])], [(1, 1, 2, 3)])) == \
        [(1, ["x", "x", "x"]), (2, ["x", "x", "x"])]


def test_a_formula_without_its_result_is_named_on_its_row():
    """openpyxl (and other programs) save formulas without computing them: the cell is not
    empty, its value is unknown.  The row says so; the other rows are read."""
    data = xlsx([["张三", "A01", "社会工作师", "=DATE(2024,6,15)", None, None, None],
                 ["李四", "A02", "社会工作师", dt.date(2024, 6, 15), None, None, "=10+5"]],
                records=[["工号", "形式", "日期", "学时"], ["A02", "培训", "2025-01-05", "=2*5"]])
    r = run(data, "team.xlsx")
    first, second = r["workers"]
    assert [p["column"] for p in first["problems"]][0] == "通过考试日期" and "公式" in first["problems"][0]["message"]
    assert "error" in first["flags"] and first["row"] == 2
    assert any(p["column"] == "本期已获学时" and "公式" in p["message"] for p in second["problems"])
    assert any("第2个工作表" in p["message"] and "公式" in p["message"] for p in r["problems"])


def test_the_hours_message_speaks_of_the_column():
    r = run(csv("张三,A01,社会工作师,2020-06-01,2020-09-01,,abc"), today=dt.date(2022, 1, 1))
    message = r["workers"][0]["problems"][0]["message"]
    assert message.startswith("第2行「本期已获学时」不是数字：abc") and "第1条记录" not in message


# Every kind of row problem, as a coordinator would make it: the message names its row and
# column once, the column as the subject ("第2行「通过考试日期」不是有效的日期…").
ROW_PROBLEMS = [
    ("张三,A01,社会工作师,2024-02-30,,,", "通过考试日期", "不是有效的日期：2024-02-30 不存在"),
    ("张三,A01,中级,2024-06-15,,,", "级别", "无法识别：中级"),
    ("张三,A01,,2024-06-15,,,", "级别", "是空的"),
    ("张三,A01,社会工作师,,,,", "通过考试日期", "是空的"),
    ("张三,A01,社会工作师,1900-01-01,,,", "通过考试日期", "超出可计算的范围"),
    ("张三,A01,社会工作师,2020-06-15,2019-08-01,,", "首次登记日期", "不能早于「通过考试日期」"),
    ("张三,A01,社会工作师,2020-06-15,2020-08-01,2020-01-01,", "再登记日期", "应晚于「首次登记日期」"),
    ("张三,A01,社会工作师,2020-06-15,2020-08-01,abc,", "再登记日期", "（第1个）」不是有效的日期：abc"),
    ("张三,A01,社会工作师,2020-06-15,2024-08-01,,-5", "本期已获学时", "不能是负数：-5"),
    ("张三,A01,社会工作师,2020-06-15,2024-08-01,,99999", "本期已获学时", "过大：99999"),
    ("张三,A01,社会工作师,2020-06-15,2024-08-01,,nan", "本期已获学时", "不是有限的数字"),
    # Hours the rules are not asked about (not yet registered, overdue) are still read.
    ("张三,A01,社会工作师,2025-12-01,,,abc", "本期已获学时", "不是数字：abc"),
    ("张三,A01,社会工作师,2019-06-20,,,abc", "本期已获学时", "不是数字：abc"),
    ("张三,A01,中级,2025-12-01,,,-1", "本期已获学时", "不能是负数：-1"),
]


@pytest.mark.parametrize("line, column, says", ROW_PROBLEMS)
def test_a_row_problem_names_its_column_once(line, column, says):
    w = run(csv(line))["workers"][0]
    p = w["problems"][-1]
    # The column's name opens the message, and what is wrong follows it (a date of a cell's
    # list is named with its place: 「再登记日期（第1个）」).
    assert p["column"] == column and p["message"].startswith(f"第2行「{column}"), p["message"]
    assert p["message"].index(says) == len(f"第2行「{column}") + (0 if says.startswith("（") else 1), p["message"]
    assert p["message"].count(column) == 1 and "error" in w["flags"]


def test_hours_on_a_row_not_yet_registered_are_checked_but_not_counted():
    w = run(csv("张三,A01,社会工作师,2025-12-01,,,20"))["workers"][0]
    assert w["problems"] == [] and w["flags"] == [] and w["stage"] == "first_registration_open"
    assert w["hours_counted"] is None and w["hours_required"] is not None


def test_a_message_that_names_the_column_itself_is_not_prefixed_with_it():
    p = run(csv("张三,A01,社会工作师,2020-06-15,,2024-01-01,"))["workers"][0]["problems"][0]
    assert p["column"] == "再登记日期" and p["message"].startswith("第2行：填写「再登记日期」时，也请填写「首次登记日期」")


def test_record_problems_name_the_record_row_and_column_once():
    records = [["工号", "形式", "日期", "学时", "是否合格"],
               ["A01", "培训", "2025-07-01", -3, "是"],
               ["A01", "培训", "2025-03-01", None, "是"],
               ["A01", "培训", None, None, None]]
    rows = [["张三", "A01", "社会工作师", dt.date(2024, 6, 15), dt.date(2024, 9, 10), None, None]]
    said = [p["message"] for p in run(xlsx(rows, records), "t.xlsx")["workers"][0]["problems"]]
    assert said[0].startswith("学习记录表第2行（第2行的人员）「学时」不能是负数：-3")
    assert said[1].startswith("学习记录表第3行（第2行的人员）「学时」是空的")
    assert said[2].startswith("学习记录表第4行（第2行的人员）是空的") and "第1条" not in "".join(said)


@pytest.mark.parametrize("fmt", ["json", "ics"])
def test_json_and_ics_are_written_as_the_rows_are_computed(tmp_path, fmt):
    """The streamed file is the page's answer (json) and export (ics), byte for byte for .ics."""
    src, out = tmp_path / "messy.csv", tmp_path / f"r.{fmt}"
    src.write_bytes(MESSY)
    assert main(["batch", str(src), "-o", str(out), "--today", "2026-03-01"], stdout=io.StringIO()) == 0
    page = json.loads(api.evaluate_sheet_json(MESSY, "messy.csv", "2026-03-01"))
    if fmt == "json":
        assert json.loads(out.read_bytes()) == page
    else:
        assert out.read_bytes() == api.export(page, "ics")


def test_sheets_without_a_header_and_ranges_without_a_value():
    empty = openpyxl.Workbook()
    second = empty.create_sheet("学习记录")
    second["A1"].font = openpyxl.styles.Font(bold=True)  # a styled empty cell: a row of nothing
    buf = io.BytesIO()
    empty.save(buf)
    r = run(buf.getvalue(), "team.xlsx")
    assert r["workers"] == [] and {p["column"] for p in r["problems"]} == set(sheets.REQUIRED)
    assert list(sheets._filled([(1, []), (2, [{"column": 2, "value": "y"}])], [(1, 1, 2, 2)])) == [(1, []), (2, [None, "y"])]


def test_an_xlsx_result_broken_off_leaves_nothing_on_stderr(capsys):
    import gc

    def rows():
        yield from batch.evaluate_rows(sheets.read(MESSY, "messy.csv"), load(), TODAY)
        raise sheets.SheetError("断了")

    with pytest.raises(sheets.SheetError):
        sheets.write_xlsx(rows(), io.BytesIO())
    gc.collect()
    assert capsys.readouterr().err == ""
