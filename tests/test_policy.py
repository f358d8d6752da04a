"""The policy data: every value sourced and dated, and none of them written into the code."""

import datetime as dt
import json
import re

import pytest

from shegong import evaluate
from shegong.policy import NotInForce, format_date_zh, load, parse_from
from support.rulecases import ROOT

DATA_FILE = ROOT / "calculator" / "shegong" / "policy.json"
POLICY = load()


def test_every_dated_value_names_its_own_source_and_start():
    """Like OpenFisca's ``reference`` on each value: the document, article and quoted text
    belong to the entry, never to the parameter as a whole."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for key, p in raw["parameters"].items():
        assert p["label"] and p["unit"] and p["values"] and POLICY.parameter(key)["label"] == p["label"], key
        assert not {"document", "article", "text"} & set(p), f"{key}: the source belongs to each dated value"
        first = p["values"][0]
        assert {"document", "article", "text"} <= set(first), f"{key}: the first value cites its source"
        for v in POLICY.entries(key):
            parse_from(v["from"])  # raises on a malformed date
            assert v["text"], key
            if v["document"] is not None:
                assert v["document"] in POLICY.documents, key
        if POLICY.entry(key)["document"] is not None:
            assert POLICY.cite(key).startswith(("《", "中国", "公开", "天津", "全国", "常见")), key


def test_every_title_route_names_its_article():
    """The Tianjin routes are dated values too: each set names its document, each route its article."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))["titles"]["routes"]
    assert raw["label"] and raw["values"][0]["document"] in POLICY.documents
    for entry in POLICY.entries("titles.routes"):
        parse_from(entry["from"])
        for route in entry["value"]:
            assert route["route"] in ("direct", "appoint", "apply", "evaluate")
            assert route["article"] and route["text"]


def test_citations_read_as_documents():
    assert POLICY.cite("registration.validity_years") == "《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条"
    assert POLICY.cite("training.max_record_hours") == "本站输入检查"
    assert format_date_zh("2009-09") == "2009年9月" and format_date_zh(None) == ""


def test_source_of_a_value():
    src = POLICY.source("certificate.annotation_max_days")
    assert src == {"parameter": "certificate.annotation_max_days", "citation": POLICY.cite("certificate.annotation_max_days"),
                   "text": POLICY.entry("certificate.annotation_max_days")["text"], "in_force_from": "2021-12-17"}


def test_a_value_is_not_in_force_before_its_first_date():
    with pytest.raises(NotInForce) as info:
        POLICY.value("registration.validity_years", on=dt.date(2009, 4, 7))
    assert info.value.first_from == dt.date(2009, 4, 8)
    assert POLICY.value("registration.validity_years", on=dt.date(2009, 4, 8)) == 3
    # A month-only date applies from the first of the month (the project's reading).
    assert POLICY.value("training.required_hours.社会工作师", on=dt.date(2009, 9, 1)) == 90


def test_a_new_dated_value_applies_only_from_its_date(tmp_path):
    """How a maintainer changes a rule: add a dated entry, keep the old one."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["parameters"]["training.required_hours.助理社会工作师"]["values"].append({"from": "2027-01-01", "value": 60})
    changed = tmp_path / "policy.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    policy = load(changed)
    req = {"tool": "training", "level": "助理社会工作师", "records": []}
    assert evaluate(req | {"period_start": "2026-12-31"}, policy=policy)["required_hours"] == 72
    assert evaluate(req | {"period_start": "2027-01-01"}, policy=policy)["required_hours"] == 60
    assert policy.value("training.required_hours.助理社会工作师") == 60


def _policy_literals():
    """The numbers and dates of the current policy, as they would appear if hard-coded."""
    out = set()
    for p in POLICY.parameters.values():
        for v in p["values"]:
            if isinstance(v["value"], int) and v["value"] > 3:  # 1 and 3 are too common to police
                out.add(str(v["value"]))
            elif isinstance(v["value"], str):
                out.add(v["value"])
            if v["from"]:
                out.add(v["from"])
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "calculator" / "shegong").glob("*.py")), ids=lambda p: p.name)
def test_no_policy_value_is_written_into_the_code(path):
    code = "\n".join(line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
    code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings explain the rules; they do not compute
    found = [lit for lit in _policy_literals() if re.search(rf"(?<![\d.-]){re.escape(lit)}(?![\d-])", code)]
    assert found == [], f"{path.name} hard-codes policy values {found}; read them from policy.json"
