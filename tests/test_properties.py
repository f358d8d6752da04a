"""Properties of the rules, checked with hypothesis over many generated cases."""

import datetime as dt
import io
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong import api, cli, dates, evaluate
from shegong.policy import load
from support.rulecases import schema_errors

POLICY = load()
WINDOW = POLICY.value("registration.reregistration_window_months")
VALIDITY = POLICY.value("registration.validity_years")
DEGREE = POLICY.value("training.degree_hours")

days = st.dates(min_value=dt.date(2009, 9, 1), max_value=dt.date(2060, 12, 31))
levels = st.sampled_from(["助理社会工作师", "社会工作师", "高级社会工作师", "assistant", "senior"])


@given(start=days, months=st.integers(-240, 240))
def test_month_arithmetic_keeps_the_day_or_goes_to_month_end(start, months):
    end = dates.add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)


@given(passed=days, registered_after=st.integers(0, 800), today_after=st.integers(0, 8000), level=levels)
def test_windows_open_before_they_close_and_periods_chain(passed, registered_after, today_after, level):
    first = passed + dt.timedelta(days=registered_after)
    today = passed + dt.timedelta(days=today_after)
    r = evaluate({"tool": "registration", "level": level, "passed_on": passed.isoformat(),
                  "first_registered_on": first.isoformat(), "today": today.isoformat()})
    assert r["ok"], r
    periods = r["periods"]
    assert len(periods) >= 3
    assert periods[0]["start"] == first.isoformat()
    for p in periods:
        opens, last = dt.date.fromisoformat(p["reregistration_opens"]), dt.date.fromisoformat(p["reregistration_last_day"])
        assert opens < last
        assert opens == dates.add_months(last, -WINDOW)
        assert (last - opens).days <= 31 * WINDOW  # never more than 3 months before, even from a month end
        assert dates.add_years(dt.date.fromisoformat(p["start"]), VALIDITY).isoformat() == p["end"]
        if p["holiday_extended_last_day"]:
            assert p["holiday_extended_last_day"] > p["end"]
    for a, b in zip(periods, periods[1:]):
        assert a["end"] == b["start"]  # no gap, no overlap beyond the shared end day
        assert b["index"] == a["index"] + 1
    assert periods[-1]["end"] >= today.isoformat()


FLAG = {"training": "certified", "course": "passed", "degree": "awarded"}


@st.composite
def record(draw):
    kind = draw(st.sampled_from(["training", "online", "course", "degree"]))
    rec = {"kind": kind, "date": draw(days).isoformat(),
           "hours": draw(st.one_of(st.integers(0, 10000), st.decimals(0, 10000, places=2).map(float)))}
    if kind in FLAG:
        rec[FLAG[kind]] = draw(st.booleans())
    if draw(st.booleans()):
        rec["approved"] = draw(st.booleans())
    return rec


@given(start=days, level=levels, records=st.lists(record(), max_size=12))
def test_counted_hours_never_exceed_what_was_entered(start, level, records):
    r = evaluate({"tool": "training", "level": level, "period_start": start.isoformat(), "records": records})
    assert r["ok"], r
    exact = sum(Decimal(str(x["counted_hours"])) for x in r["records"])
    ceiling = sum(Decimal(str(x["hours"])) for x in records if x["kind"] != "degree") + DEGREE * min(1, sum(x["kind"] == "degree" for x in records))
    assert exact <= ceiling
    # Shown: counted rounded down and remaining rounded up to 0.1, and met agrees with both.
    assert Decimal(str(r["counted_hours"])) <= exact < Decimal(str(r["counted_hours"])) + Decimal("0.1")
    assert r["met"] == (exact >= r["required_hours"]) == (r["counted_hours"] >= r["required_hours"]) == (r["remaining_hours"] == 0)
    assert sum(x["kind"] == "degree" and x["counted_hours"] > 0 for x in r["records"]) <= 1
    assert len(r["records"]) == len(records)
    assert schema_errors(r) == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
fields = st.sampled_from(["tool", "level", "passed_on", "first_registered_on", "today", "period_start", "period_end",
                          "records", "from", "since", "series", "results_published_on", "annotation_requested_at"])
plausible = st.one_of(
    json_values,
    days.map(dt.date.isoformat),
    st.sampled_from(["registration", "training", "title", "certificate", "社会工作师", "技师", "2024-02-30",
                     "2026-01-05T10:30", "工程技术"]),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(request=st.one_of(json_values, st.dictionaries(fields, plausible, max_size=8)))
def test_any_json_gets_a_json_response(request):
    text = json.dumps(request)
    r = evaluate(text, today=dt.date(2026, 11, 27))
    assert isinstance(r["ok"], bool) and isinstance(r["explanation"], list)
    assert schema_errors(r) == []
    if not r["ok"]:
        assert "内部错误" not in r["errors"][0]["message"], r
    json.dumps(r, ensure_ascii=False)


# Any Unicode at all, lone surrogates included (a browser string can hold them).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
unicode_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text | fields, children, max_size=3),
    max_leaves=12,
)
nested = st.builds(lambda depth, opener: (opener[0] * depth) + (opener[1] * depth),
                   st.integers(1, 5000), st.sampled_from(["[]", ["{\"a\":", "1}"]]))


def _text_of(value) -> str:
    # ensure_ascii writes a lone surrogate as its \\u escape, the way JSON.stringify does.
    return json.dumps(value, ensure_ascii=True)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(unicode_values.map(_text_of), any_text, nested,
                      st.builds(lambda v, t: "\ufeff" + _text_of(v) + t, unicode_values, any_text)))
def test_any_text_gets_a_json_answer_without_a_traceback(text):
    """The browser's entry point and the CLI: every answer is JSON that encodes as UTF-8."""
    answer = api.evaluate_json(text, today=dt.date(2026, 11, 27))
    answer.encode("utf-8")
    r = json.loads(answer)
    assert isinstance(r["ok"], bool) and schema_errors(r) == []
    assert not r.get("internal_error"), r
    out = io.StringIO()
    code = cli.main([], stdin=io.StringIO(text), stdout=out)
    cli_answer = json.loads(out.getvalue().encode("utf-8"))
    assert code == (0 if cli_answer["ok"] else 2), cli_answer
