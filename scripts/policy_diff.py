"""`make policy-diff BASE=<git ref>`: which answers a change to the rules or their data
changes, for whom, and by how much, before it ships.

Both revisions answer the same requests: the named cases (tests/cases.json) and a fixed,
seeded population across every tool (scripts/policy_population.py). Each revision's
``calculator/`` answers in its own process (PYTHONPATH pointing at it; the rules are pure
Python), with this environment's dependencies, except a rules dependency the revision pins
at another version (say chinese-calendar, whose holiday data is data too): that one is
installed for it from PyPI with requirements.lock's hashes. Prints a Markdown report: how many answers
changed per tool and field, a few examples (request, before, after) and the documents
cited before and after; "无变化" when nothing changed.

Usage: python scripts/policy_diff.py --base REF [--head REF] [--root DIR] [--size N] [--seed S]
Without --head, the other side is the working tree (uncommitted changes included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from importlib import metadata
from typing import Any, Iterator

import policy_population
from sitebuild.pyodide_bundle import locked_requirements, normalized

ROOT = Path(__file__).resolve().parents[1]
SIZE, SEED = 10_000, 20261207
EXAMPLES, FIELDS_SHOWN, CITATIONS_SHOWN, CELL, REQUEST_CHARS = 3, 12, 12, 90, 600
CITING = {"source", "rule", "citation"}

# Runs under each revision's rules; uses nothing but their public entry points.
RUNNER = r"""
import datetime as dt, json, sys
import shegong
from shegong import api
if not shegong.__file__.startswith(sys.argv[3]):
    sys.exit(f"shegong was imported from {shegong.__file__}, not from {sys.argv[3]}")
with open(sys.argv[1], encoding="utf-8") as items, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in items:
        item = json.loads(line)
        today = dt.date.fromisoformat(item["today"])
        if "sheet" in item:
            sheet = getattr(api, "evaluate_sheet", None)
            answer = (sheet(item["sheet"].encode("utf-8"), "team.csv", today) if sheet
                      else {"ok": False, "errors": [{"field": "file", "message": "这个版本没有团队表格"}]})
        else:
            answer = api.evaluate(item["request"], today)
        out.write(json.dumps(answer, ensure_ascii=False, sort_keys=True) + "\n")
"""


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"git {' '.join(args)}：{proc.stderr.strip()}")
    return proc.stdout.strip()


DEPENDENCY_FILES = ("pyproject.toml", "requirements.lock")


def checkout(root: Path, ref: str, into: Path) -> Path:
    """``calculator/`` of ``ref``, and the files that pin its dependencies, unpacked into ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "calculator"], cwd=root, capture_output=True)
    if archive.returncode:
        sys.exit(f"git archive {ref}：{archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", into], input=archive.stdout, check=True)
    for name in DEPENDENCY_FILES:
        shown = subprocess.run(["git", "show", f"{ref}:{name}"], cwd=root, capture_output=True)
        if shown.returncode == 0:
            (into / name).write_bytes(shown.stdout)
    return into


def pins(side: Path) -> dict[str, str]:
    """The rules' dependencies as ``side`` pins them (pyproject.toml, [project] dependencies)."""
    path = side / "pyproject.toml"
    if not path.is_file():
        return {}
    deps = tomllib.loads(path.read_text(encoding="utf-8"))["project"].get("dependencies", [])
    return dict((n.strip(), v.strip()) for n, _, v in (d.partition("==") for d in deps) if v)


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def own_dependencies(side: Path, into: Path) -> Path | None:
    """The pins of ``side`` that differ from this environment's (a chinese-calendar upgrade is a
    change of data), installed into ``into`` from PyPI, with requirements.lock's hashes."""
    differ = {n: v for n, v in pins(side).items() if installed(n) != v}
    if not differ:
        return None
    locked = locked_requirements(side) if (side / "requirements.lock").is_file() else {}
    hashes = {n: locked[normalized(n)][2] for n, v in differ.items()
              if normalized(n) in locked and locked[normalized(n)][1] == v}
    use = len(hashes) == len(differ)  # pip wants hashes on every line or on none
    req = into.with_suffix(".txt")
    req.write_text("".join(f"{n}=={v}" + ("".join(f" --hash=sha256:{h}" for h in hashes[n]) if use else "") + "\n"
                           for n, v in differ.items()), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                           "--target", into, "-r", req], capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"安装 {'、'.join(f'{n}=={v}' for n, v in differ.items())} 失败：{proc.stderr.strip()[-500:]}")
    return into


def answer(side: Path, deps: Path | None, items: Path, out: Path) -> subprocess.Popen:
    calculator = side / "calculator"
    path = os.pathsep.join(str(p) for p in (calculator, deps) if p)
    env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen([sys.executable, "-c", RUNNER, items, out, str(calculator)], env=env)


def versions(side: Path) -> dict[str, str]:
    return {n: pins(side).get(n) or installed(n) or "?" for n in pins(side)}


def named_cases(root: Path, today: str) -> list[dict[str, Any]]:
    """The cases of tests/cases.json, asked on ``today`` (where the request gives none)."""
    cases = json.loads((root / "tests" / "cases.json").read_text(encoding="utf-8"))["cases"]
    return [{"tool": c["request"].get("tool", "?"), "name": c["name"], "request": c["request"],
             "today": today}
            for c in cases if isinstance(c.get("request"), dict)]


# ---------------------------------------------------------------- comparing


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of an answer as (field, value); list positions are written ``[]``."""
    if isinstance(value, dict):
        for k in sorted(value):
            yield from leaves(value[k], f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v, f"{path}[]")
    else:
        yield path, value


def fields(answer: dict[str, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for path, value in leaves(answer):
        out[path].append(value)
    return out


def cited(answer: dict[str, Any]) -> set[str]:
    return {v for path, v in leaves(answer) if path.rpartition(".")[2] in CITING and isinstance(v, str) and v}


def compare(items: list[dict[str, Any]], before: list[dict], after: list[dict]) -> dict[str, Any]:
    tools: dict[str, Counter] = defaultdict(Counter)
    per_field: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    documents: dict[str, Counter] = defaultdict(Counter)
    for item, b, a in zip(items, before, after):
        tool = item["tool"]
        tools[tool]["asked"] += 1
        if a == b:
            continue
        tools[tool]["changed"] += 1
        fb, fa = fields(b), fields(a)
        changed = [p for p in sorted(set(fb) | set(fa)) if fb.get(p) != fa.get(p)]
        per_field[tool].update(changed)
        if len(examples[tool]) < EXAMPLES:
            examples[tool].append((item, [(p, fb.get(p), fa.get(p)) for p in changed]))
        documents["before"].update(cited(b))
        documents["after"].update(cited(a))
    return {"tools": tools, "fields": per_field, "examples": examples, "documents": documents}


# ---------------------------------------------------------------- the report


def cell(value: Any) -> str:
    if isinstance(value, list):
        value = "；".join(map(str, value)) if len(value) != 1 else value[0]
    text = "(无)" if value is None else json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = text.replace("|", "\\|").replace("\r", "").replace("\n", " ")
    return text if len(text) <= CELL else text[: CELL - 1] + "…"


def tool_name(tool: str) -> str:
    from shegong import api

    return f"{tool}({api.TOOL_ZH.get(tool, '团队表格' if tool == 'team' else tool)})"


def report(title: str, about: str, cases: dict[str, Any], named: list[tuple[str, bool]], pop: dict[str, Any]) -> str:
    lines = [f"## {title}", "", about, ""]
    changed_named = [n for n, changed in named if changed]
    changed = sum(c["changed"] for c in pop["tools"].values()) + len(changed_named)
    if not changed:
        return "\n".join(lines + ["**无变化**：所有请求的答案都相同。", ""])
    lines += [f"### 具名案例：{len(changed_named)} / {len(named)} 个答案变了", ""]
    lines += [f"- {n}" for n in changed_named] + ([""] if changed_named else [])
    for heading, result in (("随机请求", pop), ("具名案例", cases)):
        lines += [f"### {heading}：按计算器", "", "| 计算器 | 请求 | 答案变了 |", "| --- | ---: | ---: |"]
        lines += [f"| {tool_name(t)} | {c['asked']:,} | {c['changed']:,} |" for t, c in sorted(result["tools"].items())]
        lines += ["", f"### {heading}：按字段(每个计算器最多列{FIELDS_SHOWN}个)", "",
                  "| 计算器 | 字段 | 变了的答案 |", "| --- | --- | ---: |"]
        for tool, counts in sorted(result["fields"].items()):
            lines += [f"| {tool} | `{f}` | {n:,} |" for f, n in counts.most_common(FIELDS_SHOWN)]
        lines.append("")
    before = pop["documents"]["before"] + cases["documents"]["before"]
    after = pop["documents"]["after"] + cases["documents"]["after"]
    # The citations whose count moved first: a value from a new document shows up here.
    shown = sorted(set(before) | set(after), key=lambda c: (before[c] == after[c], -max(before[c], after[c])))
    lines += ["### 引用的文件(变了的答案里，引用它的答案数)", "", "| 引用 | 之前 | 之后 |", "| --- | ---: | ---: |"]
    lines += [f"| {cell(c)} | {before[c]:,} | {after[c]:,} |" for c in shown[:CITATIONS_SHOWN]]
    lines += ["", "### 例子", ""]
    for tool, shown in sorted(pop["examples"].items()):
        for item, diffs in shown:
            ask = json.dumps(item.get("request", item.get("sheet")), ensure_ascii=False)
            lines += [f"**{tool_name(tool)}**(按 {item['today']})：`{ask[:REQUEST_CHARS]}`", "",
                      "| 字段 | 之前 | 之后 |", "| --- | --- | --- |"]
            lines += [f"| `{p}` | {cell(b)} | {cell(a)} |" for p, b, a in diffs[:FIELDS_SHOWN]]
            lines.append("")
    return "\n".join(lines)


def run(root: Path, base: str, head: str | None, size: int, seed: int, today: dt.date) -> str:
    last = dt.date(today.year + 10, 12, 31)
    items = policy_population.population(size, seed, last)
    cases = named_cases(root, today.isoformat())
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        tmp = Path(tmp)
        sides = {"before": checkout(root, base, tmp / "before"),
                 "after": checkout(root, head, tmp / "after") if head else root}
        deps = {k: own_dependencies(v, tmp / f"deps-{k}") for k, v in sides.items()}
        (tmp / "items.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in cases + items),
                                         encoding="utf-8")
        procs = {k: answer(v, deps[k], tmp / "items.jsonl", tmp / f"{k}.jsonl") for k, v in sides.items()}
        pinned = {k: versions(v) for k, v in sides.items()}
        if any(p.wait() for p in procs.values()):
            sys.exit("一个版本的规则没能回答全部请求(见上面的错误)")
        answers = {k: [json.loads(line) for line in (tmp / f"{k}.jsonl").read_text(encoding="utf-8").splitlines()]
                   for k in sides}
    n = len(cases)
    named = [(c["name"], b != a) for c, b, a in zip(cases, answers["before"][:n], answers["after"][:n])]
    result_cases = compare(cases, answers["before"][:n], answers["after"][:n])
    result_pop = compare(items, answers["before"][n:], answers["after"][n:])
    short = git(root, "rev-parse", "--short", base)
    after = f"`{head}`({git(root, 'rev-parse', '--short', head)})" if head else "工作区(含未提交的改动)"
    about = (f"`{base}`({short}) → {after}。请求：具名案例 {n} 个；随机请求 {size:,} 个(种子 {seed}，"
             f"日期 {policy_population.FIRST_DAY} 至 {last}，各计算器和团队表格)。")
    moved = [f"{n} {v} → {pinned['after'].get(n, '?')}" for n, v in pinned["before"].items() if pinned["after"].get(n) != v]
    about += f"依赖：{'；'.join(moved)}。" if moved else ""
    return report("规则和数据变化的影响", about, result_cases, named, result_pop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with (BASE)")
    parser.add_argument("--head", help="the other revision (default: the working tree)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    parser.add_argument("--size", type=int, default=SIZE, help=f"random requests (default {SIZE:,})")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    # Ten years ahead of the day in China (or the day SHEGONG_TODAY simulates).
    today = os.environ.get("SHEGONG_TODAY") or dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    print(run(args.root, args.base, args.head, args.size, args.seed, dt.date.fromisoformat(today)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
