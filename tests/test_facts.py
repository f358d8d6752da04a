"""Facts, then words: a tool's facts part writes no Chinese of its own.

The facts of the title and certificate rules are dates, numbers and codes.  The Chinese
they hold is the reader's (the request) or the policy data's (a route's text, a dated
entry), never a sentence the rules made up; the words part says it all.  Checked over
every named case and every example of these tools, and over every starting point of the
title rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any, Iterator

import pytest

from shegong import certificate, plan, registration, titles
from shegong.api import QUESTIONS
from shegong.inputs import InputError
from shegong.policy import load
from support.rulecases import ROOT, load_cases

POLICY = load()
TODAY = dt.date(2026, 12, 7)
CJK = re.compile("[\u4e00-\u9fff]")
FACTS = {"title": titles.facts, "certificate": certificate.facts}


def strings(value: Any) -> Iterator[str]:
    """Every string in ``value``: a dataclass, a mapping, a sequence or a string."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


DATA = set(strings(json.loads((ROOT / "calculator" / "shegong" / "policy.json").read_text(encoding="utf-8"))))


def requests() -> list[dict[str, Any]]:
    out = [c["request"] for c in load_cases() if c["request"].get("tool") in FACTS]
    out += [{"tool": tool, **ex} for tool in FACTS for _name, ex in QUESTIONS[tool].examples]
    out += [{"tool": "title", "from": start, **asked} for start in titles.from_options(POLICY)
            for asked in ({}, {"since": "2021-07-01"}, {"since": "2024-05-20", "work_years": 1, "series": "工程技术"})]
    return out


@pytest.mark.parametrize("request_", requests(), ids=lambda r: json.dumps(r, ensure_ascii=False)[:60])
def test_facts_hold_no_words(request_):
    try:
        f = FACTS[request_["tool"]](request_, POLICY, TODAY)
    except InputError:
        return  # refused while reading: the reader's messages are words, and no facts follow
    given = set(strings(request_))
    made = [s for s in strings(f) if CJK.search(s) and s not in given and s not in DATA]
    assert made == []


def test_the_plan_next_step_is_a_code():
    """The plan's next step, before words: a code of NEXT_WORDS (or late) with no Chinese."""
    request = {"tool": "registration", "level": "社会工作师", "passed_on": "2024-09-10", "first_registered_on": "2025-03-15"}
    f = registration.facts(request, POLICY, TODAY)
    reg = registration.words(f, POLICY)
    code, values = plan._next(f, reg, [p | {"assumed": False} for p in reg["periods"]])
    assert code in plan.NEXT_WORDS
    assert not [s for s in strings(values) if CJK.search(s)]
