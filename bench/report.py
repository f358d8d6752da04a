"""Prints the README's performance figures (Markdown, Chinese) from `make bench` results.

Usage: .venv/bin/python bench/report.py RUN1.json [RUN2.json ...]
Each file is what bench/run.py wrote (bench-results/bench.json by default); each run is
one column, so figures are copied from measurements and never typed by hand.
"""

from __future__ import annotations

import json
import sys


def main(paths: list[str]) -> None:
    runs = [json.loads(open(p, encoding="utf-8").read()) for p in paths]
    n = len(runs)
    head = "| | " + " | ".join(f"第{i + 1}次运行" for i in range(n)) + " |"
    rule = "| --- |" + " --- |" * n

    def row(label, fmt):
        print(f"| {label} | " + " | ".join(fmt(r) for r in runs) + " |")

    print("到第一个结果的时间(中位数)和比值(÷主线程空白页 / ÷Worker 空白页):\n")
    print(head)
    print(rule)
    t = lambda k: (lambda r: f"{r['time_to_first_result_ms'][k]} ms")  # noqa: E731
    ratio = lambda k: (lambda r: f"{r['ratio_to_bare'][k]:.2f} / {r['ratio_to_bare_worker'][k]:.2f}")  # noqa: E731
    row("计算器,首次访问", t("calc_cold"))
    row("比值", ratio("cold"))
    row("计算器,再次访问(从快照恢复)", t("calc_warm"))
    row("比值", ratio("warm"))
    row("计算器改用 Pyodide 原版标准库,首次访问", t("stock_cold"))
    row("比值", ratio("cold_with_stock_stdlib"))
    row("空白 Pyodide,主线程,首次 / 再次", lambda r: f"{r['time_to_first_result_ms']['bare_cold']} / "
        f"{r['time_to_first_result_ms']['bare_warm']} ms")
    row("空白 Pyodide,模块 Worker,首次 / 再次", lambda r: f"{r['time_to_first_result_ms']['bareworker_cold']} / "
        f"{r['time_to_first_result_ms']['bareworker_warm']} ms")
    print()
    print("内存快照与字节数:\n")
    print(head)
    print(rule)
    row("快照:堆大小 / 去掉全零页后存储的大小", lambda r: f"{r['snapshot']['bytes']:,} B / {r['snapshot']['stored_bytes']:,} B")
    row("做快照(第一个结果之前)/ 存储(之后)", lambda r: f"{r['snapshot']['make_ms']} ms / {r['snapshot']['store_ms']} ms")
    row("读回存储的快照 + SHA-256", lambda r: f"{r['snapshot_compression']['read_raw_ms']} + "
        f"{r['snapshot_compression']['sha256_ms']} ms")
    row("若改存 gzip:大小 / 压缩 / 读回并解压", lambda r: f"{r['snapshot_compression']['gzip_bytes']:,} B / "
        f"{r['snapshot_compression']['gzip_ms']} ms / {r['snapshot_compression']['read_gunzip_ms']} ms")
    for key, label in (("guide_first_visit:certificate/paper/", "首次访问指南页 certificate/paper/"),
                       ("guide_first_visit:registration/first/", "首次访问指南页 registration/first/(带流程图)"),
                       ("calc_first_result", "计算器页面到第一个结果"),
                       ("calc_first_visit_offline_copy", "计算器页面连同离线副本")):
        row(label, lambda r, k=key: f"{r['bytes'][k]:,} B")
    row("指南页是否请求 Pyodide 文件", lambda r: "是" if r["guide_page_touches_runtime"] else "否")
    lt = "long_tasks_until_first_result"
    row("主线程长任务(到第一个结果):计算器 / 主线程空白页", lambda r: f"{r[lt]['calc_cold']['count']} 个共 "
        f"{r[lt]['calc_cold']['total_ms']} ms / {r[lt]['bare_cold']['count']} 个共 {r[lt]['bare_cold']['total_ms']} ms")
    for kind, label in (("cold", "首次"), ("warm", "再次")):
        row(f"{label}访问时间线(导航后 ms)", lambda r, k=kind: ", ".join(
            f"{name} {v:.0f}" for name, v in (r["calc_milestones_median_ms"][k] or {}).items()))


if __name__ == "__main__":
    main(sys.argv[1:])
