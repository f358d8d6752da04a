"""Prints the performance figures of bench/README.md (Markdown, Chinese) from `make bench` results.

Usage: .venv/bin/python bench/report.py [LABEL=]RUN1.json [[LABEL=]RUN2.json ...]
Each file is what bench/run.py wrote (bench-results/bench.json by default); each run is
one column (headed LABEL, or 第N次运行), so figures are copied from measurements and never
typed by hand.
"""

from __future__ import annotations

import json
import sys

PROFILES = [("localhost", "本机(不限速)"), ("4G", "4G(9 Mbit/s,RTT 100 ms)"),
            ("slow 4G", "慢速 4G(1.6 Mbit/s,RTT 150 ms)")]


def main(args: list[str]) -> None:
    labels, runs = [], []
    for i, a in enumerate(args):
        label, _, path = a.rpartition("=") if "=" in a else (f"第{i + 1}次运行", "", a)
        labels.append(label)
        runs.append(json.loads(open(path, encoding="utf-8").read()))
    head = "| | " + " | ".join(labels) + " |"
    rule = "| --- |" + " --- |" * len(runs)

    def row(label, fmt):
        cells = []
        for r in runs:
            try:
                cells.append(fmt(r))
            except (KeyError, TypeError):
                cells.append("—")
        print(f"| {label} | " + " | ".join(cells) + " |")

    row_load = lambda r: " / ".join(f"{v[0]:.1f}" for v in r["load_average"].values())  # noqa: E731
    if all(r.get("mirror_only") for r in runs):
        return hosts(row, head, rule, row_load)
    print("到第一个结果的时间(中位数)、与空白 Pyodide 的比值、到第一个结果为止网络上传输的字节数:\n")
    print(head)
    print(rule)
    row("负载(开始 / 浏览器测完 / 结束,1 分钟平均)", row_load)
    sections = [(name, label, lambda r, n=name: r["profiles"][n]) for name, label in PROFILES]
    sections.append(("on-disk", "磁盘上的浏览器配置,本机", lambda r: r["on_disk"]))
    for _, label, get in sections:
        for visit, vlabel in (("cold", "首次"), ("warm", "再次")):
            row(f"{label}:计算器{vlabel} / 空白 Pyodide{vlabel}", lambda r, g=get, v=visit: (
                f"{g(r)['time_to_first_result_ms']['calc_' + v]} / {g(r)['time_to_first_result_ms']['bare_' + v]} ms"
                f"(**{g(r)['ratio_to_bare']['calc_' + v]:.2f}**)"))
        row(f"{label}:首次访问的字节数,计算器 / 空白 Pyodide", lambda r, g=get: (
            f"{g(r)['bytes_on_the_wire']['calc_cold']:,} / {g(r)['bytes_on_the_wire']['bare_cold']:,} B"
            f"(**{g(r)['ratio_to_bare']['calc_cold_bytes']:.2f}**)"))
    loc = lambda r: r["profiles"]["localhost"]  # noqa: E731
    row("本机:计算器改用 Pyodide 原版标准库,首次 / 再次", lambda r: (
        f"{loc(r)['time_to_first_result_ms']['stock_cold']} / {loc(r)['time_to_first_result_ms']['stock_warm']} ms"
        f"({loc(r)['ratio_to_bare']['stock_cold']:.2f} / {loc(r)['ratio_to_bare']['stock_warm']:.2f})"))
    row("本机:空白 Pyodide 在模块 Worker 里,首次 / 再次", lambda r: (
        f"{loc(r)['time_to_first_result_ms']['bareworker_cold']} / "
        f"{loc(r)['time_to_first_result_ms']['bareworker_warm']} ms(计算器 ÷ 它:"
        f"{loc(r)['ratio_to_bare']['calc_cold_worker']:.2f} / {loc(r)['ratio_to_bare']['calc_warm_worker']:.2f})"))
    print()
    print("内存快照、字节数、主线程与 Lighthouse:\n")
    print(head)
    print(rule)
    row("快照:堆大小 / 去掉全零页后存储的大小", lambda r: f"{r['snapshot']['bytes']:,} B / {r['snapshot']['stored_bytes']:,} B")
    row("做快照(第一个结果之前)/ 存储(之后)", lambda r: f"{r['snapshot']['make_ms']} ms / {r['snapshot']['store_ms']} ms")
    row("读回存储的快照 + SHA-256", lambda r: f"{r['snapshot_compression']['read_raw_ms']} + "
        f"{r['snapshot_compression']['sha256_ms']} ms")
    for key, label in (("guide_first_visit:certificate/paper/", "首次访问指南页 certificate/paper/"),
                       ("guide_first_visit:registration/first/", "首次访问指南页 registration/first/(带流程图)"),
                       ("calc_first_visit_offline_copy", "计算器页面连同离线副本")):
        row(label, lambda r, k=key: f"{r['bytes'][k]:,} B")
    row("指南页是否请求 Pyodide 文件", lambda r: "是" if r["guide_page_touches_runtime"] else "否")
    lt = "long_tasks_until_first_result"
    row("主线程长任务(本机,到第一个结果):计算器 / 主线程空白页", lambda r: (
        f"{r[lt]['calc_cold']['count']} 个,最长 {r[lt]['calc_cold']['max_ms']} ms / "
        f"{r[lt]['bare_cold']['count']} 个,最长 {r[lt]['bare_cold']['max_ms']} ms"))
    for kind, label in (("cold", "本机首次"), ("warm", "本机再次")):
        row(f"{label}访问时间线(导航后 ms)", lambda r, k=kind: ", ".join(
            f"{name} {v:.0f}" for name, v in (r["calc_milestones_median_ms"][k] or {}).items()))
    row("磁盘配置再次访问时间线(导航后 ms)", lambda r: ", ".join(
        f"{name} {v:.0f}" for name, v in (r["on_disk"]["calc_warm_milestones_median_ms"] or {}).items()))
    for kind, label in (("home", "首页"), ("guide", "指南 registration/first/"), ("calculator", "计算器 calculator/registration/")):
        row(f"Lighthouse {label}:性能 / 无障碍 / 最佳做法 / SEO;TBT", lambda r, k=kind: (
            " / ".join(f"{r['lighthouse'][k]['scores'][c]:.2f}" for c in
                       ("performance", "accessibility", "best-practices", "seo"))
            + f";{r['lighthouse'][k]['total_blocking_time_ms']} ms"))
    print()
    hosts(row, head, rule, row_load)


def hosts(row, head, rule, row_load) -> None:
    """The gzip host and the mirror (bench/run.py --mirror-only, or the full bench)."""
    print("两种托管:GitHub Pages 式的 gzip 托管和镜像(对象存储,计算引擎为 brotli),各自与同样提供的空白 Pyodide 相比:\n")
    print(head)
    print(rule)
    row("负载(各阶段开始或结束时,1 分钟平均)", row_load)
    for profile, plabel in (("localhost", "本机(不限速)"), ("slow 4G", "慢速 4G(1.6 Mbit/s,RTT 150 ms)")):
        for host, calc, bare in (("gzip 托管", "calc", "bare"), ("镜像", "mirror_calc", "mirror_bare")):
            get = lambda r, p=profile: r["profiles"][p]  # noqa: E731
            row(f"{plabel},{host}:首次访问的字节数,计算器 / 空白 Pyodide", lambda r, g=get, c=calc, b=bare: (
                f"{g(r)['bytes_on_the_wire'][c + '_cold']:,} / {g(r)['bytes_on_the_wire'][b + '_cold']:,} B"
                f"(**{g(r)['ratio_to_bare'][c + '_cold_bytes']:.2f}**)"))
            row(f"{plabel},{host}:计算器首次 / 空白 Pyodide首次", lambda r, g=get, c=calc, b=bare: (
                f"{g(r)['time_to_first_result_ms'][c + '_cold']} / {g(r)['time_to_first_result_ms'][b + '_cold']} ms"
                f"(**{g(r)['ratio_to_bare'][c + '_cold']:.2f}**)"))
        row(f"{plabel}:镜像 ÷ gzip 托管,计算器首次的时间 / 字节数", lambda r, p=profile: (
            f"{r['profiles'][p]['time_to_first_result_ms']['mirror_calc_cold'] / r['profiles'][p]['time_to_first_result_ms']['calc_cold']:.2f}"
            f" / {r['profiles'][p]['bytes_on_the_wire']['mirror_calc_cold'] / r['profiles'][p]['bytes_on_the_wire']['calc_cold']:.2f}"))


if __name__ == "__main__":
    main(sys.argv[1:])
