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

from .api import evaluate

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages are English
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误:{message}\n用 python -m shegong --help 查看可用的命令和参数。\n")


def _bool_or_text(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "是", "1"):
        return True
    if lowered in ("false", "no", "否", "0"):
        return False
    return text


def _record(text: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                f"学习记录“{text}”应写成 key=value,用逗号分隔,例如 kind=training,date=2022-06-01,hours=30"
            )
        key = key.strip()
        record[key] = _bool_or_text(value) if key in ("certified", "passed", "awarded", "approved") else value.strip()
    return record


def _earlier(text: str) -> dict[str, Any]:
    at, _, days = text.partition(",")
    out: dict[str, Any] = {"requested_at": at.strip()}
    if days.strip():
        out["valid_days"] = days.strip()
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m shegong",
        description="社工证书指南计算器。不带子命令时,从标准输入读取一个 JSON 请求并输出 JSON 结果。",
    )
    sub = parser.add_subparsers(dest="tool", metavar="{registration,training,title,certificate}")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="输出 JSON 而不是文字说明")
        return p

    p = add("registration", "登记期限:首次登记、登记有效期和再登记受理期")
    p.add_argument("--level", help="证书级别:助理社会工作师、社会工作师、高级社会工作师")
    p.add_argument("--passed-on", dest="passed_on", help="通过考试日期 YYYY-MM-DD")
    p.add_argument("--first-registered-on", dest="first_registered_on", help="首次登记日期 YYYY-MM-DD(可选)")
    p.add_argument("--reregistered-on", dest="reregistered_on", action="append", default=None,
                   help="已办理的再登记日期,可重复(可选;填写后,已过而没有再登记的受理期会显示为逾期)")
    p.add_argument("--today", help="按哪一天判断所处阶段 YYYY-MM-DD(默认今天)")

    p = add("training", "继续教育学时:本登记有效期内已计入多少小时")
    p.add_argument("--level", help="证书级别")
    p.add_argument("--period-start", dest="period_start", help="登记有效期开始日期 YYYY-MM-DD")
    p.add_argument("--period-end", dest="period_end", help="登记有效期结束日期(默认为开始日期加一个登记有效期)")
    p.add_argument("--first-period", dest="first_period", type=_bool_or_text,
                   help="本期是否首次登记开始的第一期:是/否(决定开始那天的记录计入哪一期)")
    p.add_argument("--first-registered-on", dest="first_registered_on",
                   help="代替 --period-start:首次登记日期,由本站算出登记有效期")
    p.add_argument("--reregistered-on", dest="reregistered_on", action="append", default=None,
                   help="与 --first-registered-on 一起:已办理的再登记日期,可重复")
    p.add_argument("--today", help="与 --first-registered-on 一起:按哪一天确定登记有效期(默认今天)")
    p.add_argument("--record", dest="records", action="append", type=_record, default=[],
                   help="一条学习记录,可重复,例如 kind=training,date=2022-06-01,hours=30,certified=true;"
                        "kind 可为 training、online、course、degree")

    p = add("title", "职称对应(天津市)")
    p.add_argument("--from", dest="from", help="现有证书、技能等级或职称,例如 社会工作师、技师、中级")
    p.add_argument("--since", help="取得日期 YYYY-MM-DD(可选)")
    p.add_argument("--today", help="按哪一天判断 YYYY-MM-DD(默认今天)")
    p.add_argument("--series", help="职称系列,例如 工程技术(可选)")

    p = add("certificate", "证书领取时间:电子证书、加注和纸质证书")
    p.add_argument("--results-published-on", dest="results_published_on", help="成绩发布日期 YYYY-MM-DD")
    p.add_argument("--annotation-requested-at", dest="annotation_requested_at",
                   help="提交加注申请的时间 YYYY-MM-DDTHH:MM,北京时间(可选)")
    p.add_argument("--annotation-valid-days", dest="annotation_valid_days", help="这次加注选择的有效期(天,可选)")
    p.add_argument("--earlier-annotation", dest="earlier_annotations", action="append", type=_earlier, default=None,
                   help="之前的一次加注,可重复:申请时间[,有效期天数],例如 2026-01-05T10:30,30")
    return parser


def render(response: dict[str, Any]) -> str:
    """The readable form of a response."""
    if not response["ok"]:
        head = "内部错误:" if response.get("internal_error") else "输入有误:"
        lines = [head] + [f"  - {e['message']}(字段 {e['field']})" for e in response["errors"]]
        if response.get("errors_omitted"):
            lines.append(f"  - 另有{response['errors_omitted']}处错误未列出,请先改正以上各项。")
        return "\n".join(lines)
    lines = [response["summary"], ""]
    if response.get("dates"):
        lines.append("日期:")
        lines += [f"  {d['label']}:{d['date']}  〔{d['rule']}〕" for d in response["dates"]]
        lines.append("")
    if response["tool"] == "training":
        for i, rec in enumerate(response["records"], 1):
            lines.append(f"  记录{i}:计 {rec['counted_hours']} 小时。{rec['reason']}")
        lines.append("")
    if response["tool"] == "title":
        for o in response["outcomes"]:
            mark = {True: "符合", False: "暂不符合", None: "有前提条件" if o["needs"] == "condition" else "需补充信息"}[o["eligible"]]
            lines.append(f"  {o['route_text']}{o['target_text']}:{mark}。{o['condition']}")
        lines.append("")
    lines.append("说明:")
    lines += [f"  - {s['text']}〔依据:{s['source']}〕" for s in response["explanation"]]
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
        sys.stderr.write(f"内部错误({type(e).__name__}):这是本站的问题,请把输入反馈给维护者。\n")
        return EXIT_INTERNAL
    return exit_code(response)


def _write(stdout: TextIO, text: str) -> None:
    """UTF-8 whatever the terminal's locale: the answers are Chinese."""
    if hasattr(stdout, "buffer"):
        stdout.buffer.write(text.encode("utf-8"))
        stdout.flush()
    else:
        stdout.write(text)
