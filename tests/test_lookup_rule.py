"""One lookup rule for every dated value (README, 哪一天的规定), tried on a copy of the data.

For each parameter, a value from a new document is appended from D; every tool that uses
the parameter must answer with the old value and cite the old document the day before D,
and answer with the new value and cite the new document from D on.  The rows here are
also the named cases of the lookup rule: the real data has one value per parameter, so
the day before and the day of a *new* value can only be tried on a copy (the first
boundaries of the real data are named cases in cases.json).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from shegong import api
from shegong.policy import Policy, PolicyError, load
from support.rulecases import ROOT, schema_errors

DATA_FILE = ROOT / "calculator" / "shegong" / "policy.json"
REAL = load(DATA_FILE)
D = dt.date(2030, 1, 1)
NEW_DOC = "lookup_test_notice"
NEW_DOCUMENT = {"title": "测试用的新文件", "number": "测试〔2030〕1号", "issuer": "测试", "date": D.isoformat()}
NEW_CITE = "《测试用的新文件》（测试〔2030〕1号）第一条"
NEW_ROUTES_CITE = "《测试用的新文件》（测试〔2030〕1号）"  # each route brings its own part of the notice


def raw() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any]) -> Policy:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load(path)


def appended(tmp_path: Path, key: str, value: Any, day: dt.date = D) -> Policy:
    """The real data with ``value`` appended to ``key`` from ``day``, from a new document."""
    data = raw()
    data["documents"][NEW_DOC] = NEW_DOCUMENT
    record = data["titles"]["routes"] if key == "titles.routes" else data["parameters"][key]
    record["values"].append({"from": day.isoformat(), "value": value, "document": NEW_DOC,
                             "article": "第一条", "text": "测试用的条文"})
    return write(tmp_path, data)


# ------------------------------------------------------------ reading an answer


def iso(day: dt.date) -> str:
    return day.isoformat()


def months(a: str, b: str) -> int:
    x, y = dt.date.fromisoformat(a[:10]), dt.date.fromisoformat(b[:10])
    return (y.year - x.year) * 12 + y.month - x.month


def step(res: dict, key: str) -> str:
    return next(s["source"] for s in res["explanation"] if s.get("parameter") == key)


def rule(res: dict, key: str) -> str:
    return next(d["rule"] for d in res["dates"] if d["key"] == key)


def registered(level: str = "社会工作师") -> Callable[[dt.date], dict]:
    """Registered on the day asked about (passed a month before): the first period starts that day."""
    return lambda day: {"tool": "registration", "level": level, "passed_on": iso(day - dt.timedelta(days=30)),
                        "first_registered_on": iso(day), "today": iso(day)}


def training_from(level: str = "社会工作师") -> Callable[[dt.date], dict]:
    return lambda day: {"tool": "training", "level": level, "period_start": iso(day), "records": []}


def training_registered(level: str = "社会工作师") -> Callable[[dt.date], dict]:
    return lambda day: {"tool": "training", "level": level, "first_registered_on": iso(day), "today": iso(day), "records": []}


def annotation(day: dt.date) -> dict:
    return {"tool": "certificate", "annotation_requested_at": f"{iso(day)}T10:00"}


def results(day: dt.date) -> dict:
    return {"tool": "certificate", "results_published_on": iso(day)}


Probe = tuple[str, Callable[[dt.date], dict], Callable[[dict], Any], Callable[[dict], str]]


def hours_probes(level: str) -> list[Probe]:
    key = f"training.required_hours.{level}"
    return [
        # The answer's hours are those of the period holding today, here the first one.
        ("registration", registered(level),
         lambda r: r["required_hours"] if r["required_hours"] == r["periods"][0]["required_hours"] else None,
         lambda r: step(r, key)),
        ("training period_start", training_from(level), lambda r: r["required_hours"], lambda r: step(r, key)),
        ("training first_registered_on", training_registered(level), lambda r: r["required_hours"], lambda r: step(r, key)),
    ]


def tianjin_years(routes: list[dict]) -> int:
    # 取得本专业中级职称满1年: years held, dated from ``since`` (a years-of-work route is
    # decided by the years of work, not by a date).
    return next(r["years"] for r in routes if r["from"] == "中级" and r["target"] == "技师")


def longer_tianjin_routes() -> list[dict]:
    routes = copy.deepcopy(REAL.routes())
    for r in routes:
        if r["from"] == "中级" and r["target"] == "技师":
            r["years"] = 6
    return routes


# key: (the new value, how an answer shows the value in force, the tools that use it)
LOOKUP: dict[str, tuple[Any, Callable[[Any], Any], list[Probe]]] = {
    "registration.first_window_years": (2, lambda v: v, [
        ("registration", lambda day: {"tool": "registration", "level": "社会工作师", "passed_on": iso(day), "today": iso(day)},
         lambda r: months(r["passed_on"], r["first_registration"]["last_day"]) // 12,
         lambda r: step(r, "registration.first_window_years")),
    ]),
    "registration.validity_years": (5, lambda v: v, [
        ("registration", registered(), lambda r: months(r["periods"][0]["start"], r["periods"][0]["end"]) // 12,
         lambda r: rule(r, "periods[0].end")),
        ("training period_start", training_from(), lambda r: months(r["period_start"], r["period_end"]) // 12,
         lambda r: rule(r, "period_end")),
        ("training first_registered_on", training_registered(), lambda r: months(r["period_start"], r["period_end"]) // 12,
         lambda r: rule(r, "period_end")),
    ]),
    "registration.reregistration_window_months": (6, lambda v: v, [
        ("registration", registered(),
         lambda r: months(r["periods"][0]["reregistration_opens"], r["periods"][0]["end"]),
         lambda r: rule(r, "periods[0].reregistration_opens")),
    ]),
    "training.required_hours.助理社会工作师": (100, lambda v: v, hours_probes("助理社会工作师")),
    "training.required_hours.社会工作师": (120, lambda v: v, hours_probes("社会工作师")),
    "training.required_hours.高级社会工作师": (150, lambda v: v, hours_probes("高级社会工作师")),
    "training.degree_hours": (120, lambda v: v, [
        ("training", lambda day: training_from()(day) | {"records": [
            {"kind": "degree", "date": iso(day + dt.timedelta(days=10)), "awarded": True}]},
         lambda r: r["records"][0]["counted_hours"], lambda r: step(r, "training.degree_hours")),
    ]),
    "certificate.electronic_since": (D.isoformat(), lambda v: v, [
        ("certificate results", results, lambda r: r["electronic_since"], lambda r: step(r, "certificate.electronic_since")),
    ]),
    "certificate.annotation_hours": (48, lambda v: v, [
        ("certificate annotation", annotation,
         lambda r: (dt.datetime.fromisoformat(r["annotation_ready_by"])
                    - dt.datetime.fromisoformat(r["annotation_requested_at"])) // dt.timedelta(hours=1),
         lambda r: rule(r, "annotation_ready_by")),
    ]),
    "certificate.annotation_max_days": (60, lambda v: v, [
        ("certificate annotation", annotation, lambda r: r["annotation_valid_days"],
         lambda r: step(r, "certificate.annotation_max_days")),
    ]),
    "certificate.annotation_max_valid": (5, lambda v: v, [
        # The count's step cites the count, then its window (once when the two are the same).
        ("certificate annotation", annotation, lambda r: r["annotation_limit"]["max_valid"],
         lambda r: step(r, "certificate.annotation_max_valid").split("；")[0]),
    ]),
    "certificate.annotation_count_window_days": (60, lambda v: v, [
        ("certificate annotation", annotation, lambda r: r["annotation_limit"]["window_days"],
         lambda r: step(r, "certificate.annotation_max_valid").split("；")[-1]),
    ]),
    "certificate.paper_months_min": (4, lambda v: v, [
        ("certificate results", results, lambda r: months(r["results_published_on"], r["paper_expected"]["from"]),
         lambda r: rule(r, "paper_expected.from")),
    ]),
    "certificate.paper_months_max": (5, lambda v: v, [
        ("certificate results", results, lambda r: months(r["results_published_on"], r["paper_expected"]["to"]),
         lambda r: rule(r, "paper_expected.to")),
    ]),
    "title.tianjin_effective": (D.isoformat(), lambda v: v, [
        # 满1年 on 2021-01-01, before the notice: the years are met when the notice takes effect.
        ("title", lambda day: {"tool": "title", "from": "中级", "since": "2020-01-01", "today": iso(day)},
         lambda r: r["outcomes"][0]["eligible_from"], lambda r: step(r, "title.tianjin_effective")),
    ]),
    "titles.routes": (longer_tianjin_routes(), tianjin_years, [
        ("title", lambda day: {"tool": "title", "from": "中级", "since": "2025-06-01", "today": iso(day)},
         lambda r: int(r["outcomes"][0]["eligible_from"][:4]) - 2025, lambda r: r["outcomes"][0]["source"]),
    ]),
}


def photo(size: str = "一寸") -> Callable[[dt.date], dict]:
    return lambda day: {"tool": "photo", "size": size, "today": iso(day)}


LOOKUP |= {
    "photo.max_kb": (400, lambda v: v * REAL.value("photo.bytes_per_kb"), [
        ("photo", photo(), lambda r: r["max_bytes"], lambda r: step(r, "photo.max_kb")),
    ]),
    "photo.bytes_per_kb": (1024, lambda v: v * REAL.value("photo.max_kb"), [
        ("photo", photo(), lambda r: r["max_bytes"], lambda r: step(r, "photo.bytes_per_kb")),
    ]),
    "photo.fit_percent": (80, lambda v: REAL.value("photo.max_kb") * REAL.value("photo.bytes_per_kb") * v // 100, [
        ("photo", photo(), lambda r: r["fit_bytes"], lambda r: step(r, "photo.fit_percent")),
    ]),
    "photo.dpi": (600, lambda v: v, [
        ("photo", photo(), lambda r: r["target"]["dpi"], lambda r: step(r, "photo.dpi")),
    ]),
} | {
    f"photo.{side}_mm.{size}": (size_mm, lambda v: v, [
        ("photo", photo(size), lambda r, side=side: r["target"][f"{side}_mm"], lambda r, key=f"photo.{side}_mm.{size}": step(r, key)),
    ])
    for size, sides in {"一寸": (("width", 26), ("height", 36)), "两寸": (("width", 36), ("height", 50))}.items()
    for side, size_mm in sides
}
# An input check, not a rule: always the newest value (see test_the_record_limit_is_not_dated).
UNDATED = {"training.max_record_hours"}


def test_the_table_goes_through_every_parameter():
    assert set(LOOKUP) | UNDATED == set(REAL.parameters) | {"titles.routes"}


def test_the_readme_table_names_every_parameter_once():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 哪一天的规定", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \|", section, re.M)
    assert sorted(rows) == sorted(set(REAL.parameters) | {"titles.routes"})


ROWS = [(key, name) for key, (_new, _shown, probes) in LOOKUP.items() for name, *_ in probes]


@pytest.mark.parametrize(("key", "tool"), ROWS, ids=[f"{k}-{t}" for k, t in ROWS])
def test_a_new_value_applies_from_its_date_and_cites_its_own_document(tmp_path, key, tool):
    new, shown, probes = LOOKUP[key]
    (_name, ask, read, source), = [p for p in probes if p[0] == tool]
    policy = appended(tmp_path, key, new)
    old_entry = REAL.entry(key)
    old_cite = REAL.cite_document(old_entry["document"], old_entry.get("article", ""))
    new_cite = NEW_ROUTES_CITE if key == "titles.routes" else NEW_CITE

    before = api.evaluate(ask(D - dt.timedelta(days=1)), policy=policy)
    assert before["ok"], before
    assert read(before) == shown(old_entry["value"]), "the day before D: the old value"
    assert old_cite in source(before) and new_cite not in source(before), "the day before D: the old document"

    on = api.evaluate(ask(D), policy=policy)
    assert on["ok"], on
    assert read(on) == shown(new), "from D: the new value"
    assert new_cite in source(on) and old_cite not in source(on), "from D: the new document"
    assert schema_errors(before) == [] and schema_errors(on) == []


def test_the_record_limit_is_not_dated(tmp_path):
    """An input check says what the site accepts, not what a rule said on a day: the newest applies to every date."""
    policy = appended(tmp_path, "training.max_record_hours", 50)
    record = {"kind": "online", "date": "2022-06-01", "hours": 60}
    res = api.evaluate({"tool": "training", "level": "社会工作师", "period_start": "2022-03-15", "records": [record]},
                       policy=policy)
    assert not res["ok"] and res["errors"][0]["field"] == "records[0].hours"


# ------------------------------------------------------------ across D within one answer


def test_each_registration_period_reads_its_rules_on_its_own_start(tmp_path):
    data = raw()
    data["documents"][NEW_DOC] = NEW_DOCUMENT
    new = {"from": D.isoformat(), "document": NEW_DOC, "article": "第一条", "text": "测试用的条文"}
    data["parameters"]["registration.validity_years"]["values"].append(new | {"value": 5})
    data["parameters"]["training.required_hours.社会工作师"]["values"].append(new | {"value": 120})
    policy = write(tmp_path, data)
    res = api.evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2025-03-01",
                        "first_registered_on": "2025-06-01", "today": "2025-07-01"}, policy=policy)
    periods = [(p["start"], p["end"], p["required_hours"]) for p in res["periods"]]
    # The second period starts before D, so it keeps 3 years and 90 hours; the third starts after.
    assert periods == [("2025-06-01", "2028-06-01", 90), ("2028-06-01", "2031-06-01", 90), ("2031-06-01", "2036-06-01", 120)]
    validity = [s for s in res["explanation"] if s.get("parameter") == "registration.validity_years"]
    assert validity[0]["text"].startswith("第1至第2个登记有效期（开始于2025年6月1日）：登记有效期为3年，")
    assert validity[1]["text"].startswith("第3个登记有效期（开始于2031年6月1日）：登记有效期为5年，")
    assert "民发〔2009〕44号" in validity[0]["source"] and NEW_CITE in validity[1]["source"]
    assert [d["rule"].startswith(NEW_CITE) for d in res["dates"] if d["key"].endswith("].end")] == [False, False, True]
    hours = [s for s in res["explanation"] if s.get("parameter") == "training.required_hours.社会工作师"]
    assert ["90小时" in hours[0]["text"], "120小时" in hours[1]["text"]] == [True, True]
    assert res["required_hours"] == 90  # the period holding today


def test_a_question_is_refused_only_for_the_value_it_needs(tmp_path):
    """A validity that starts later than the first-registration window: the deadline is
    answered, the periods (which need the validity) are refused on the first registration."""
    data = raw()
    data["parameters"]["registration.validity_years"]["values"][0]["from"] = "2010-01-01"
    policy = write(tmp_path, data)
    deadline = api.evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2009-06-01", "today": "2009-07-01"},
                            policy=policy)
    assert deadline["ok"] and deadline["first_registration"]["last_day"] == "2010-06-01"
    assert deadline["required_hours"] is None  # the continuing-education rules begin in 2009-09
    periods = api.evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2009-06-01",
                            "first_registered_on": "2009-07-01"}, policy=policy)
    assert not periods["ok"] and [e["field"] for e in periods["errors"]] == ["first_registered_on"]
    assert "2010年1月1日" in periods["errors"][0]["message"]


def test_a_period_worked_out_from_its_start_needs_the_validity_in_force_then():
    """Without an end date the period's length is needed; with one, only the hours are."""
    res = api.evaluate({"tool": "training", "level": "社会工作师", "period_start": "2009-04-07", "records": []})
    assert not res["ok"] and [e["field"] for e in res["errors"]] == ["period_start"]
    assert "民发〔2009〕44号" in res["errors"][0]["message"] and "2009年4月8日" in res["errors"][0]["message"]
    given = api.evaluate({"tool": "training", "level": "社会工作师", "period_start": "2009-04-07",
                          "period_end": "2012-04-07", "records": []})
    assert not given["ok"] and "民发〔2009〕123号" in given["errors"][0]["message"]


# ------------------------------------------------------------ the data's own rules


def test_an_entry_from_the_same_document_inherits_its_article_and_text(tmp_path):
    data = raw()
    data["parameters"]["training.degree_hours"]["values"].append({"from": "2030-01-01", "value": 100})
    data["parameters"]["training.required_hours.社会工作师"]["values"].append(
        {"from": "2030-01-01", "value": 100, "document": "continuing_education", "article": "第八条", "text": "另一条"})
    policy = write(tmp_path, data)
    inherited = policy.entry("training.degree_hours", D)
    first = REAL.entry("training.degree_hours")
    assert [inherited[f] for f in ("document", "article", "text", "article_note")] == \
        [first[f] for f in ("document", "article", "text", "article_note")]
    assert policy.cite("training.required_hours.社会工作师", D).endswith("第八条")
    assert policy.entry("training.required_hours.社会工作师", D)["text"] == "另一条"


def test_a_note_on_whose_words_a_text_is_goes_with_that_text(tmp_path):
    """text_from says a text is not the document's own words: an entry inheriting the text
    inherits the note, and one with its own text does not."""
    data = raw()
    values = data["parameters"]["certificate.electronic_since"]["values"]
    values.append({"from": "2030-01-01", "value": "2021-12-17"})
    values.append({"from": "2031-01-01", "value": "2021-12-17", "document": "e_certificate", "article": "第一条", "text": "原文"})
    policy = write(tmp_path, data)
    note = REAL.entry("certificate.electronic_since")["text_from"]
    assert "来源文章" in note and "不是" in note
    assert policy.entry("certificate.electronic_since", D)["text_from"] == note
    assert "text_from" not in policy.entry("certificate.electronic_since", dt.date(2031, 1, 1))


@pytest.mark.parametrize(("entry", "says"), [
    ({"document": NEW_DOC}, "article、text"),
    ({"document": NEW_DOC, "article": "第一条"}, "text"),
    ({"document": "no_such_document", "article": "第一条", "text": "x"}, "no_such_document"),
], ids=["no article or text", "no text", "unknown document"])
def test_an_entry_from_a_new_document_must_quote_it(entry, says):
    data = raw()
    data["documents"][NEW_DOC] = NEW_DOCUMENT
    data["parameters"]["registration.validity_years"]["values"].append({"from": "2030-01-01", "value": 5} | entry)
    with pytest.raises(PolicyError) as info:
        Policy(data)
    assert "registration.validity_years" in str(info.value) and says in str(info.value)


def test_the_first_routes_entry_names_its_document():
    data = raw()
    del data["titles"]["routes"]["values"][0]["document"]
    with pytest.raises(PolicyError, match="titles.routes"):
        Policy(data)


def test_routes_before_the_notice_are_refused_on_the_day_asked_about(tmp_path):
    data = raw()
    data["titles"]["routes"]["values"][0]["from"] = "2025-01-01"
    policy = write(tmp_path, data)
    res = api.evaluate({"tool": "title", "from": "技师", "today": "2024-06-01"}, policy=policy)
    assert not res["ok"] and res["errors"][0]["field"] == "today"
    assert "2025年1月1日" in res["errors"][0]["message"]
