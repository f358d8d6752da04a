"""Every guide an answer points to is a page of this site, under a name the reader sees
for it: the page's heading or its entry in the navigation.

The rules name guides by their docs/ path (``guide: {"title", "path"}``); nothing else
ties that path to a file, so a renamed page would leave readers a dead link. The answers
checked are those of every named case in cases.json, which cover each kind of step.
"""

import re
from typing import Any, Iterator

import pytest

from shegong import api
from support.rulecases import ROOT, load_cases

DOCS = ROOT / "docs"


def guides(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        if isinstance(value.get("guide"), dict):
            yield value["guide"]
        for v in value.values():
            yield from guides(v)
    elif isinstance(value, list):
        for v in value:
            yield from guides(v)


def named_guides() -> dict[str, str]:
    found = {}
    for case in load_cases():
        for guide in guides(api.evaluate(case["request"])):
            found[guide["path"]] = guide["title"]
    return found


GUIDES = named_guides()


def test_the_named_cases_reach_guides():
    assert len(GUIDES) >= 2, GUIDES


def nav_names() -> dict[str, str]:
    """mkdocs.yml's ``- 名称: path.md`` entries (read as text: the file has custom tags)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return {m.group(2): m.group(1) for m in re.finditer(r"^\s*- ([^:\n]+): (\S+\.md)\s*$", text, re.M)}


@pytest.mark.parametrize("path", sorted(GUIDES))
def test_a_guide_an_answer_names_is_a_page_under_that_name(path):
    page = DOCS / path
    assert page.is_file(), f"{path}: no such page under docs/"
    heading = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)
    names = {heading.group(1).strip() if heading else None, nav_names().get(path)}
    assert GUIDES[path] in names, (path, GUIDES[path], names)
