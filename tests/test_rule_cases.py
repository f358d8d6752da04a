"""Each named case in cases.json, run through the one boundary, shegong.evaluate."""

import json
import subprocess
import sys

import pytest

from shegong import api, evaluate
from support.rulecases import ROOT, crash_bytes, crash_text, load_cases, load_crash_inputs, mismatches, schema_errors

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_named_case(case):
    response = evaluate(case["request"])
    assert mismatches(case["expect"], response) == [], case["rule"]
    assert schema_errors(response) == []
    assert calendar_strays(response) == []
    # The response is what the browser gets back: it must survive a JSON round trip unchanged.
    assert json.loads(json.dumps(response, ensure_ascii=False)) == response


def test_every_case_cites_its_rule():
    for case in CASES:
        assert case["rule"].strip(), case["name"]
    assert len({c["name"] for c in CASES}) == len(CASES)


def test_every_tool_has_cases():
    from shegong.api import TOOLS

    assert {c["request"]["tool"] for c in CASES} == set(TOOLS)


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


def test_late_first_registration_is_computed_with_a_local_rules_note():
    """民发〔2009〕44号第四条 sets no consequence for a late first registration: say so, keep computing."""
    r = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2022-03-01",
                  "first_registered_on": "2023-06-01", "today": "2024-01-01"})
    assert r["ok"] and r["periods"][0]["start"] == "2023-06-01" and r["periods"][0]["end"] == "2026-06-01"
    assert any("以当地民政部门通知为准" in s["text"] for s in r["explanation"])
    on_time = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2022-03-01",
                        "first_registered_on": "2023-03-01", "today": "2024-01-01"})
    assert not any("晚于首次登记受理期限" in s["text"] for s in on_time["explanation"])


def calendar_strays(response: dict) -> list[str]:
    """Calendar events that are no window's end in the answer, and windows without both ends.
    A window is the first registration's (from the pass date to its last day) or a listed
    period's re-registration window; each is written as the day it opens and its last day."""
    if not response.get("ok") or response["tool"] not in ("registration", "plan"):
        return []
    windows = {}
    first = response["first_registration"]
    windows["first"] = (response["passed_on"], first["holiday_extended_last_day"] or first["last_day"])
    for p in response["periods"]:
        if p.get("reregistration_opens"):
            windows[f"rereg-{p['index']}"] = (p["reregistration_opens"], p["holiday_extended_last_day"] or p["reregistration_last_day"])
    strays, ends = [], {}
    for e in response["calendar"]["events"]:
        parts = e["uid"].split("@")[0].split("-")
        if parts[0] in ("paper", "annotation"):
            continue  # the certificate's, in the plan: checked by its own cases
        kind = "first" if parts[0] == "first" else f"rereg-{parts[1]}"
        end = {"opens": 0, "last_day": 1}.get(e["kind"])
        if kind not in windows or end is None or windows[kind][end] != e["date"]:
            strays.append(f"{e['uid']}: {e['kind']} {e['date']} is no window's end in the answer")
        ends.setdefault(kind, []).append(e["kind"])
    strays += [f"{kind}: {got} is not its opening and last day" for kind, got in ends.items() if got != ["opens", "last_day"]]
    return strays


def test_every_registration_calendar_event_is_a_window_of_the_answer():
    """The .ics a reader imports holds only what the JSON (and the page) says: each event is
    the first-registration window or a listed period's re-registration window.  The period
    after today's is listed, and put in the file, only once today's window was kept."""
    base = {"level": "高级社会工作师", "passed_on": "2017-11-20", "first_registered_on": "2018-08-14"}
    for tool in ("registration", "plan"):
        for extra in ({"today": "2025-08-02"}, {"reregistered_on": ["2021-06-01", "2024-06-01"], "today": "2025-08-02"},
                      {"reregistered_on": ["2021-06-01", "2024-06-01", "2027-05-20"], "today": "2027-06-01"},
                      {"today": "2030-01-01"}):
            r = evaluate({"tool": tool, **base, **extra})
            assert r["ok"] and r["calendar"]["events"], (tool, extra)
            assert calendar_strays(r) == [], (tool, extra)
    kept = evaluate({"tool": "registration", **base, "reregistered_on": ["2021-06-01", "2024-06-01", "2027-05-20"],
                     "today": "2027-06-01"})
    assert [p["index"] for p in kept["periods"]] == [1, 2, 3, 4]
    assert [e["uid"].split("-")[:2] for e in kept["calendar"]["events"]] == [["rereg", "4"]] * 2


def test_calendar_uids_differ_between_answers_and_stay_for_the_same_one():
    """Two people's files in one shared calendar: their events must not replace each other's.
    The same facts give the same UIDs (in the registration file and the plan alike), whatever
    day the file was made on; no fact is written into them beyond the window's own dates."""
    one = {"level": "社会工作师", "passed_on": "2024-09-10"}

    def uids(request):
        return [e["uid"] for e in evaluate(request)["calendar"]["events"]]

    same = uids({"tool": "registration", **one, "today": "2025-01-01"})
    assert same == uids({"tool": "registration", **one, "today": "2025-01-02"})
    assert same == uids({"tool": "plan", **one, "today": "2025-01-01"})
    other = uids({"tool": "registration", "level": "助理社会工作师", "passed_on": "2024-09-10", "today": "2025-01-01"})
    # One window, its opening and last day: two UIDs, none shared with the other person's.
    assert len(same) == len(other) == 2 and not set(same) & set(other)
    assert not any("社会工作师" in u for u in same)
    later = {"tool": "registration", **one, "first_registered_on": "2025-03-01", "today": "2025-04-01"}
    assert uids(later) and not set(uids(later)) & set(uids(later | {"level": "高级社会工作师"}))


CRASHES = load_crash_inputs()


@pytest.mark.parametrize("case", CRASHES, ids=[c["name"] for c in CRASHES])
def test_crash_input_gets_a_json_answer(case):
    """Inputs that once ended in a traceback: the browser's entry point answers them in JSON."""
    text = api.evaluate_json(crash_text(case)) if not case.get("cli_only") else json.dumps(api.evaluate(crash_bytes(case)), ensure_ascii=False)
    text.encode("utf-8")  # nothing in the answer is unencodable
    response = json.loads(text)
    assert mismatches(case["expect"], response) == [], case["rule"]
    assert schema_errors(response) == []
    if "says" in case:
        assert case["says"] in response["errors"][0]["message"]


@pytest.mark.parametrize("case", CRASHES, ids=[c["name"] for c in CRASHES])
def test_crash_input_through_the_real_cli(case):
    """The same inputs piped into `python -m shegong`: exit 2 (or 0), JSON on stdout, nothing on stderr."""
    proc = subprocess.run([sys.executable, "-m", "shegong"], input=crash_bytes(case), capture_output=True, cwd=ROOT, timeout=60)
    response = json.loads(proc.stdout.decode("utf-8"))
    assert proc.returncode == (0 if response["ok"] else 2), proc.stderr.decode()
    assert proc.stderr == b""
    assert mismatches(case["expect"], response) == []


def test_no_title_answer_has_the_old_wording_slips():
    """Route wording is a verb phrase of its own: never 可可申报 or 可单位自主聘任."""
    from shegong.policy import load
    from shegong.titles import from_options

    for start in from_options(load()):
        for since in (None, "2020-01-01", "2024-06-01"):
            r = evaluate({"tool": "title", "from": start, "today": "2024-07-01"} | ({"since": since} if since else {}))
            text = json.dumps(r, ensure_ascii=False)
            assert r["ok"] and "可可" not in text and "可单位" not in text, start
            assert not any(o["eligible"] is True and o["needs"] == "condition" for o in r["outcomes"])
            opened = [o["route_text"] + o["target_text"] for o in r["outcomes"] if o["needs"] == "condition"]
            assert not any(f"可走：{w}" in r["summary"] for w in opened)


@pytest.mark.parametrize("text", ["2024-09-10\n", "٢٠٢٤-٠٩-١٠", "２０２４-０９-１０", "2024-09-1０"])
def test_schema_dates_take_ascii_digits_only_and_no_trailing_newline(text):
    import jsonschema

    from support.rulecases import validator

    schema = validator().schema
    for name in ("date", "date_in"):
        v = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})
        assert not v.is_valid(text), (name, text)
    assert jsonschema.Draft202012Validator({"$ref": "#/$defs/date_in", "$defs": schema["$defs"]}).is_valid("2024年9月10日")


def test_a_title_route_is_open_only_when_every_requirement_is_known():
    """天津通知: the years of work, the 8 series, a paragraph's condition on the person and the
    standards it refers to are requirements as much as time held.  ``eligible: true`` only
    when the request says each one is met; a route with a requirement no field decides
    is never open."""
    from shegong.policy import load
    from shegong.titles import from_options

    policy = load()
    routes = {(r["from"], r["target_text"]): r for r in policy.routes()}
    for start in from_options(policy):
        for extra in ({}, {"since": "2015-01-01"}, {"since": "2015-01-01", "work_years": 9},
                      {"since": "2015-01-01", "work_years": 9, "series": "工程技术"}, {"work_years": 0, "series": "体育"}):
            r = evaluate({"tool": "title", "from": start, "today": "2024-07-01"} | extra)
            assert r["ok"], r
            for o in r["outcomes"]:
                route = routes[(start, o["target_text"])]
                if o["eligible"] is not True:
                    continue
                assert not route["conditional"] and not route.get("prerequisite"), (start, o)
                assert not route.get("series_only") or extra.get("series") in policy.titles["skill_series"], (start, o)
                assert not route.get("work") or extra.get("work_years", 0) >= route["years"], (start, o)
                assert route["years"] is None or "since" in extra or route.get("work"), (start, o)


def test_a_condensed_route_text_says_so_and_keeps_the_whole_sentence():
    """A route's text condensed from the notice is marked, its whole sentence kept beside it:
    every clause of the condensed text is in that sentence."""
    import re as _re

    from shegong.policy import load

    condensed = [r for r in load().routes() if r.get("condensed")]
    assert len(condensed) == 5
    for route in condensed:
        for clause in _re.split("[,。]", route["text"]):
            assert clause in route["original"], (route["from"], clause)
        r = evaluate({"tool": "title", "from": route["from"], "today": "2024-07-01"})
        assert any(s["text"] == route["text"] + "（据通知原文节选）" for s in r["explanation"])
