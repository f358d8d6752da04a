"""A whole team from one spreadsheet: each worker's stage, next deadline and hours.

Composed from the rules, not a second copy of them: each row becomes a registration
request (stage, periods, windows) and, once registered, a training request (the current
period's hours), and the rules' facts are read, not their worded answers (no steps, no
citations: registration.outline, training.totals).  A bad row gets its own Chinese
messages naming its row and column (the rules' Reader says them so: naming()), and never
stops the others.

本期已获学时 (a total the coordinator keeps) is passed to the training rules as one
online-learning record dated today: today always lies in the period they choose (the
one holding today), and online hours count as recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Iterable, Iterator

from . import registration, sheets, training
from .ics import Event, as_json, uid
from .inputs import InputError, Naming, Reader
from .policy import Policy
from .sheets import FLAG_ZH, DAY, FIRST, HOURS, ID, KIND, LEVEL, NAME, PASSED, QUALIFIED, APPROVED, RECORD_HOURS, REQUIRED, REREG, Row, Table

# How soon a deadline counts as near in the page's filter and the summary: a reading aid
# of this tool, not a rule.
SOON_DAYS = 30
STAGE_ZH = {
    "not_passed_yet": "尚未通过考试",
    "first_registration_open": "待首次登记",
    "first_registration_missed": "首次登记逾期",
    "registered": "登记有效",
    "reregistration_open": "再登记受理中",
    "reregistration_missed": "再登记逾期",
}
OVERDUE = tuple(registration.LATE)
# The request's fields, as the sheet's columns name them (the registration rules declare theirs).
FIELD_COLUMN = {**sheets.FIELD_COLUMN, "records": HOURS}
RECORD_FIELD_COLUMN = {"kind": KIND, "date": DAY, "hours": RECORD_HOURS, "certified": QUALIFIED,
                       "passed": QUALIFIED, "awarded": QUALIFIED, "approved": APPROVED}
# The team's calendar file, the same from the page (api.export) and the command line.
CALENDAR_NAME = "社工登记期限（团队）"
KIND_ZH = {"培训": "training", "社会工作培训": "training", "线上学习": "online", "网络学习": "online",
           "学历教育课程": "course", "课程": "course", "学历": "degree", "学位": "degree", "学历或学位": "degree",
           **{k: k for k in training.KINDS}}
YES = {"是": True, "否": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
       "合格": True, "不合格": False, "已通过": True, "未通过": False, "y": True, "n": False}
_RECORD_ERROR = re.compile(r"records\[([0-9]+)\]\.?(\w*)")


def key_of(values: dict[str, Any]) -> str | None:
    """How a record finds its worker: the staff number if given, else the name."""
    for col in (ID, NAME):
        if values.get(col) not in (None, ""):
            return f"{col}:{str(values[col]).strip()}"
    return None


def _flag(value: Any) -> Any:
    if isinstance(value, str):
        return YES.get(value.strip().lower(), value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _record(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get(KIND)
    kind = KIND_ZH.get(kind.strip(), kind) if isinstance(kind, str) else kind
    out: dict[str, Any] = {"kind": kind, "date": values.get(DAY)}
    if RECORD_HOURS in values:
        out["hours"] = values[RECORD_HOURS]
    if QUALIFIED in values and kind in training.FLAG:
        out[training.FLAG[kind][0]] = _flag(values[QUALIFIED])
    if APPROVED in values:
        out["approved"] = _flag(values[APPROVED])
    return out


def _problem(row: int, column: str, problem: str) -> dict[str, Any]:
    """A message of this tool about a row's cell: 第5行「姓名」与第2行相同…."""
    return {"row": row, "column": column, "message": f"第{row}行「{column}」{problem}"}


def naming(row: Row, records: list[Row]) -> Naming:
    """How the rules' messages name a row's fields: by the row and the sheet's columns; a learning
    record by its own row of the records' sheet, or, where 本期已获学时 was passed as the one
    record, by that column."""
    def record(_name: str, i: int) -> Naming:
        if records:
            return Naming(f"学习记录表第{records[i].number}行（第{row.number}行的人员）", RECORD_FIELD_COLUMN, cells=True)
        return Naming(f"第{row.number}行", {"hours": HOURS}, cells=True)
    return Naming(f"第{row.number}行", FIELD_COLUMN, record, cells=True)


def _problems(errors: list[dict[str, str]], row: Row, records: list[Row],
              columns: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Each error of a row's answer (already said of its row and column: see naming), placed
    at its cell.  A column the sheet does not have at all is said once, about the header
    (sheets._require), not on every row."""
    out = []
    missing = set(REQUIRED) - set(columns)
    for e in errors:
        m = _RECORD_ERROR.match(e["field"])
        if m and records:
            out.append({"row": records[int(m.group(1))].number, "column": RECORD_FIELD_COLUMN.get(m.group(2), KIND),
                        "message": e["message"]})
            continue
        col = FIELD_COLUMN.get(e["field"].split("[")[0].split(".")[0], HOURS)
        if col not in missing:
            out.append({"row": row.number, "column": col, "message": e["message"]})
    return out


def _ask(rules: Any, request: dict[str, Any], policy: Policy, today: dt.date, said: Naming | None = None) -> dict[str, Any]:
    """One rules request (``rules(request, policy, today, said)``); bad input is returned as
    errors, and a bug too (for this row only)."""
    try:
        return rules(request, policy, today, said)
    except InputError as e:
        return {"ok": False, "errors": e.errors}
    except Exception as e:  # the safety net: one row's bug must not stop the team
        return {"ok": False, "internal_error": True, "errors": [{"field": "request", "message":
                f"计算这一行时出现内部错误（{type(e).__name__}），这是本站的问题，请把这一行反馈给维护者。"}]}


def _deadline(reg: dict[str, Any], ahead: list[dict[str, Any]]) -> tuple[str | None, str | None, str | None, dict[str, Any] | None]:
    """(last day, what it is for, when its window opens, the period) of the next deadline;
    ``ahead`` is registration.periods_ahead (it reaches past a window already kept)."""
    stage = reg["stage"]
    code = stage["code"]
    if code == "not_passed_yet":
        return None, None, None, None
    if code in ("first_registration_open", "first_registration_missed"):
        return reg["first_registration"]["deadline"], "首次登记", reg["passed_on"], None
    p = registration.next_period(reg, ahead)
    return p["reregistration_deadline"], f"第{p['index']}次再登记", p["reregistration_opens"], p


def worker(row: Row, records: list[Row], policy: Policy, today: dt.date, columns: Iterable[str] = ()) -> dict[str, Any]:
    v = row.values
    request: dict[str, Any] = {"tool": "registration", "level": v.get(LEVEL), "passed_on": v.get(PASSED),
                               "first_registered_on": v.get(FIRST), "today": today.isoformat()}
    if REREG in columns:
        # With the column in the sheet, an empty cell says "none done": a window already
        # closed then shows as missed instead of being assumed kept.
        request["reregistered_on"] = v.get(REREG, [])
    out: dict[str, Any] = {
        "row": row.number, "name": _text(v.get(NAME)), "id": _text(v.get(ID)), "level": None,
        "stage": None, "stage_zh": None, "stage_text": None,
        "deadline": None, "deadline_label": None, "window_opens": None, "days_left": None, "conditional": False,
        "period_start": None, "period_end": None,
        "hours_required": None, "hours_counted": None, "hours_remaining": None, "hours_pending": None,
        "flags": [], "problems": [], "windows": [], "guide": None,
    }
    # The registration rules' facts and the stage in words, with no steps or citations, and no
    # calendar file of its own: the team's file is made once, from the events.
    said = naming(row, records)
    reg = _ask(registration.outline, request, policy, today, said)
    problems = list(row.problems) + ([] if reg["ok"] else _problems(reg["errors"], row, [], columns))
    if records and HOURS in v:
        problems.append(_problem(row.number, HOURS, "和学习记录表只填其一：这一行的学时已按学习记录计算。"))
    asked = reg["ok"] and reg["stage"]["code"] in ("registered", "reregistration_open")
    if HOURS in v and not records and not asked:
        problems += _hours_cell(row, policy)
    if reg["ok"]:
        stage = reg["stage"]
        ahead = registration.periods_ahead(reg, policy)
        deadline, label, opens, period = _deadline(reg, ahead)
        out.update(level=reg["level"], stage=stage["code"], stage_zh=STAGE_ZH[stage["code"]], stage_text=stage["text"],
                   deadline=deadline, deadline_label=label, window_opens=opens,
                   days_left=None if deadline is None else (dt.date.fromisoformat(deadline) - today).days,
                   conditional=stage["conditional"],
                   windows=[as_json(e) for e in registration.calendar_events(reg, ahead, today)])
        if asked:
            # Re-registered early: the hours that matter are those of the next period.
            upcoming = period if period and period["index"] != stage["period"] else None
            problems += _hours(out, request, v, row, records, policy, today, upcoming, said)
        elif stage["code"] in ("not_passed_yet", "first_registration_open"):
            out["hours_required"] = reg["required_hours"]
        if stage["code"] in OVERDUE:
            out["flags"].append("overdue")
            # Where a late worker's next step is explained: the same guide the reader's own
            # answer links to (registration.LATE).
            out["guide"] = registration.LATE[stage["code"]][1]
        elif out["days_left"] is not None and out["days_left"] <= SOON_DAYS:
            out["flags"].append("due_soon")
        if out["hours_remaining"]:
            out["flags"].append("hours_short")
    if problems or not reg["ok"]:
        out["flags"].append("error")
    out["problems"] = problems
    return out


def _hours(out: dict[str, Any], reg_request: dict[str, Any], v: dict[str, Any], row: Row, records: list[Row],
           policy: Policy, today: dt.date, upcoming: dict[str, Any] | None = None,
           said: Naming | None = None) -> list[dict[str, Any]]:
    """The training rules' answer for today's period, or for ``upcoming`` (the next one)
    when today's window was already kept."""
    if upcoming is None:
        request = {k: reg_request[k] for k in ("level", "first_registered_on", "reregistered_on", "today") if k in reg_request}
    else:
        # 本期已获学时 were earned before that period starts: the training rules count none of them.
        request = {"level": reg_request["level"], "period_start": upcoming["start"], "period_end": upcoming["end"],
                   "first_period": False, "today": reg_request["today"]}
    request["tool"] = "training"
    if records:
        request["records"] = [_record(r.values) for r in records]
    elif HOURS in v:
        request["records"] = [{"kind": "online", "date": today.isoformat(), "hours": v[HOURS]}]
    else:
        request["records"] = []
    res = _ask(_totals, request, policy, today, said)
    if not res["ok"]:
        return _problems(res["errors"], row, records)
    out.update(period_start=res["period_start"], period_end=res["period_end"], hours_required=res["required_hours"],
               hours_counted=res["counted_hours"], hours_remaining=res["remaining_hours"],
               hours_pending=res["pending_hours"])
    if not records and HOURS not in v:
        out["hours_counted"] = None  # not given: only what is required is known
    return []


def _totals(request: dict[str, Any], policy: Policy, today: dt.date, said: Naming | None) -> dict[str, Any]:
    """The training rules' numbers for one request (their facts; no words)."""
    return {"ok": True, **training.totals(training.facts(request, policy, today, said))}


def _hours_cell(row: Row, policy: Policy) -> list[dict[str, Any]]:
    """本期已获学时 on a row whose hours the training rules are not asked about (not yet
    registered, overdue, or with other errors): read as they would read it, so that a bad
    value is said like any other instead of passing unseen."""
    r = Reader({"hours": row.values[HOURS]}, naming=Naming(f"第{row.number}行", cells=True))
    r.hours("hours", HOURS, policy.value(training.MAX_HOURS))
    return [{"row": row.number, "column": HOURS, "message": e["message"]} for e in r.errors]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a staff number typed as a number
    return str(value)


def evaluate_rows(table: Table, policy: Policy, today: dt.date) -> Iterator[dict[str, Any]]:
    """Each worker's answer, in the sheet's order; records left unmatched become problems
    in ``table.problems`` once every worker has been read."""
    by_key: dict[str, list[Row]] = {}
    for rec in table.records:
        by_key.setdefault(key_of(rec.values) or "", []).append(rec)
    used: set[str] = set()
    seen: dict[str, int] = {}
    for row in table.workers:
        key = key_of(row.values)
        found = by_key.get(key, []) if key else []
        if key:
            used.add(key)
        answer = worker(row, found, policy, today, table.columns)
        if key and key in seen and found:
            col = ID if key.startswith(ID) else NAME
            fix = "请改正其中一行，让每人各不相同。" if col == ID else f"请填写「{ID}」来区分两人。"
            answer["problems"].append(_problem(row.number, col, f"与第{seen[key]}行相同：学习记录表里的记录两行都计入了。{fix}"))
            if "error" not in answer["flags"]:
                answer["flags"].append("error")
        seen.setdefault(key or "", row.number)
        yield answer
    for key, recs in by_key.items():
        if key not in used:
            for rec in recs:
                table.problems.append({"row": rec.number, "column": ID if key.startswith(ID) else NAME, "message":
                                       f"学习记录表第{rec.number}行找不到对应的人员（按「工号」，没有工号时按「姓名」对应）。"})


def count(counts: dict[str, int], w: dict[str, Any]) -> None:
    """Adds one worker to the summary's counts (started as ``summary([])``)."""
    counts["total"] += 1
    for f in w["flags"]:
        counts[f] += 1


def summary(workers: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(("total", *FLAG_ZH), 0)
    for w in workers:
        count(counts, w)
    return counts


def summary_text(counts: dict[str, int]) -> str:
    text = (f"共 {counts['total']} 人：{counts['overdue']} 人逾期，{counts['due_soon']} 人{SOON_DAYS}天内到期，"
            f"{counts['hours_short']} 人学时不足")
    return text + (f"，{counts['error']} 人的输入有误。" if counts["error"] else "。")


def evaluate(table: Table, policy: Policy, today: dt.date) -> dict[str, Any]:
    workers = list(evaluate_rows(table, policy, today))
    return answer(table, workers, summary(workers), today)


def answer(table: Table, workers: list[dict[str, Any]], counts: dict[str, int], today: dt.date) -> dict[str, Any]:
    """The team's answer: the one place its shape is written (evaluate and write_json)."""
    return {
        "ok": True,
        "tool": "team",
        "today": today.isoformat(),
        "columns": table.columns,
        "workers": workers,
        "problems": table.problems,
        "counts": counts,
        "summary": summary_text(counts),
        "labels": FLAG_ZH,
        "explanation": [],
    }


def write_json(table: Table, workers: Iterable[dict[str, Any]], today: dt.date, out: Any) -> None:
    """evaluate()'s answer, written to ``out`` as each worker is computed: the same JSON,
    never the whole team in memory. What comes before and after the workers is answer()
    with no workers, cut where the list would be."""
    def around(counts: dict[str, int]) -> tuple[str, str]:
        text = json.dumps(answer(table, [], counts, today), ensure_ascii=False)
        at = text.index(_NO_WORKERS) + len(_NO_WORKERS) - 1
        return text[:at], text[at:]

    counts = summary([])
    out.write(around(counts)[0])
    for i, w in enumerate(workers):
        count(counts, w)
        out.write(("," if i else "") + "\n" + json.dumps(w, ensure_ascii=False))
    # Unmatched records join table.problems only once every worker has been read.
    out.write("\n" + around(counts)[1] + "\n")


_NO_WORKERS = '"workers": []'


def events(workers: Iterable[dict[str, Any]]) -> Iterator[Event]:
    """Each worker's window events (a window's opening and last day) as the registration
    rules give them, their reminders included, named for the worker.  The UID follows the
    person (工号, else the name), not the row, so a re-sorted sheet's file replaces each
    person's own events."""
    for w in workers:
        who = w["name"] or w["id"] or f"第{w['row']}行"
        person = w["id"] or w["name"] or f"row{w['row']}"
        for e in w["windows"]:
            day = dt.date.fromisoformat(e["date"])
            yield Event(uid=uid("team", person, e["uid"].split("@")[0]), summary=f"{who}：{e['summary']}",
                        day=day, description=f"{who}：{e['description']}",
                        alarms=tuple((dt.date.fromisoformat(a) - day).days for a in e["alarms"]),
                        kind=e["kind"], window=e["window"])
