"""`make check-links`: the official addresses the guides send readers to still answer.

The addresses are the entry points in mkdocs.yml (``extra.entries``: 中国人事考试网, the
全国社会工作信息系统) and every http(s) link written in a page under docs/. They are put as
links on one local page, and linkinator (npm, pinned in package.json) checks that page's
links: each address once, nothing crawled on the official sites. The links inside the built
site are `make test`'s (tests/test_links.py); this is the outside world, which can move, so
it runs monthly (.github/workflows/monthly.yml), not in `make test`.

Prints a Markdown report (each dead address with the pages that use it) and exits 1 when
one is dead. --url checks given addresses instead (the tests use a local server).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"https?://[^\s)<>\"'`]+")
# Government sites are slow from abroad: a generous timeout, and a second try on a 5xx or
# a dropped connection, before an address is called dead. (Not --verbosity none: with it,
# linkinator 7.6.1 prints an empty list of links.)
LINKINATOR_ARGS = ["--format", "json", "--timeout", "30000", "--retry-errors", "--retry-errors-count", "2",
                   "--concurrency", "4"]


def official_links(root: Path) -> dict[str, set[str]]:
    """Every outside address the guides use -> where it is written."""
    found: dict[str, set[str]] = defaultdict(set)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Lenient)
    for key, entry in (config.get("extra", {}).get("entries") or {}).items():
        found[entry["url"]].add(f"mkdocs.yml extra.entries.{key}")
    for page in sorted((root / "docs").rglob("*.md")):
        for url in LINK.findall(page.read_text(encoding="utf-8")):
            found[url.rstrip(".,;，。；")].add(page.relative_to(root).as_posix())
    return found


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml's tags (``!ENV``, ``!!python/name:``) name things this script does not need."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def dead_links(root: Path, urls: list[str]) -> list[dict]:
    """linkinator's broken results for ``urls``, put as links on one local page."""
    with tempfile.TemporaryDirectory(prefix="check-links-") as tmp:
        page = Path(tmp) / "index.html"
        page.write_text("<!doctype html><meta charset=utf-8><title>links</title>\n" + "\n".join(
            f'<a href="{html.escape(u)}">{html.escape(u)}</a>' for u in urls), encoding="utf-8")
        # A relative location: linkinator 7.6 finds no links on a page given by absolute path.
        proc = subprocess.run([root / "node_modules" / ".bin" / "linkinator", page.name, *LINKINATOR_ARGS],
                              cwd=tmp, capture_output=True, text=True, timeout=600)
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        sys.exit(f"linkinator 没有给出结果(退出码 {proc.returncode})：{proc.stderr.strip()[:500]}")
    return [r for r in result["links"] if r["state"] == "BROKEN" and r["url"] in urls]


def report(links: dict[str, set[str]], dead: list[dict]) -> str:
    lines = [f"# 官方网址检查：{len(links)} 个", ""]
    if not dead:
        return "\n".join(lines + ["全部可以访问。", ""])
    lines += [f"{len(dead)} 个无法访问(官方网址搬家时，改 mkdocs.yml 的 extra.entries 或页面里的链接，"
              "并在 docs/sources.md 核对)：", ""]
    for r in dead:
        status = r.get("status") or "无响应"
        lines.append(f"- {r['url']}(状态 {status})，用在：{'、'.join(sorted(links[r['url']]))}")
    return "\n".join(lines + [""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--url", action="append", help="check this address instead (repeatable)")
    args = parser.parse_args(argv)
    links = {u: {"--url"} for u in args.url} if args.url else official_links(args.root)
    dead = dead_links(ROOT, sorted(links))
    print(report(links, dead))
    return 1 if dead else 0


if __name__ == "__main__":
    sys.exit(main())
