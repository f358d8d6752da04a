"""`make check-data`: the site's data horizons, and what a maintainer does about each.

Three things age while nobody commits:
- the holiday data (chinese-calendar and calculator/shegong/holidays/) ends with the last
  year the State Council has published; after it, every deadline "可能顺延";
- each guide's 最后核对 date (front matter ``last_checked``);
- a policy value appended with a future ``from``: pages show the values in force on the
  day they were built, so pages built before that day are stale until rebuilt.

Prints a Markdown report and exits 1 when something needs a maintainer (the monthly
workflow fails visibly), 0 otherwise. It is never part of `make test`: a deploy must not
break because the calendar moved on. SHEGONG_TODAY=YYYY-MM-DD simulates a day.

Usage: python scripts/check_data.py [--root DIR] [--site DIR] [--built-on YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HOLIDAY_WARNING_DAYS = 60
GUIDE_MAX_MONTHS = 12
ANNUAL = "CONTRIBUTING.md 的“每年要做的事”"
CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Finding:
    horizon: str
    text: str
    todo: str = ""  # empty: nothing to do now

    def markdown(self) -> str:
        return f"- **{self.horizon}**：{self.text}" + (f"\n  做法：{self.todo}" if self.todo else "")


def today() -> dt.date:
    """The day in China, or the one SHEGONG_TODAY simulates."""
    given = os.environ.get("SHEGONG_TODAY", "").strip()
    if given:
        try:
            return dt.date.fromisoformat(given)
        except ValueError:
            sys.exit(f"SHEGONG_TODAY 应为 YYYY-MM-DD 格式的日期，收到 {given!r}")
    return dt.datetime.now(CHINA).date()


def zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- holidays


def holidays(rules, on: dt.date) -> list[Finding]:
    cal = rules.workcalendar.default()
    first, last = cal.known_years()
    end, missing = dt.date(last, 12, 31), last + 1
    how = (f"国务院办公厅公布《关于{missing}年部分节假日安排的通知》后，照通知加一个 "
           f"calculator/shegong/holidays/{missing}.json(步骤见{ANNUAL})；或者 chinese-calendar 出了包含{missing}年的"
           "新版本时，改 pyproject.toml 里的版本并运行 make lock。通知还没有公布时不要猜：在此之前，"
           f"最后一天在{missing}年的期限都显示“可能顺延”。")
    out = []
    if on > end:
        out.append(Finding("节假日数据", f"只覆盖{first}–{last}年，已于{zh(end)}结束，缺少{missing}年的安排。", how))
    elif (end - on).days <= HOLIDAY_WARNING_DAYS:
        out.append(Finding("节假日数据", f"只覆盖{first}–{last}年，{(end - on).days}天后({zh(end)})结束，"
                                      f"缺少{missing}年的安排。", how))
    else:
        out.append(Finding("节假日数据", f"覆盖{first}–{last}年，到{zh(end)}还有{(end - on).days}天；"
                                      f"结束前{HOLIDAY_WARNING_DAYS}天起这里会提醒。"))
    for year, f in sorted(cal.ignored.items()):
        out.append(Finding("节假日数据", f"holidays/{f.name} 没有使用：chinese-calendar 已有{year}年的数据，"
                                      "文件没有写 supersedes_library(为什么要以文件为准)。"))
    return out


# ---------------------------------------------------------------- guides


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def guides(root: Path, rules, on: dt.date) -> list[Finding]:
    out, oldest = [], None
    for page in sorted((root / "docs").rglob("*.md")):
        m = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
        checked = (yaml.safe_load(m.group(1)) or {}).get("last_checked") if m else None
        if not isinstance(checked, dt.date):
            continue
        due = rules.dates.add_months(checked, GUIDE_MAX_MONTHS)
        name = page.relative_to(root).as_posix()
        if due < on:
            out.append(Finding("指南的最后核对", f"{name} 最后核对于{zh(checked)}，已超过{GUIDE_MAX_MONTHS}个月。",
                               "对照这一页“依据”一节所列的文件和官方入口重新核对，有变化就改正文(数字改 policy.json)，"
                               f"再把 front matter 的 last_checked 改成核对的日期(见{ANNUAL})。"))
        elif oldest is None or due < oldest[0]:
            oldest = (due, name)
    if oldest:
        rest = "其余指南" if out else "指南"
        out.append(Finding("指南的最后核对", f"{rest}都在{GUIDE_MAX_MONTHS}个月内核对过；最早到期的是 {oldest[1]}"
                                        f"({zh(oldest[0])})。"))
    return out


# ---------------------------------------------------------------- policy values


def built_on(root: Path, site: Path, given: str | None) -> tuple[dt.date | None, str]:
    """The day the published pages were built, and how that is known."""
    if given:
        return dt.date.fromisoformat(given), "按 --built-on"
    sw = site / "sw.js"
    if sw.is_file() and (m := re.search(r'BUILD_DATE = "(\d{4}-\d{2}-\d{2})"', sw.read_text(encoding="utf-8"))):
        return dt.date.fromisoformat(m.group(1)), f"{site.name}/ 的构建日期"
    log = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=root, capture_output=True, text=True)
    if log.returncode == 0 and log.stdout.strip():
        return dt.date.fromisoformat(log.stdout.strip()), "最近一次提交的日期(推送时构建)"
    return None, "不知道"


def policy_values(rules, on: dt.date, built: dt.date | None, how: str) -> list[Finding]:
    policy = rules.policy.load()
    out = []
    for key in [*policy.parameters, rules.policy.ROUTES]:
        for entry in policy.entries(key)[1:]:
            start = rules.policy.parse_from(entry["from"])
            if start > on:
                out.append(Finding("政策数值", f"{key} 自{zh(start)}起施行新值：到那天起，此前构建的页面显示的是旧值。",
                                   ""))
            elif built is not None and built < start:
                out.append(Finding("政策数值", f"{key} 自{zh(start)}起施行新值，已经到了；页面构建于{zh(built)}({how})，"
                                           "显示的还是旧值。",
                                   "重新构建并发布网站：在 GitHub 上手动运行 monthly 工作流(它每月也自动运行一次)，或推送一次提交。"))
    if built is None:
        out.append(Finding("政策数值", "不知道页面是哪一天构建的(没有 site/，也不是 git 仓库)，没有检查已施行的新值；"
                                     "可以用 --built-on 给出。"))
    elif not out:
        out.append(Finding("政策数值", f"没有尚未施行或施行后还没有重新构建的新值(页面构建于{zh(built)}，{how})。"))
    return out


# ---------------------------------------------------------------- report


def load_rules(root: Path):
    """The rules package of the checkout at ``root`` (its own data files)."""
    sys.path.insert(0, str(root / "calculator"))
    import shegong.dates
    import shegong.policy
    import shegong.workcalendar

    return shegong


def report(findings: list[Finding], on: dt.date) -> str:
    todo = [f for f in findings if f.todo]
    lines = [f"# 数据期限检查({zh(on)})", ""]
    lines += ["## 需要处理", "", *(f.markdown() for f in todo), ""] if todo else ["没有需要处理的事。", ""]
    lines += ["## 其余各项", "", *(f.markdown() for f in findings if not f.todo), ""]
    lines.append(f"每年要做的事见 {ANNUAL}。")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--built-on", help="the day the published pages were built (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    on, rules = today(), load_rules(args.root)
    built, how = built_on(args.root, args.site or args.root / "site", args.built_on)
    findings = holidays(rules, on) + guides(args.root, rules, on) + policy_values(rules, on, built, how)
    print(report(findings, on))
    return 1 if any(f.todo for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
