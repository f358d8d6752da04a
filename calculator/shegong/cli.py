"""Command line: a JSON request on stdin, or a readable mode with one subcommand per tool.

    echo '{"tool":"registration","level":"社会工作师","passed_on":"2024-09-10"}' | python -m shegong
    python -m shegong registration --level 社会工作师 --passed-on 2024-09-10

Exit status: 0 when the answer is ``ok``, 2 for bad input, 3 for an internal error
(a bug of this project, reported in Chinese, never as a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence, TextIO

from .api import QUESTIONS, evaluate
from .policy import Policy, load
from .questions import Field, Questions, plain

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages are English
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n用 python -m shegong --help 查看可用的命令和参数。\n")


def _bool_or_text(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "是", "1"):
        return True
    if lowered in ("false", "no", "否", "0"):
        return False
    return text


# A Chinese input method types the comma full-width: both separate the parts.
def _parts(text: str, limit: int = -1) -> list[str]:
    return text.replace("，", ",").split(",", limit)


def _record(text: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for part in _parts(text):
        key, sep, value = part.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                f"学习记录“{text}”应写成 key=value，用逗号分隔，例如 kind=training,date=2022-06-01,hours=30"
            )
        key = key.strip()
        record[key] = _bool_or_text(value) if key in ("certified", "passed", "awarded", "approved") else value.strip()
    return record


def _earlier(text: str) -> dict[str, Any]:
    at, days = (_parts(text, 1) + [""])[:2]
    out: dict[str, Any] = {"requested_at": at.strip()}
    if days.strip():
        out["valid_days"] = days.strip()
    return out


# How each kind of question is typed on the command line: its format and argparse options.
KIND_ARGS: dict[str, tuple[str, dict[str, Any]]] = {
    "date": ("YYYY-MM-DD", {}),
    "datetime": ("YYYY-MM-DDTHH:MM，北京时间", {}),
    "dates": ("YYYY-MM-DD，可重复", {"action": "append", "default": None}),
    "boolean": ("是/否", {"type": _bool_or_text}),
    "integer": ("整数", {}),
    "records": ("可重复，例如 kind=training,date=2022-06-01,hours=30,certified=true;kind 可为 training、online、course、degree",
                {"action": "append", "type": _record, "default": []}),
    "annotations": ("可重复", {"action": "append", "type": _earlier, "default": None}),
}


def _flag(f: Field) -> str:
    return f.flag or "--" + f.name.replace("_", "-")


def _help(q: Questions, f: Field, policy: Policy) -> str:
    """The label and hint the form shows, with the rule values of the policy data."""
    fmt = KIND_ARGS.get(f.kind, ("", {}))[0]
    text = f.label + (f"（{fmt}）" if fmt else "")
    group = q.one_of if f.name in q.one_of else q.any_of if f.name in q.any_of else ()
    if group:
        others = "、".join(_flag(q.field(n)) for n in group if n != f.name)
        text += f"（与 {others} " + ("二选一）" if group is q.one_of else "至少填一项）")
    elif not f.required:
        text += "（可选）"
    choices = f.options(policy)
    if choices:
        text += "：可填 " + "、".join(choices) + (f"（或 {', '.join(f.aliases)}）" if f.aliases else "")
    return text + "。" + plain(f.hint, policy) if f.hint else text


def build_parser(policy: Policy | None = None) -> argparse.ArgumentParser:
    policy = policy or load()
    parser = _Parser(
        prog="python -m shegong",
        description="社工证书指南计算器。不带子命令时，从标准输入读取一个 JSON 请求并输出 JSON 结果。",
    )
    sub = parser.add_subparsers(dest="tool", metavar="{" + ",".join(QUESTIONS) + "}")
    for q in QUESTIONS.values():
        p = sub.add_parser(q.tool, help=q.summary, description=q.summary)
        p.add_argument("--json", action="store_true", help="输出 JSON 而不是文字说明")
        for f in q.fields:
            p.add_argument(_flag(f), dest=f.name, help=_help(q, f, policy).replace("%", "%%"), **KIND_ARGS.get(f.kind, ("", {}))[1])
    b = sub.add_parser("batch", help="一个团队的登记期限和学时：读 .xlsx 或 .csv，每人一行",
                       description="读一个团队的表格（.xlsx 或 .csv，列名见网站的模板），算出每人的阶段、下一个期限和本期学时。"
                                   "有误的行单独报告，不影响其他行。")
    b.add_argument("file", help="输入文件：.xlsx 或 .csv（UTF-8 或 GBK）")
    b.add_argument("-o", "--output", help="结果文件：.xlsx、.csv、.ics 或 .json；不填则在屏幕上显示摘要")
    b.add_argument("--today", help="按哪一天判断（YYYY-MM-DD），默认今天")
    return parser


def batch(args: argparse.Namespace, stdout: TextIO) -> int:
    """`python -m shegong batch`: the team page's answers for a file, written as a file."""
    import datetime as dt
    from pathlib import Path

    from . import api

    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            sys.stderr.write(f"参数错误：--today 应为 YYYY-MM-DD，收到 {args.today}\n")
            return EXIT_BAD_INPUT
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        sys.stderr.write(f"无法读取文件 {args.file}：{_why(e)}\n")
        return EXIT_BAD_INPUT
    out = Path(args.output) if args.output else None
    fmt = out.suffix.lower().lstrip(".") if out else ""
    if out and fmt not in api.EXPORTS | {"json"}:
        sys.stderr.write(f"参数错误：结果文件应为 .xlsx、.csv、.ics 或 .json，收到 {out.name}\n")
        return EXIT_BAD_INPUT
    if out and not out.parent.is_dir():
        sys.stderr.write(f"无法写入结果文件 {out}：文件夹 {out.parent} 不存在\n")
        return EXIT_BAD_INPUT
    try:
        return _batch_to(args, data, out, fmt, today, stdout)
    except OSError as e:
        sys.stderr.write(f"无法写入结果文件 {out}：{_why(e)}\n")
        return EXIT_BAD_INPUT


def _why(e: OSError) -> str:
    """An operating-system error in the reader's words (its own text is English)."""
    if isinstance(e, FileNotFoundError):
        return "文件不存在"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(e, PermissionError):
        return "没有权限"
    return f"系统错误（errno {e.errno}）"


def _batch_to(args: argparse.Namespace, data: bytes, out: Any, fmt: str, today: Any, stdout: TextIO) -> int:
    import datetime as dt

    from . import batch, sheets
    from .inputs import InputError

    # Every format is streamed, row by row, through the functions the page's answer and export
    # use: a sheet of 100,000 rows is never held as one answer (README, 性能).
    counts, problems = batch.summary([]), []

    def counted(workers):
        for w in workers:
            batch.count(counts, w)
            problems.extend(p["message"] for p in w["problems"])
            yield w

    try:
        table = sheets.read(data, args.file)
        rows = counted(batch.evaluate_rows(table, load(), today or dt.date.today()))
        if out:
            _write_result(out, fmt, table, rows, today or dt.date.today())
        else:
            for _w in rows:
                pass
    except InputError as e:  # the file, read part-way: a damaged sheet, a CSV past the csv module's limit
        _write(stdout, render({"ok": False, "errors": e.errors}) + "\n")
        return EXIT_BAD_INPUT
    lines = [batch.summary_text(counts)]
    lines += [f"  - {p['message']}" for p in table.problems]
    lines += [f"  - {m}" for m in problems]
    if out:
        lines.append(f"结果已写入 {out}")
    if counts["total"] == 0:
        lines.append("表格里没有读到任何人员：表头（列名）应在前几行里，其下每行一人。")
        _write(stdout, "\n".join(lines) + "\n")
        return EXIT_BAD_INPUT
    _write(stdout, "\n".join(lines) + "\n")
    return EXIT_OK


def _write_result(out: Any, fmt: str, table: Any, rows: Any, today: Any) -> None:
    """The result file, written beside its name and renamed once complete: a failure part-way
    (the input breaking off, a full disk) leaves no half-written file, and an earlier result
    of the same name as it was."""
    import os

    from . import batch, ics, sheets

    part = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        if fmt == "xlsx":
            sheets.write_xlsx(rows, part)
        else:
            with part.open("w", encoding="utf-8", newline="") as f:
                if fmt == "csv":
                    sheets.write_csv(rows, f)
                elif fmt == "json":
                    batch.write_json(table, rows, today, f)
                else:
                    for line in ics.lines(batch.events(rows), ics.stamp(today), batch.CALENDAR_NAME):
                        f.write(line)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


def render(response: dict[str, Any]) -> str:
    """The readable form of a response."""
    if not response["ok"]:
        head = "内部错误：" if response.get("internal_error") else "输入有误："
        lines = [head] + [f"  - {e['message']}（字段 {e['field']}）" for e in response["errors"]]
        if response.get("errors_omitted"):
            lines.append(f"  - 另有{response['errors_omitted']}处错误未列出，请先改正以上各项。")
        return "\n".join(lines)
    lines = [response["summary"], ""]
    if response.get("dates"):
        lines.append("日期：")
        lines += [f"  {d['label']}：{d['date']}  〔{d['rule']}〕" for d in response["dates"]]
        lines.append("")
    if response["tool"] == "training":
        for i, rec in enumerate(response["records"], 1):
            lines.append(f"  记录{i}：计 {rec['counted_hours']} 小时。{rec['reason']}")
        lines.append("")
    if response["tool"] == "title":
        for o in response["outcomes"]:
            mark = {True: "符合", False: "暂不符合", None: "有前提条件" if o["needs"] == "condition" else "需补充信息"}[o["eligible"]]
            lines.append(f"  {o['route_text']}{o['target_text']}：{mark}。{o['condition']}")
        lines.append("")
    lines.append("说明：")
    lines += [f"  - {s['text']}〔依据：{s['source']}〕" for s in response["explanation"]]
    return "\n".join(lines)


def exit_code(response: dict[str, Any]) -> int:
    if response["ok"]:
        return EXIT_OK
    return EXIT_INTERNAL if response.get("internal_error") else EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        if args.tool == "batch":
            return batch(args, stdout)
        if args.tool is None:
            # Bytes, so that the rules (not the terminal's codec) judge the encoding.
            data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            response = evaluate(data)
            text = json.dumps(response, ensure_ascii=False, indent=2)
        else:
            request = {k: v for k, v in vars(args).items() if k != "json" and v not in (None, [])}
            response = evaluate(request)
            text = json.dumps(response, ensure_ascii=False, indent=2) if args.json else render(response)
        _write(stdout, text + "\n")
    except Exception as e:  # the last net: even writing the answer must not end in a traceback
        sys.stderr.write(f"内部错误（{type(e).__name__}）：这是本站的问题，请把输入反馈给维护者。\n")
        return EXIT_INTERNAL
    return exit_code(response)


def _write(stdout: TextIO, text: str) -> None:
    """UTF-8 whatever the terminal's locale: the answers are Chinese."""
    if hasattr(stdout, "buffer"):
        stdout.buffer.write(text.encode("utf-8"))
        stdout.flush()
    else:
        stdout.write(text)
