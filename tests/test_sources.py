"""Every answer lists each citation once (``sources``), and its steps and rows point into
that list by id; the facts a page used to work out (the day to act by, the window's
months, the local-notice line) are in the answer itself."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

import datetime as dt

from shegong import api, dates, evaluate
from support.rulecases import load_cases, schema_errors

OK_CASES = [c for c in load_cases() if evaluate(c["request"])["ok"]]
EXAMPLES = [(q.tool, label, dict(example)) for q in api.QUESTIONS.values() for label, example in q.examples]


def rows(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object below the answer's top that has a ``sources`` list, with its path."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from rows(item, f"{path}[{i}]")
    elif isinstance(node, dict):
        if path != "$" and "sources" in node:
            yield path, node
        for key, value in node.items():
            if not (path == "$" and key == "sources"):
                yield from rows(value, f"{path}.{key}")


def check_sources(r: dict[str, Any]) -> None:
    listed = r["sources"]
    assert [s["id"] for s in listed] == list(range(1, len(listed) + 1))
    texts = [s["text"] for s in listed]
    assert len(set(texts)) == len(texts), "a citation is listed twice"
    documents = [s["document"] for s in listed if s.get("document")]
    assert len(set(documents)) == len(documents), "a document is listed twice"
    by_id = {s["id"]: s for s in listed}
    used: set[int] = set()
    for path, row in rows(r):
        ids = row["sources"]
        assert ids and all(i in by_id for i in ids), path
        used.update(ids)
        # The row's own string says the same citations, in the same order.
        said = row.get("source", row.get("rule"))
        parts = said.split("；")
        assert len(parts) == len(ids), (path, said, ids)
        for part, i in zip(parts, ids):
            # The listed line is the document with every article cited from it: the row's
            # own citation is that document and one of those articles.
            text, article = by_id[i]["text"], by_id[i].get("article") or ""
            head = text[: text.index(article)] if article else part
            assert part.startswith(head) and part[len(head):] in article or text.startswith(part), (path, part, text)
    assert used == set(by_id), "a listed citation no row uses"
    # Ids are given in the order of first use.
    first = list(dict.fromkeys(i for _path, row in rows(r) for i in row["sources"]))
    assert first == sorted(first)


@pytest.mark.parametrize("case", OK_CASES, ids=[c["name"] for c in OK_CASES])
def test_every_cited_id_is_listed_once(case):
    r = evaluate(case["request"])
    check_sources(r)
    assert all("sources" in step for step in r["explanation"])
    assert all("sources" in d for d in r.get("dates", []))


@pytest.mark.parametrize("tool,label,request_", EXAMPLES, ids=[f"{t}:{label}" for t, label, _ in EXAMPLES])
def test_every_example_lists_its_sources(tool, label, request_):
    r = evaluate({"tool": tool, **request_})
    assert r["ok"] and schema_errors(r) == []
    check_sources(r)


def test_a_plan_lists_a_citation_once_though_its_parts_each_cite_it():
    r = evaluate({"tool": "plan", "level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15",
                  "results_published_on": "2024-12-20",
                  "records": [{"kind": "training", "date": "2025-06-01", "hours": 30, "certified": True}]})
    check_sources(r)
    registration = [s for s in r["sources"] if s.get("document") == "registration"]
    assert len(registration) == 1 and registration[0]["date"] == "2009-04-08"
    # Seven date rows cite the registration rules: all by the one id.
    assert sum(registration[0]["id"] in d["sources"] for d in r["dates"]) >= 3


def test_a_source_line_says_the_document_s_date_from_the_policy_data():
    r = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10"})
    first = r["sources"][r["explanation"][0]["sources"][0] - 1]
    # The first step cites 第四条; a later one 第五条 of the same Measures, listed on the same line.
    assert r["explanation"][0]["source"].startswith("《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条")
    assert first == {"id": first["id"], "text": "《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条、第五条，2009年4月8日",
                     "document": "registration", "article": "第四条、第五条", "date": "2009-04-08"}
    # A statement that is no document of policy.json is listed as it is said, with no parts.
    assert {"id": 3, "text": "国务院公布的历年节假日安排"} in r["sources"]


def test_a_document_is_listed_once_with_every_article_cited_from_it():
    """The Civil Code's counting (第二百零一条、第二百零二条) and holiday (第二百零三条)
    articles are one line; a notice cited as a whole and by part is the part."""
    r = evaluate({"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10"})
    civil = [s for s in r["sources"] if s.get("document") == "civil_code"]
    assert [s["text"] for s in civil] == ["《中华人民共和国民法典》第二百零一条、第二百零二条、第二百零三条"]
    steps = [step for step in r["explanation"] if civil[0]["id"] in step["sources"]]
    assert any("第二百零三条" in step["source"] for step in steps)
    assert any("第二百零三条" not in step["source"] for step in steps)


REGISTRATIONS = [
    {"level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15"},
    {"level": "社会工作师", "passed_on": "2023-10-01"},  # 2024-10-01 is a holiday: moved to 10-08
    {"level": "助理社会工作师", "passed_on": "2019-05-31", "first_registered_on": "2019-06-01",
     "reregistered_on": ["2022-05-01"]},
    {"level": "高级社会工作师", "passed_on": "2012-01-01", "first_registered_on": "2012-02-29", "today": "2026-01-10"},
]


@pytest.mark.parametrize("request_", REGISTRATIONS)
def test_the_day_to_act_by_is_the_moved_last_day_where_there_is_one(request_):
    for tool in ("registration", "plan"):
        r = evaluate({"tool": tool, **request_})
        first = r["first_registration"]
        assert first["deadline"] == (first["holiday_extended_last_day"] or first["last_day"])
        for p in r["periods"]:
            if p.get("assumed"):
                assert p["reregistration_deadline"] is None and p["reregistration_window_months"] is None
                continue
            assert p["reregistration_deadline"] == (p["holiday_extended_last_day"] or p["reregistration_last_day"])
            end = dt.date.fromisoformat(p["end"])
            assert dates.add_months(end, -p["reregistration_window_months"]).isoformat() == p["reregistration_opens"]
        assert r["local_notice"] == "日期按规定推算，具体以当地民政部门通知为准。"
    plan = evaluate({"tool": "plan", **request_})
    for d in plan["deadlines"]:
        assert d["deadline"] == (d["holiday_extended_last_day"] or d["date"])


def test_a_moved_last_day_is_among_the_cases_checked():
    r = evaluate({"tool": "registration", **REGISTRATIONS[1]})
    assert r["first_registration"]["holiday_check"] == "extended"
    assert r["first_registration"]["deadline"] == "2024-10-08" != r["first_registration"]["last_day"]


def test_a_failure_has_no_sources():
    r = evaluate({"tool": "registration", "level": "社会工作师"})
    assert not r["ok"] and "sources" not in r and schema_errors(r) == []


def test_the_certificate_s_local_notice_goes_with_the_paper_estimate():
    paper = evaluate({"tool": "certificate", "results_published_on": "2025-12-20"})
    assert paper["local_notice"] == "纸质证书的发放时间是估计，以当地人事考试部门的公告为准。"
    assert evaluate({"tool": "certificate", "annotation_requested_at": "2026-01-05T10:30"})["local_notice"] is None
