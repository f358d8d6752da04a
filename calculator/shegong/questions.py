"""What each tool asks, declared once beside its rules (``QUESTIONS`` in each rules module).

From one declaration come the request's part of ``schema.json`` (``shegong.schema``), the
command line's options (``shegong.cli``), and the calculator form, which the site build
renders from a ``{{ form:TOOL }}`` marker (``sitebuild/calculator_forms.py``).

A hint may name a rule value as ``{{ p:KEY }}`` or ``{{ pu:KEY }}`` (the guides' markers),
so that it follows ``policy.json``; ``[text](url)`` is a link in the form and plain text
on the command line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .inputs import LEVEL_ALIASES, LEVELS
from .policy import NotInForce, Policy

# kind -> the JSON Schema of a request value of that kind (a declaration's ``schema`` adds to it)
KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "level": {"type": "string"},
    "choice": {"type": "string"},
    "text": {"type": "string"},
    "date": {"$ref": "#/$defs/date_in"},
    "datetime": {"$ref": "#/$defs/datetime"},
    "dates": {"$ref": "#/$defs/date_in_list"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer", "minimum": 1},
    "records": {"type": "array"},
    "annotations": {"type": "array"},
}

_VALUE = re.compile(r"\{\{\s*(pu?)\s*:\s*([^{}]*?)\s*\}\}")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


@dataclass(frozen=True)
class Field:
    """One question.  ``label`` and ``hint`` are what a person reads, in the form and in ``--help``."""

    name: str
    kind: str
    label: str
    hint: str = ""
    required: bool = False
    # The accepted values, or a function of the policy data that gives them (Tianjin's list).
    choices: tuple[str, ...] | Callable[[Policy], tuple[str, ...]] = ()
    blank: str | None = None  # the wording of an empty choice, where leaving it open is allowed
    aliases: Mapping[str, str] = field(default_factory=dict)  # other accepted spellings (links use them)
    default: Any = ""  # the form's value after 清除数据
    form: bool = True  # False: asked on the command line and in JSON only
    more: bool = False  # in the form's optional group
    # False: the page never keeps the value (not in localStorage, not in a link) and no
    # browser autofill or spelling service sees it: an ID number, a photo's details.
    saved: bool = True
    flag: str | None = None  # the command-line flag, where it is not --name (a list's singular)
    # The team sheet's column for this field, where it has one: a declared alias of the label
    # (a sheet's messages name the column; a header may also be the label).
    column: str | None = None
    # Added to the kind's JSON Schema; a function of the policy data where a limit is a policy value.
    schema: Mapping[str, Any] | Callable[[Policy], Mapping[str, Any]] = field(default_factory=dict)
    description: str = ""  # the schema's note for programmers (English, like the rest of schema.json)

    def options(self, policy: Policy) -> tuple[str, ...]:
        return self.choices(policy) if callable(self.choices) else self.choices

    def json_schema(self, policy: Policy) -> dict[str, Any]:
        out = dict(KIND_SCHEMA[self.kind]) | dict(self.schema(policy) if callable(self.schema) else self.schema)
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Questions:
    tool: str
    title: str  # the tool's Chinese name: 登记期限
    summary: str  # one line on what it answers (the subcommand's help)
    fields: tuple[Field, ...]
    # Filled-in examples, as requests the rules accept; the first is what a first visit shows.
    examples: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    one_of: tuple[str, ...] = ()  # exactly one of these is needed
    any_of: tuple[str, ...] = ()  # at least one of these is needed
    more: str = ""  # the summary line of the form's optional group

    @property
    def names(self) -> tuple[str, ...]:
        """The request's fields; any other is refused by name."""
        return ("tool",) + tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def form_required(self) -> tuple[str, ...]:
        """What the form asks for first: the required fields, and the first shown of a one-of group."""
        shown = [f.name for f in self.fields if f.form]
        group = [n for n in self.one_of or self.any_of if n in shown][:1]
        return tuple(f.name for f in self.fields if f.form and (f.required or f.name in group))


def level(hint: str, default: str) -> Field:
    """The certificate level, which several tools ask with their own hint."""
    return Field("level", "level", "证书级别", hint, required=True, choices=LEVELS, aliases=LEVEL_ALIASES, default=default,
                 column="级别")


def rule_value(policy: Policy, key: str, with_unit: bool, on: dt.date | None = None) -> str:
    """A rule value as a hint says it: the one in force on ``on`` (today by default)."""
    try:
        value = policy.value(key, on=on or dt.date.today())
    except NotInForce:
        value = policy.value(key)
    return f"{value}{policy.parameter(key)['unit']}" if with_unit else str(value)


def plain(text: str, policy: Policy) -> str:
    """A hint for the command line: rule values filled in, links as their text."""
    text = _VALUE.sub(lambda m: rule_value(policy, m.group(2), m.group(1) == "pu"), text)
    return _LINK.sub(lambda m: m.group(1), text)
