"""One reading of each field, from its declaration: the label a form shows is the label its
error names, for every declared required field of every tool, and a team sheet's column is
the field's declared alias."""

from __future__ import annotations

import pytest

from shegong import api, evaluate, sheets

REQUIRED = [(q.tool, f) for q in api.QUESTIONS.values() for f in q.fields if f.required]
GROUPS = [(q.tool, q.one_of or q.any_of) for q in api.QUESTIONS.values() if q.one_of or q.any_of]


def example(tool: str) -> dict:
    return {"tool": tool, **api.QUESTIONS[tool].examples[0][1]}


def test_every_tool_declares_something_required():
    assert {tool for tool, _f in REQUIRED} | {tool for tool, _g in GROUPS} == set(api.TOOLS)


@pytest.mark.parametrize("tool,field", REQUIRED, ids=[f"{t}.{f.name}" for t, f in REQUIRED])
def test_a_missing_required_field_is_named_by_its_form_label(tool, field):
    request = example(tool)
    request.pop(field.name, None)
    r = evaluate(request)
    assert r["ok"] is False
    said = [e["message"] for e in r["errors"] if e["field"] == field.name]
    assert said and f"「{field.label}」" in said[0], (field.label, r["errors"])


# An ID number is checked, not refused: a wrong character is named by its position.
REFUSED = [(t, f) for t, f in REQUIRED if t != "idcard"]


@pytest.mark.parametrize("tool,field", REFUSED, ids=[f"{t}.{f.name}" for t, f in REFUSED])
def test_a_bad_required_field_is_named_by_its_form_label(tool, field):
    r = evaluate(example(tool) | {field.name: "？"})
    said = [e["message"] for e in r["errors"] if e["field"] == field.name]
    assert r["ok"] is False and said and said[0].startswith(f"「{field.label}」"), r


@pytest.mark.parametrize("tool,group", GROUPS)
def test_a_group_left_empty_is_named_by_its_form_labels(tool, group):
    request = {k: v for k, v in example(tool).items() if k not in group}
    r = evaluate(request)
    labels = [api.QUESTIONS[tool].field(name).label for name in group]
    message = " ".join(e["message"] for e in r["errors"])
    assert r["ok"] is False and f"「{labels[0]}」" in message, message


def test_the_team_sheet_s_columns_are_the_fields_declared_aliases():
    fields = {f.name: f for f in api.QUESTIONS["registration"].fields}
    for name, column in sheets.FIELD_COLUMN.items():
        assert fields[name].column == column
        # A header may be the form's label too: it is read as the column.
        assert sheets._known(fields[name].label, sheets.COLUMNS) == column
