"""Policy values with their sources and the dates from which they apply.

All numbers the rules use come from ``policy.json`` beside this file, in the manner of
OpenFisca parameters: a value is a list of dated entries, each citing its own document,
article and quoted text, and a calculation about a date uses the entry in force on that
date and cites that entry.  Which date each tool asks about is one rule per parameter
(README, 哪一天的规定).  The MkDocs hook reads the same file, so
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


@lru_cache(maxsize=1024)  # a handful of strings, parsed on every value lookup
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


class Cite(str):
    """One citation, as a step's ``source`` says it, with the parts it is made of: the
    document (its key in policy.json), the article, and the document's date where the data
    has one.  A ``str``, so a response's ``source`` strings stay what they were; the
    response's ``sources`` list is made from these parts (explain.numbered), never by
    splitting a finished string."""

    document: str | None
    article: str
    date: str | None
    date_is: str

    def __new__(cls, text: str, document: str | None = None, article: str = "", date: str | None = None,
                date_is: str = "") -> "Cite":
        self = super().__new__(cls, text)
        self.document, self.article, self.date, self.date_is = document, article, date, date_is
        return self

    def joined(self, other: "Cite") -> "Cite":
        """One citation of the document that names the articles of both, each once; an
        article that another one already says (第一部分 in 第一部分及附件2) is not repeated."""
        articles = [a for a in dict.fromkeys((self.article, other.article)) if a]
        articles = [a for a in articles if not any(a != b and a in b for b in articles)]
        article = "、".join(articles)
        head = self[: len(self) - len(self.article)] if self.article else str(self)
        return Cite(f"{head}{article}", self.document, article, self.date, self.date_is)

    def listed(self) -> dict[str, Any]:
        """The line a page shows once in its 依据 list, and its parts."""
        text = f"{self}，{format_date_zh(self.date)}{self.date_is}" if self.date else str(self)
        out: dict[str, Any] = {"text": text}
        if self.document:
            out |= {"document": self.document, "article": self.article or None, "date": self.date}
        return out


# What an entry cites.  An entry may leave these out only when they are the same as the
# entry before it's: a value from a new document quotes that document (OpenFisca's
# ``reference`` per value), so the old value keeps citing the old one.
SOURCE = ("document", "article", "text")
ROUTES = "titles.routes"


class PolicyError(ValueError):
    """policy.json breaks its own rules; the message says where, in Chinese."""


def _resolved(key: str, values: list[dict[str, Any]], documents: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries in date order, each with its own document, article and text filled in."""
    # A routes entry cites one document; each route in it has its own article and text.
    fields = ("document",) if key == ROUTES else SOURCE
    out: list[dict[str, Any]] = []
    for v in sorted(values, key=lambda v: parse_from(v["from"]) or _dt.date.min):
        before = out[-1] if out else None
        own = {f for f in fields if f in v}
        entry = dict(v)
        if before is None or ("document" in own and v["document"] != before["document"]):
            missing = [f for f in fields if f not in own]
            if missing:
                raise PolicyError(f"policy.json:{key} 自 {v['from']} 起的值依据的文件与前一条不同（或是第一条），"
                                  f"要写出它自己的 {'、'.join(missing)}")
        else:
            for f in fields:
                if f not in own:
                    entry[f] = before[f]
            # A note on the article (or on whose words the text is) belongs to that article
            # (or text) only.
            for note, of in (("article_note", "article"), ("text_from", "text")):
                if of not in own and note in before:
                    entry.setdefault(note, before[note])
        if entry["document"] is not None and entry["document"] not in documents:
            raise PolicyError(f"policy.json:{key} 自 {v['from']} 起的值引用了 documents 里没有的文件 “{entry['document']}”")
        out.append(entry)
    return out


class Policy:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.documents: dict[str, dict[str, Any]] = data["documents"]
        self.parameters: dict[str, dict[str, Any]] = data["parameters"]
        self.titles: dict[str, Any] = data["titles"]
        # What the rules leave open for a late reader, each note with its own source.
        self.notes: dict[str, Any] = data.get("notes", {})
        # Every dated record: the parameters, and the Tianjin routes as one more.
        self._records = {**self.parameters, ROUTES: self.titles["routes"]}
        self._entries = {key: _resolved(key, rec["values"], self.documents) for key, rec in self._records.items()}

    def parameter(self, key: str) -> dict[str, Any]:
        """One parameter's record: label, unit and dated values."""
        return self.parameters[key]

    def entries(self, key: str) -> list[dict[str, Any]]:
        """Every entry of ``key`` in date order, each with its own document, article and text."""
        return self._entries[key]

    def entry(self, key: str, on: _dt.date | None = None) -> dict[str, Any]:
        """The entry in force on ``on`` (the newest one when ``on`` is None)."""
        values = self._entries[key]
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
            raise NotInForce(key, first, self._records[key]["label"])
        return chosen

    def value(self, key: str, on: _dt.date | None = None) -> Any:
        return self.entry(key, on)["value"]

    def routes(self, on: _dt.date | None = None) -> list[dict[str, Any]]:
        """The Tianjin routes in force on ``on``."""
        return self.value(ROUTES, on)

    def document(self, name: str | None) -> dict[str, Any] | None:
        return self.documents.get(name) if name else None

    def cite_document(self, name: str | None, article: str = "") -> Cite:
        doc = self.document(name)
        if doc is None:
            return Cite("本站输入检查")
        if doc.get("cite_as"):
            # How a reader is shown it, where title and number do not say it: help text and
            # statements that are not documents (no 《》, with what to rely on instead), or a
            # notice whose number is unknown (named by its issuer).  What the research could
            # not find stays in the document's note fields, for the 依据 pages only.
            text = f"{doc['cite_as']}{article}"
        else:
            title = f"《{doc['title']}》" if doc["title"] else ""
            number = f"（{doc['number']}）" if doc["number"] and title else doc["number"]
            text = f"{title}{number}{article}"
        return Cite(text, name, article, doc.get("date"), doc.get("date_is", ""))

    def cite(self, key: str, on: _dt.date | None = None) -> Cite:
        """The document and article of the value in force on ``on``, e.g.
        《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条."""
        e = self.entry(key, on)
        return self.cite_document(e["document"], e.get("article", ""))

    def note(self, key: str) -> tuple[str, Cite]:
        """A note for a late reader (``notes`` in policy.json): its text and what it cites."""
        n = self.notes[key]
        return n["text"], self.cite_document(n["document"], n["article"])

    def source(self, key: str, on: _dt.date | None = None) -> dict[str, Any]:
        """The value in force on ``on`` with what it cites."""
        e = self.entry(key, on)
        return {
            "parameter": key,
            "citation": self.cite_document(e["document"], e["article"]),
            "text": e["text"],
            "in_force_from": e["from"],
        }


def load(path: str | Path | None = None) -> Policy:
    if path is None:
        return _default()
    return Policy(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default() -> Policy:
    text = resources.files(__package__).joinpath("policy.json").read_text(encoding="utf-8")
    return Policy(json.loads(text))
