"""Bad input: ok false, a Chinese message naming the field and what is accepted; never a traceback."""

import datetime as dt
import json
import re

import pytest

from shegong import api, evaluate
from support.rulecases import schema_errors

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
    # The form sends what was typed: "-5" is negative, not "not a number".
    ("negative hours as text", {**TRAIN, "records": [rec(hours="-5")]}, "records[0].hours", "负数"),
    ("negative decimal hours as text", {**TRAIN, "records": [rec(hours="-0.5")]}, "records[0].hours", "负数"),
    ("negative hours with the minus sign U+2212", {**TRAIN, "records": [rec(hours="\u22125")]}, "records[0].hours", "负数"),
    ("negative hours with an en dash", {**TRAIN, "records": [rec(hours="\u20135")]}, "records[0].hours", "负数"),
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


CERT = {"tool": "certificate", "annotation_requested_at": "2026-03-01T09:00"}
FIRST = {"tool": "registration", "level": "社会工作师", "passed_on": "2019-03-01", "first_registered_on": "2019-06-30"}
FROM_REG = {"tool": "training", "level": "社会工作师", "first_registered_on": "2019-06-30"}

MORE_BAD = [
    ("annotation days without a request time", {"tool": "certificate", "results_published_on": "2025-12-20", "annotation_valid_days": 30},
     "annotation_requested_at", "提交加注申请的时间"),
    ("earlier annotation after this one", {**CERT, "earlier_annotations": [{"requested_at": "2026-03-02T09:00"}]},
     "earlier_annotations[0].requested_at", "应早于"),
    ("earlier annotation not an object", {**CERT, "earlier_annotations": ["2026-01-05T10:30"]}, "earlier_annotations[0]", "对象"),
    ("earlier annotation without its time", {**CERT, "earlier_annotations": [{"valid_days": 30}]},
     "earlier_annotations[0].requested_at", "缺少"),
    ("earlier annotation with an unknown field", {**CERT, "earlier_annotations": [{"requested_at": "2026-01-05T10:30", "days": 30}]},
     "earlier_annotations[0].days", "valid_days"),
    ("annotation days not a whole number", {**CERT, "annotation_valid_days": 30.5}, "annotation_valid_days", "整数"),
    ("annotation days zero", {**CERT, "annotation_valid_days": 0}, "annotation_valid_days", "之间的整数"),
    ("re-registration after today", {**FIRST, "reregistered_on": ["2022-05-01"], "today": "2022-04-01"}, "reregistered_on", "晚于今天"),
    ("re-registration without a first registration", {**REG, "reregistered_on": ["2022-05-01"]}, "reregistered_on", "也请填写「首次登记的日期」"),
    ("re-registration before the first registration", {**FIRST, "reregistered_on": ["2019-05-01"]}, "reregistered_on", "应晚于「首次登记的日期」"),
    ("re-registration not a date", {**FIRST, "reregistered_on": ["soon"]}, "reregistered_on[0]", "YYYY-MM-DD"),
    ("re-registrations not a list", {**FIRST, "reregistered_on": "2022-05-01"}, "reregistered_on", "数组"),
    ("two re-registrations in one window", {**FIRST, "reregistered_on": ["2022-05-01", "2022-06-01"], "today": "2023-01-01"},
     "reregistered_on", "2022年6月1日"),
    ("training with both a period and registration dates", {**TRAIN, "first_registered_on": "2019-06-30"}, "first_registered_on", "只填其一"),
    ("training period day before the first registration", {**FROM_REG, "today": "2019-01-01"}, "today", "不能早于"),
    ("training first registration not a date", {**FROM_REG, "first_registered_on": "x"}, "first_registered_on", "YYYY-MM-DD"),
    ("training without any period", {"tool": "training", "level": "社会工作师"}, "period_start", "缺少"),
    ("training first_period not a boolean", {**TRAIN, "first_period": "yes"}, "first_period", "true"),
    ("hours in another script's digits", {**TRAIN, "records": [rec(hours="٣٠")]}, "records[0].hours", "不是数字"),
    ("unknown field with no close name", {**REG, "zzzz": 1}, "zzzz", "可填"),
]


@pytest.mark.parametrize("name, request_, field, words", MORE_BAD, ids=[b[0] for b in MORE_BAD])
def test_more_bad_input_names_the_field(name, request_, field, words):
    test_bad_input_names_the_field(name, request_, field, words)


def test_whole_numbers_may_be_written_as_text_or_floats():
    for days in ("30", 30.0, " 30 "):
        r = evaluate({**CERT, "annotation_valid_days": days})
        assert r["ok"] and r["annotation_valid_days"] == 30, r


def test_a_deeply_nested_object_is_refused_without_recursion():
    deep: dict = {}
    inner = deep
    for _ in range(api.MAX_DEPTH + 5):
        inner["a"] = {}
        inner = inner["a"]
    r = evaluate({"tool": "registration", "x": deep})
    assert r["ok"] is False and "嵌套过深" in r["errors"][0]["message"]


def test_errors_past_twenty_are_counted_not_listed():
    r = evaluate({**TRAIN, "records": [rec(date="x", hours=-1) for _ in range(15)]})
    assert len(r["errors"]) == api.MAX_ERRORS and r["errors_omitted"] == 30 - api.MAX_ERRORS
    assert schema_errors(r) == []


def test_a_late_re_registration_does_not_continue_the_chain():
    """民发〔2009〕44号第四条: only a re-registration inside the window continues; after it, 以当地民政部门通知为准."""
    r = evaluate({**FIRST, "reregistered_on": ["2022-08-01"], "today": "2023-01-01"})
    assert r["ok"] and r["stage"]["code"] == "reregistration_missed" and len(r["periods"]) == 1
    assert any("2022年8月1日晚于对应的受理期限" in s["text"] for s in r["explanation"])


def test_training_after_a_missed_re_registration_warns_and_keeps_the_last_known_period():
    r = evaluate({**FROM_REG, "reregistered_on": [], "today": "2023-01-01",
                  "records": [{"kind": "online", "date": "2022-06-30", "hours": 10}]})
    assert r["ok"] and r["period_index"] == 1 and r["period_end"] == "2022-06-30"
    assert r["counted_hours"] == 10 and r["warnings"][0]["code"] == "reregistration_missed"
    assert schema_errors(r) == []


def test_a_known_holiday_extension_of_a_period_end_is_explained():
    """《民法典》第二百零三条: 2025-05-31 is a rest day, so the window's last day moves to 2025-06-03."""
    r = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2021-12-01",
                  "first_registered_on": "2022-05-31", "today": "2025-03-01"})
    assert any(s["text"].startswith("第1次再登记：2025年5月31日是") and "2025年6月3日" in s["text"] for s in r["explanation"])
    assert r["stage"]["conditional"] is False


def test_what_was_received_is_said_in_json_not_pythons_repr():
    from shegong.inputs import describe

    assert describe(None) == "空值（null）" and describe(False) == "false" and describe([1, None]) == "[1, null]"
    res = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": True})
    res2 = evaluate({"tool": True})
    messages = " ".join(e["message"] for e in res["errors"] + res2["errors"])
    assert "true" in messages
    assert "None" not in messages and "True" not in messages


def test_messages_name_fields_by_their_label_never_their_path():
    """The path stays in ``field`` (where the form puts the message); the text is for people."""
    res = evaluate({**TRAIN, "records": [rec(), rec(), rec(), {"kind": "training", "hours": 3}], "level": None})
    messages = {e["field"]: e["message"] for e in res["errors"]}
    assert "records[3].date" in messages and "level" in messages
    assert messages["records[3].date"] == "第4条学习记录缺少「日期」。请填写这一项。"
    for e in res["errors"]:
        assert e["field"] not in e["message"] and "records[" not in e["message"], e


def test_an_empty_record_is_named_once():
    res = evaluate({**TRAIN, "records": [rec(), {"kind": "training", "certified": True, "approved": True}, rec(date="2023-01-01")]})
    assert res["errors"] == [{"field": "records[1].date", "message": "第2条学习记录是空的：请填写日期和学时，或删除这一条。"}]


# A field's name or path written into a message: "(id_number)", "(records[0].hours)".
FIELD_PATH = re.compile(r"[(（][a-z_]+(\[\d+\])?(\.[a-z_]+)?[)）]")


@pytest.mark.parametrize("tool", sorted(api.TOOLS))
def test_no_tools_missing_field_message_names_a_path(tool):
    """Every tool asked with nothing filled in: each message is for people."""
    res = evaluate({"tool": tool})
    assert res["ok"] is False and res["errors"]
    for e in res["errors"]:
        assert not FIELD_PATH.search(e["message"]), e


def test_warnings_name_no_field_a_page_does_not_have():
    res = evaluate({**TRAIN, "records": [rec(date=TRAIN["period_start"])]})
    (warning,) = [w for w in res["warnings"] if w["code"] == "start_day_record"]
    assert not FIELD_PATH.search(warning["message"]) and "first_period" not in warning["message"], warning
