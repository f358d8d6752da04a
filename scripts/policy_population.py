"""The requests `make policy-diff` asks both revisions: a fixed, seeded population across
every tool (the team's sheets too) and many dates, from 2009 to ten years ahead.

The same seed and range give the same requests. Choices (levels, Tianjin's starting
points and series, photo sizes and formats) come from the tools' own declarations, so a
new choice is asked about without editing this file. Requests are mostly well formed and
sometimes not quite (a missing date, a wrong check digit): a rule change can change an
error too.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Callable

from shegong import api, policy as policy_mod, sheets
from shegong.dates import add_months

FIRST_DAY = dt.date(2009, 1, 1)
ID_REGIONS = ("110105", "120101", "310101", "440305", "510104", "650102")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class Draw:
    """Random values of the kinds the questions ask, in [first, last]."""

    def __init__(self, seed: int, last: dt.date):
        self.rng, self.first, self.last = random.Random(seed), FIRST_DAY, last
        self.policy = policy_mod.load()

    def day(self, after: dt.date | None = None, within: int | None = None) -> dt.date:
        start = max(after or self.first, self.first)
        end = min(start + dt.timedelta(days=within), self.last) if within else self.last
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def maybe(self, p: float = 0.5) -> bool:
        return self.rng.random() < p

    def choice(self, tool: str, field: str) -> str:
        return self.rng.choice(api.QUESTIONS[tool].field(field).options(self.policy))

    def level(self) -> str:
        return self.choice("registration", "level")

    def records(self, start: dt.date) -> list[dict[str, Any]]:
        out = []
        for _ in range(self.rng.randint(0, 4)):
            kind = self.rng.choice(("training", "online", "course", "degree"))
            rec: dict[str, Any] = {"kind": kind, "date": self.day(start - dt.timedelta(days=60), 1300).isoformat()}
            if kind != "degree":
                rec["hours"] = self.rng.choice((2, 6, 8, 12, 20, 30, 40, 72, 90, 7.5))
            flag = {"training": "certified", "course": "passed", "degree": "awarded"}.get(kind)
            if flag:
                rec[flag] = self.maybe(0.85)
            if self.maybe(0.1):
                rec["approved"] = False
            out.append(rec)
        return out


def registration(d: Draw) -> dict[str, Any]:
    passed = d.day()
    req = {"tool": "registration", "level": d.level(), "passed_on": passed.isoformat()}
    if d.maybe(0.7):
        first = d.day(passed, 500)
        req["first_registered_on"] = first.isoformat()
        if d.maybe(0.4):
            req["reregistered_on"] = [d.day(add_months(first, 33), 120).isoformat()]
    req["today"] = d.day(passed).isoformat()
    return req


def training(d: Draw) -> dict[str, Any]:
    req: dict[str, Any] = {"tool": "training", "level": d.level()}
    if d.maybe(0.5):
        start = d.day()
        req["period_start"] = start.isoformat()
        if d.maybe(0.3):
            req["first_period"] = d.maybe()
    else:
        start = d.day()
        req["first_registered_on"] = start.isoformat()
        req["today"] = d.day(start).isoformat()
    req["records"] = d.records(start)
    return req


def title(d: Draw) -> dict[str, Any]:
    req = {"tool": "title", "from": d.choice("title", "from"), "today": d.day().isoformat()}
    if d.maybe(0.7):
        req["since"] = d.day(within=None).isoformat()
    if d.maybe(0.3):
        req["series"] = d.choice("title", "series")
    return req


def certificate(d: Draw) -> dict[str, Any]:
    req: dict[str, Any] = {"tool": "certificate"}
    if d.maybe(0.7):
        req["results_published_on"] = d.day().isoformat()
    if "results_published_on" not in req or d.maybe(0.5):
        at = dt.datetime.combine(d.day(), dt.time(d.rng.randint(0, 23), d.rng.choice((0, 15, 30, 45))))
        req["annotation_requested_at"] = at.strftime("%Y-%m-%dT%H:%M")
        if d.maybe(0.3):
            req["annotation_valid_days"] = d.rng.randint(1, 120)
        if d.maybe(0.3):
            req["earlier_annotations"] = [
                {"requested_at": (at - dt.timedelta(days=d.rng.randint(1, 200))).strftime("%Y-%m-%dT%H:%M"),
                 "valid_days": d.rng.randint(1, 90)} for _ in range(d.rng.randint(1, 3))]
    return req


def plan(d: Draw) -> dict[str, Any]:
    passed = d.day()
    req: dict[str, Any] = {"tool": "plan", "level": d.level(), "passed_on": passed.isoformat()}
    if d.maybe(0.6):
        req["first_registered_on"] = d.day(passed, 400).isoformat()
    if d.maybe(0.4):
        req["records"] = d.records(passed)
    if d.maybe(0.3):
        req["results_published_on"] = d.day(passed, 90).isoformat()
    req["today"] = d.day(passed).isoformat()
    return req


def idcard(d: Draw) -> dict[str, Any]:
    """An ID number by GB 11643's check digit, one in ten with a wrong one."""
    born = d.day() - dt.timedelta(days=365 * d.rng.randint(18, 60))
    body = f"{d.rng.choice(ID_REGIONS)}{born:%Y%m%d}{d.rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]
    if d.maybe(0.1):
        check = "0" if check != "0" else "1"
    return {"tool": "idcard", "id_number": body + check, "today": d.day().isoformat()}


def photo(d: Draw) -> dict[str, Any]:
    """A photo's details (no image: the rules read only these)."""
    return {"tool": "photo", "size": d.choice("photo", "size"), "file_bytes": d.rng.randint(5_000, 3_000_000),
            "width": d.rng.randint(200, 1200), "height": d.rng.randint(260, 1600),
            "format": d.choice("photo", "format"), "today": d.day().isoformat()}


def team(d: Draw) -> str:
    """A team's sheet as CSV text: a few workers, each row asking registration and training."""
    rows = [",".join(sheets.COLUMNS)]
    for i in range(d.rng.randint(2, 6)):
        passed = d.day()
        first = d.day(passed, 400) if d.maybe(0.7) else None
        rows.append(",".join([f"测试{i}", f"T{i:03d}", d.level(), passed.isoformat(), first.isoformat() if first else "",
                              "", str(d.rng.choice(("", 0, 36, 72, 90)))]))
    return "\n".join(rows) + "\n"


# The share of each tool in the population.
TOOLS: dict[str, tuple[int, Callable[[Draw], Any]]] = {
    "registration": (24, registration), "training": (20, training), "plan": (14, plan),
    "certificate": (12, certificate), "title": (12, title), "idcard": (7, idcard), "photo": (6, photo),
    "team": (5, team),
}


def population(size: int, seed: int, last: dt.date) -> list[dict[str, Any]]:
    """``size`` items ``{"tool", "today", "request"|"sheet"}``, the same for the same arguments."""
    d = Draw(seed, last)
    names = list(TOOLS)
    weights = [TOOLS[n][0] for n in names]
    missing = set(api.TOOLS) - set(names)
    if missing:
        raise SystemExit(f"scripts/policy_population.py 还不会生成这些计算器的请求：{'、'.join(sorted(missing))}")
    out = []
    for _ in range(size):
        tool = d.rng.choices(names, weights)[0]
        made = TOOLS[tool][1](d)
        today = made.get("today") if isinstance(made, dict) else None
        key = "sheet" if tool == "team" else "request"
        out.append({"tool": tool, "today": today or d.day().isoformat(), key: made})
    return out
