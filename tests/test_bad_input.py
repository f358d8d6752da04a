"""Bad input: ok false, a Chinese message naming the field and what is accepted; never a traceback."""

import datetime as dt
import json

import pytest

from shegong import api, evaluate
from rulecases import schema_errors

REG = {"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10"}
TRAIN = {"tool": "training", "level": "助理社会工作师", "period_start": "2022-03-15"}


def rec(**kw):
    base = {"kind": "training", "date": "2022-06-01", "hours": 30, "certified": True}
    base.update(kw)
    return base


BAD = [
    ("malformed date 2024-02-30", {**REG, "passed_on": "2024-02-30"}, "passed_on", "不存在"),
    ("date in the wrong format", {**REG, "passed_on": "10/09/2024"}, "passed_on", "YYYY-MM-DD"),
    ("date that is a number", {**REG, "passed_on": 20240910}, "passed_on", "YYYY-MM-DD"),
    ("absurd year", {**REG, "passed_on": "9999-01-01"}, "passed_on", "1950"),
    ("missing field", {"tool": "registration", "level": "社会工作师"}, "passed_on", "缺少"),
    ("empty field", {**REG, "level": ""}, "level", "缺少"),
    ("unknown level", {**REG, "level": "社工"}, "level", "助理社会工作师"),
    ("level not a string", {**REG, "level": 3}, "level", "可填"),
    ("unknown tool", {"tool": "salary"}, "tool", "registration"),
    ("tool not a string", {"tool": ["registration"]}, "tool", "可填"),
    ("missing tool", {"level": "社会工作师"}, "tool", "缺少"),
    ("registration before the pass date", {**REG, "first_registered_on": "2024-09-09"}, "first_registered_on", "不能早于"),
    ("missing record kind", {**TRAIN, "records": [rec(kind=None)]}, "records[0].kind", "缺少"),
    ("missing title from", {"tool": "title", "today": "2024-07-01"}, "from", "缺少"),
    ("unknown record kind", {**TRAIN, "records": [rec(kind="seminar")]}, "records[0].kind", "training"),
    ("negative hours", {**TRAIN, "records": [rec(hours=-3)]}, "records[0].hours", "负数"),
    ("non-numeric hours", {**TRAIN, "records": [rec(hours="三十")]}, "records[0].hours", "不是数字"),
    ("hours as a boolean", {**TRAIN, "records": [rec(hours=True)]}, "records[0].hours", "不是数字"),
    ("hours as a list", {**TRAIN, "records": [rec(hours=[30])]}, "records[0].hours", "不是数字"),
    ("absurd hours", {**TRAIN, "records": [rec(hours=10001)]}, "records[0].hours", "10000"),
    ("infinite hours", {**TRAIN, "records": [rec(hours=float("inf"))]}, "records[0].hours", "有限"),
    ("NaN hours as text", {**TRAIN, "records": [rec(hours="NaN")]}, "records[0].hours", "有限"),
    ("missing hours", {**TRAIN, "records": [rec(hours=None)]}, "records[0].hours", "缺少"),
    ("record date missing", {**TRAIN, "records": [rec(date=None)]}, "records[0].date", "缺少"),
    ("record not an object", {**TRAIN, "records": ["30 hours"]}, "records[0]", "对象"),
    ("records not a list", {**TRAIN, "records": {"kind": "training"}}, "records", "数组"),
    ("flag not a boolean", {**TRAIN, "records": [rec(certified="yes")]}, "records[0].certified", "true"),
    ("period end before its start", {**TRAIN, "period_end": "2022-03-14"}, "period_end", "不能早于"),
    ("training period before the rules", {**TRAIN, "period_start": "2009-08-31"}, "period_start", "2009年9月"),
    ("title from unknown", {"tool": "title", "from": "工程师"}, "from", "社会工作师"),
    ("title since after today", {"tool": "title", "from": "技师", "since": "2025-01-01", "today": "2024-07-01"}, "since", "晚于"),
    ("title series not a string", {"tool": "title", "from": "技师", "series": 5}, "series", "系列"),
    ("certificate datetime malformed", {"tool": "certificate", "results_published_on": "2025-12-20", "annotation_requested_at": "2026-01-05 10:30"}, "annotation_requested_at", "YYYY-MM-DDTHH:MM"),
    ("certificate datetime impossible", {"tool": "certificate", "results_published_on": "2025-12-20", "annotation_requested_at": "2026-01-05T25:30"}, "annotation_requested_at", "不存在"),
    ("certificate datetime absurd year", {"tool": "certificate", "results_published_on": "2025-12-20", "annotation_requested_at": "3026-01-05T10:30"}, "annotation_requested_at", "范围"),
    ("annotation before the results", {"tool": "certificate", "results_published_on": "2025-12-20", "annotation_requested_at": "2025-12-19T10:30"}, "annotation_requested_at", "不能早于"),
    ("annotation before e-certificates", {"tool": "certificate", "results_published_on": "2020-12-20", "annotation_requested_at": "2021-01-05T10:30"}, "annotation_requested_at", "2021年12月17日"),
]


@pytest.mark.parametrize("name, request_, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field(name, request_, field, words):
    response = evaluate(request_, today=dt.date(2026, 11, 27))
    assert response["ok"] is False
    assert field in [e["field"] for e in response["errors"]], response["errors"]
    message = next(e["message"] for e in response["errors"] if e["field"] == field)
    assert words in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), "the message is in Chinese"
    assert schema_errors(response) == []


def test_several_bad_fields_are_reported_together():
    response = evaluate({"tool": "registration", "level": "x", "passed_on": "2024-13-01"})
    assert {e["field"] for e in response["errors"]} == {"level", "passed_on"}


def test_bad_records_are_all_reported():
    response = evaluate({**TRAIN, "records": [rec(hours=-1), rec(kind="x"), rec()]})
    assert [e["field"] for e in response["errors"]] == ["records[0].hours", "records[1].kind"]


@pytest.mark.parametrize(
    "text, words",
    [
        ("{not json", "不是有效的 JSON"),
        ("", "请求是空的"),
        (b"", "请求是空的"),
        (" \n", "请求是空的"),
        (b"\xef\xbb\xbf", "请求是空的"),
        ("[1, 2]", "JSON 对象"),
        ("42", "JSON 对象"),
        ("null", "JSON 对象"),
        (b"\xff\xfe", "UTF-8"),
        ("x" * (api.MAX_REQUEST_CHARS + 1), "过长"),
    ],
)
def test_not_a_json_object(text, words):
    response = evaluate(text)
    assert response["ok"] is False and response["errors"][0]["field"] == "request"
    assert words in response["errors"][0]["message"]
    assert schema_errors(response) == []


def test_json_text_is_accepted_like_an_object():
    text = json.dumps(REG | {"today": "2025-01-01"}, ensure_ascii=False)
    assert evaluate(text) == evaluate(REG | {"today": "2025-01-01"})
    assert json.loads(api.evaluate_json(text)) == evaluate(text)
    assert evaluate(text.encode("utf-8")) == evaluate(text)


def test_an_internal_bug_still_answers_in_chinese(monkeypatch):
    """The safety net: even a bug in a rule module gives a JSON answer, not a traceback."""

    def broken(request, policy, today):
        raise ZeroDivisionError("bug")

    monkeypatch.setitem(api.TOOLS, "registration", broken)
    response = evaluate(REG)
    assert response["ok"] is False and "内部错误" in response["errors"][0]["message"]
    assert response["internal_error"] is True
    assert schema_errors(response) == []


def test_aliases_and_whitespace_are_accepted():
    response = evaluate({**REG, "level": " Intermediate ", "today": "2025-01-01"})
    assert response["ok"] and response["level"] == "社会工作师"
    hours = evaluate({**TRAIN, "records": [rec(hours=" 12.5 ")]})
    assert hours["counted_hours"] == 12.5, hours
