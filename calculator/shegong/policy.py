"""Policy values with their sources and the dates from which they apply.

All numbers the rules use come from ``policy.json`` beside this file, in the manner of
OpenFisca parameters: a value is a list of dated entries, and a calculation about a
date uses the entry in force on that date.  The MkDocs hook reads the same file, so
the guides and the calculator cannot disagree.
"""

from __future__ import annotations

import datetime as _dt
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


class NotInForce(Exception):
    """A value was asked for a date before its first entry took effect."""

    def __init__(self, key: str, first_from: _dt.date, label: str):
        super().__init__(key)
        self.key = key
        self.first_from = first_from
        self.label = label


def parse_from(text: str | None) -> _dt.date | None:
    """``YYYY-MM-DD``, or ``YYYY-MM`` when only the month of issue is known.

    A month-only date applies from the first day of that month: the documents give no
    day, and this is the project's reading, written down here rather than left implicit.
    """
    if text is None:
        return None
    if len(text) == 7:
        return _dt.date.fromisoformat(text + "-01")
    return _dt.date.fromisoformat(text)


def format_date_zh(text: str | None) -> str:
    if text is None:
        return ""
    parts = [int(p) for p in text.split("-")]
    out = f"{parts[0]}年{parts[1]}月"
    return out + (f"{parts[2]}日" if len(parts) == 3 else "")


class Policy:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.documents: dict[str, dict[str, Any]] = data["documents"]
        self.parameters: dict[str, dict[str, Any]] = data["parameters"]
        self.titles: dict[str, Any] = data["titles"]

    def parameter(self, key: str) -> dict[str, Any]:
        """One parameter's record: label, text, unit, document, article and dated values."""
        return self.parameters[key]

    def entry(self, key: str, on: _dt.date | None = None) -> dict[str, Any]:
        """The entry in force on ``on`` (the newest one when ``on`` is None)."""
        values = sorted(
            self.parameters[key]["values"],
            key=lambda v: parse_from(v["from"]) or _dt.date.min,
        )
        if on is None:
            return values[-1]
        chosen = None
        for v in values:
            start = parse_from(v["from"])
            if start is None or start <= on:
                chosen = v
        if chosen is None:
            first = parse_from(values[0]["from"])
            assert first is not None
            raise NotInForce(key, first, self.parameters[key]["label"])
        return chosen

    def value(self, key: str, on: _dt.date | None = None) -> Any:
        return self.entry(key, on)["value"]

    def document(self, name: str | None) -> dict[str, Any] | None:
        return self.documents.get(name) if name else None

    def cite_document(self, name: str | None, article: str = "") -> str:
        doc = self.document(name)
        if doc is None:
            return "本站输入检查"
        if doc.get("cite_as"):
            # Help text and the source article's own statements are not documents: no 《》,
            # and the caveat the notes require travels with every citation.
            return f"{doc['cite_as']}{article}"
        title = f"《{doc['title']}》" if doc["title"] else ""
        number = f"({doc['number']})" if doc["number"] and title else doc["number"]
        return f"{title}{number}{article}"

    def cite(self, key: str) -> str:
        """A citation such as 《社会工作者职业水平证书登记办法》(民发〔2009〕44号)第四条."""
        p = self.parameters[key]
        return self.cite_document(p["document"], p["article"])

    def source(self, key: str, on: _dt.date | None = None) -> dict[str, Any]:
        """What a result step shows as its ``source``."""
        p = self.parameters[key]
        return {
            "parameter": key,
            "citation": self.cite(key),
            "text": p["text"],
            "in_force_from": self.entry(key, on)["from"],
        }


def load(path: str | Path | None = None) -> Policy:
    if path is None:
        return _default()
    return Policy(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default() -> Policy:
    text = resources.files(__package__).joinpath("policy.json").read_text(encoding="utf-8")
    return Policy(json.loads(text))
