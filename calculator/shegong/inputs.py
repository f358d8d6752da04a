"""Reading a request: every bad value becomes a Chinese message that names its field.

Errors are collected rather than raised one at a time, so a form can mark every
wrong field at once.
"""

from __future__ import annotations

import json

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

if TYPE_CHECKING:  # questions imports this module's LEVELS
    from .policy import Policy
    from .questions import Questions

LEVELS = ("助理社会工作师", "社会工作师", "高级社会工作师")
LEVEL_ALIASES = {"assistant": "助理社会工作师", "intermediate": "社会工作师", "senior": "高级社会工作师"}

# Dates far outside any plausible case are typing mistakes (e.g. 20244-09-10), and
# keeping them out also keeps the month arithmetic clear of datetime's limits.
MIN_YEAR, MAX_YEAR = 1950, 2100

# ASCII digits only ([0-9], not \d): other scripts' digits are not dates.  The written
# forms people use (2024年9月10日, 2024/9/10, 2024.9.10) are matched after normalize() has
# made full-width digits ASCII and stripped outer spaces, a pasted trailing newline
# included: that one is read, by design.  \Z rather than $ keeps any newline left inside
# from matching.  Digits NFKC would also make ASCII (⑳, ², 𝟐) are refused first
# (_plain_digits): the README counts only ASCII and full-width digits as dates.
_DATE_FORMS = (
    re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z"),
    re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})\Z"),
    re.compile(r"([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})\Z"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?\Z"),
)
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})\Z")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
# A number typed with a minus sign is negative, not "not a number": the ASCII hyphen-minus
# (NFKC maps the full-width and small ones to it), the minus sign U+2212 and the dashes a
# phone keyboard or a word processor puts in its place.
_NEGATIVE = re.compile(r"[-\u2212\u2012-\u2015][0-9]+(\.[0-9]+)?\Z")


# kind -> (type, what it is called, (the form to type, an example))
_MOMENTS: dict[str, tuple[type, str, tuple[str, str]]] = {
    "date": (dt.date, "日期", ("YYYY-MM-DD", "2024-09-10")),
    "datetime": (dt.datetime, "日期时间", ("YYYY-MM-DDTHH:MM（北京时间）", "2026-01-05T10:30")),
}


class InputError(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


def printable(text: str) -> str:
    """``text`` with lone surrogates written as \\udXXX: they cannot be encoded as UTF-8."""
    return "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in text)


def describe(value: Any) -> str:
    """What was received, in the request's own notation (JSON), never Python's repr."""
    if value is None:
        text = "空值（null）"
    elif isinstance(value, str):
        text = printable(value)
    else:
        text = printable(json.dumps(value, ensure_ascii=False, default=str))
    return text if len(text) <= 40 else text[:37] + "…"


def normalize(value: Any) -> Any:
    """What people type, made comparable: NFKC (full-width digits and spaces) and no outer spaces."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def closest(name: str, known: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True)
class Naming:
    """How messages name a request's fields where it is not the form's: the place it comes
    from (``where``: 第2行), the names its fields go by there (a team sheet's columns), and
    how each item of a nested list is named (``nested(list_name, index)``)."""

    where: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    nested: Callable[[str, int], "Naming"] | None = None
    cells: bool = False  # the fields are a sheet's cells: one left out is empty, not missing


class Reader:
    """Reads named fields of one JSON object; ``prefix`` names nested fields (records[2].hours).

    With ``questions`` (a tool's declaration), ``read(name)`` takes the field's kind, label
    and requiredness from its ``Field``, so a message names the field as the form does.
    ``naming`` says where else the request comes from and what its fields are called there."""

    def __init__(self, obj: dict[str, Any], errors: list[dict[str, str]] | None = None, prefix: str = "",
                 questions: "Questions | None" = None, policy: "Policy | None" = None,
                 naming: Naming | None = None):
        self.obj = obj
        self.errors = [] if errors is None else errors
        self.prefix = prefix
        self.questions = questions
        self.policy = policy
        self.naming = naming or Naming()

    def label(self, name: str) -> str:
        """The declared name of ``name``: the form's label, or the name it is asked under here."""
        if name in self.naming.labels:
            return self.naming.labels[name]
        assert self.questions is not None, "a label comes from the tool's declaration"
        return self.questions.field(name).label

    def given(self, name: str) -> bool:
        return normalize(self.obj.get(name)) not in (None, "")

    def required(self, name: str) -> bool:
        """Declared required, or the one of its group (``one_of``) to fall back on when none is given."""
        assert self.questions is not None
        q = self.questions
        if q.field(name).required:
            return True
        return name in q.one_of and not any(self.given(n) for n in q.one_of)

    def read(self, name: str, **limits: Any) -> Any:
        """The value of the declared field ``name``, read as its kind says (None when absent or bad).
        ``limits`` are an integer's ``lowest``/``highest`` where they are not in its schema."""
        assert self.questions is not None and self.policy is not None
        f = self.questions.field(name)
        label = self.label(name)
        if f.kind in ("date", "datetime"):
            return self._moment(name, label, self.required(name), *_MOMENTS[f.kind])
        if f.kind == "dates":
            return self.date_list(name, label)
        if f.kind == "level":
            return self.level(name, label)
        if f.kind == "choice":
            return self.choice(name, label, f.options(self.policy))
        if f.kind == "boolean":
            return self.boolean(name, label, limits.get("default"))
        assert f.kind == "integer", f.kind
        schema = f.json_schema(self.policy)
        return self.integer(name, label, limits.get("lowest", schema.get("minimum", 1)),
                            limits.get("highest", schema.get("maximum")))

    def field(self, name: str) -> str:
        return printable(f"{self.prefix}{name}")

    def error(self, name: str, message: str) -> None:
        """A sentence about the request (said of where it comes from, if elsewhere)."""
        where = self.naming.where
        self.errors.append({"field": self.field(name), "message": f"{where}：{message}" if where else message})

    def bad(self, name: str, label: str | None, problem: str) -> None:
        """A message about one field that opens with its name: 「通过考试的日期」不是有效的日期…
        (a sheet's: 第2行「通过考试日期」不是…); without a label, about the item itself."""
        said = f"「{label}」{problem}" if label else problem
        self.errors.append({"field": self.field(name), "message": f"{self.naming.where}{said}"})

    def missing(self, name: str, label: str, then: str) -> None:
        if self.naming.cells:
            self.bad(name, label, f"是空的。{then}")
        else:
            self.bad(name, None, f"缺少「{label}」。{then}")

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def reject_unknown(self, known: Iterable[str] | None = None) -> None:
        """An unknown name is most often a typing slip: name it and suggest the nearest known one.
        ``known`` defaults to the declared fields."""
        if known is None:
            assert self.questions is not None
            known = self.questions.names
        known = tuple(known)
        for key in self.obj:
            if key in known:
                continue
            guess = closest(key, known)
            hint = f"你是不是要填「{guess}」？" if guess else f"可填：{'、'.join(known)}。"
            # An empty name is named in JSON's notation (""): an error's field is never empty.
            shown = key or '""'
            unknown = f"里有不认识的字段「{describe(shown)}」。{hint}"
            if self.naming.where:  # a list's item: said of the item
                self.bad(shown, None, unknown)
            else:
                self.error(shown, "请求" + unknown)

    def _get(self, name: str, label: str, required: bool) -> Any:
        value = normalize(self.obj.get(name))
        if value is None or value == "":
            if required:
                self.missing(name, label, "请填写这一项。")
            return None
        return value

    def _moment(self, name: str, label: str, required: bool, kind: type, what: str, example: tuple[str, str]):
        """A date or date-time, inside the years the calculator handles."""
        value = self._get(name, label, required)
        if value is None:
            return None
        accepted = f"请按 {example[0]} 填写，例如 {example[1]}"
        raw = self.obj.get(name)
        iso = _iso(value, kind) if isinstance(value, str) and _plain_digits(raw) else None
        if iso is None:
            self.bad(name, label, f"不是有效的{what}：{describe(raw)}。{accepted}。")
            return None
        try:
            moment = kind.fromisoformat(iso)
        except ValueError:
            self.bad(name, label, f"不是有效的{what}：{value} 不存在。{accepted}。")
            return None
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            self.bad(name, label, f"超出可计算的范围：{value}。请填写 {MIN_YEAR}–{MAX_YEAR} 年之间的{what}。")
            return None
        return moment

    def date(self, name: str, label: str, required: bool = True) -> dt.date | None:
        return self._moment(name, label, required, *_MOMENTS["date"])

    def datetime(self, name: str, label: str, required: bool = True) -> dt.datetime | None:
        return self._moment(name, label, required, *_MOMENTS["datetime"])

    def level(self, name: str = "level", label: str = "证书级别") -> str | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        if isinstance(value, str) and value.strip() in LEVELS:
            return value.strip()
        if isinstance(value, str) and value.strip().lower() in LEVEL_ALIASES:
            return LEVEL_ALIASES[value.strip().lower()]
        # The English spellings are the command line's; a sheet's reader is not shown them.
        english = "" if self.naming.cells else f"（或 {', '.join(LEVEL_ALIASES)}）"
        self.bad(name, label, f"无法识别：{describe(value)}。可填：{'、'.join(LEVELS)}{english}。")
        return None

    def choice(self, name: str, label: str, options: tuple[str, ...]) -> str | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        if isinstance(value, str) and value.strip() in options:
            return value.strip()
        self.bad(name, label, f"无法识别：{describe(value)}。可填：{'、'.join(options)}。")
        return None

    def boolean(self, name: str, label: str, default: bool | None = None) -> bool | None:
        """A yes/no; without a ``default`` it is required, and a missing one is an error."""
        value = self.obj.get(name)
        if value is None:
            if default is None:
                self.missing(name, label, "请填写 true（是）或 false（否）。")
            return default
        if isinstance(value, bool):
            return value
        self.bad(name, label, f"应为 true（是）或 false（否），收到：{describe(value)}。")
        return default

    def hours(self, name: str, label: str, maximum: int) -> Decimal | None:
        value = self._get(name, label, True)
        if value is None:
            return None
        accepted = f"请填写 0 到 {maximum} 之间的数字，例如 30 或 1.5"
        # bool is an int in Python, but true/false is never an hour count.
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.bad(name, label, f"不是数字：{describe(value)}。{accepted}。")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.bad(name, label, f"不是有限的数字：{describe(value)}。{accepted}。")
            return None
        text = str(value)
        # Decimal() would also read other scripts' digits; only ASCII ones are numbers here.
        # NaN and Infinity are let through to be named for what they are below.
        number = None
        if not isinstance(value, str) or _NUMBER.match(text) or text.lower() in ("nan", "inf", "infinity", "-inf", "-infinity"):
            number = Decimal(text)
        if number is None and _NEGATIVE.match(text):
            self.bad(name, label, f"不能是负数：{describe(value)}。{accepted}。")
            return None
        if number is None:
            self.bad(name, label, f"不是数字：{describe(value)}。{accepted}。")
            return None
        if not number.is_finite():  # NaN, Infinity
            self.bad(name, label, f"不是有限的数字：{describe(value)}。{accepted}。")
            return None
        if number < 0:
            self.bad(name, label, f"不能是负数：{describe(value)}。{accepted}。")
            return None
        if number > maximum:
            self.bad(name, label, f"过大：{describe(value)}，一条记录不可能有这么多学时。{accepted}。")
            return None
        return number

    def integer(self, name: str, label: str, lowest: int, highest: int) -> int | None:
        """An optional whole number in [lowest, highest]."""
        value = self._get(name, label, False)
        if value is None:
            return None
        # Up to 9 digits: a photo's size in bytes is a whole number of millions.
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,9}", value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            self.bad(name, label, f"应为 {lowest} 到 {highest} 之间的整数，收到：{describe(value)}。")
            return None
        return value

    def date_list(self, name: str, label: str) -> list[dt.date] | None:
        """An optional list of dates, each error naming its item (reregistered_on[1]); None when absent."""
        if self.obj.get(name) is None:
            return None
        out = []
        for i, item in enumerate(self.list(name, label)):
            one = Reader({f"{name}[{i}]": item}, self.errors, self.prefix, naming=Naming(self.naming.where, cells=self.naming.cells))
            day = one.date(f"{name}[{i}]", f"{label}（第{i + 1}个）")
            if day is not None:
                out.append(day)
        return sorted(out)

    def list(self, name: str, label: str) -> list[Any]:
        value = self.obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(name, label, f"应为记录列表（JSON 数组），收到：{describe(value)}。")
            return []
        return value

    def objects(self, name: str, label: str, each: str, example: str,
                labels: Mapping[str, str] | None = None) -> Iterator[tuple[int, "Reader"]]:
        """A reader for each object of the list ``name``, its messages said of the item
        (第2{each}「日期」…, or as ``naming.nested`` names it) with its fields' ``labels``; an item
        that is not an object is an error naming it (``第2{each}应为对象，例如 {example}。``)."""
        for i, raw in enumerate(self.list(name, label)):
            if isinstance(raw, dict):
                item = self.naming.nested(name, i) if self.naming.nested else Naming(f"{self.naming.where}第{i + 1}{each}")
                naming = Naming(item.where, {**(labels or {}), **item.labels}, cells=item.cells)
                yield i, Reader(raw, self.errors, prefix=f"{self.prefix}{name}[{i}].", naming=naming)
            else:
                self.error(f"{name}[{i}]", f"第{i + 1}{each}应为对象，例如 {example}。")


def _plain_digits(text: str) -> bool:
    """No digit but ASCII and full-width ones: NFKC would turn ⑳ or 𝟐 into digits too."""
    return text.isascii() or not any(not ("0" <= c <= "9" or "０" <= c <= "９") and any(d.isdigit() for d in unicodedata.normalize("NFKC", c))
                   for c in text)


def _iso(text: str, kind: type) -> str | None:
    """The ISO text of a date (any accepted written form) or a date-time, or None."""
    if kind is dt.datetime:
        return text if _DATETIME.match(text) else None
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            year, month, day = m.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


TENTH = Decimal("0.1")


def number_out(value: Decimal) -> int | float:
    """An exact number in a response: a whole number stays an int."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def shown_down(value: Decimal) -> int | float:
    """Hours done, as shown: rounded down to one decimal, so a total never looks reached early."""
    return number_out(value.quantize(TENTH, rounding=ROUND_FLOOR))


def shown_up(value: Decimal) -> int | float:
    """Hours still to do, as shown: rounded up to one decimal, so nothing looks done too soon."""
    return number_out(value.quantize(TENTH, rounding=ROUND_CEILING))
