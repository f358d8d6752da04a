"""Builds of the site: the one ``make test`` made (site/), and temporary copies of the
repository with something changed, built with ``mkdocs build --strict``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).with_name("mkdocs")


def build(project: Path, site: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "-d", str(site)],
        cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True, text=True, timeout=600,
    )


def copy_project(dest: Path) -> Path:
    """What a build reads, copied; node_modules linked. The package cache is copied too:
    a copy whose rules' code is unchanged only re-zips the rules wheel."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".cache")
    for name in ("docs", "calculator", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("mkdocs.yml", "pyproject.toml", "README.md", "requirements.lock"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    cache = ROOT / ".cache" / "calculator"
    if cache.is_dir():
        shutil.copytree(cache, dest / ".cache" / "calculator")
    return dest


def edit_policy(project: Path, change) -> None:
    """``change(data)`` applied to the copy's policy.json."""
    path = project / "calculator" / "shegong" / "policy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def text(html_file: Path) -> str:
    """The visible text of a built page's article, whitespace squeezed."""
    html = html_file.read_text(encoding="utf-8")
    m = re.search(r"<article.*?</article>", html, re.S)
    out = re.sub(r"<[^>]+>", " ", m.group(0) if m else html)
    return re.sub(r"\s+", " ", out).replace("&amp;", "&")


def built_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as its URL path relative to the site ('' for home,
    else ending in /)."""
    pages = []
    for f in sorted(site_dir.rglob("index.html")):
        rel = f.parent.relative_to(site_dir).as_posix()
        if rel.startswith("search") or rel.startswith("assets"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


def calculator_config(site_dir: Path, page: str = "calculator/registration/") -> dict:
    """What the build gave a calculator page to start its worker (its sg-config JSON)."""
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="sg-config">(.*?)</script>', html).group(1))


# The changes a maintainer makes, all in one copy: replaced values, a title route's
# years, and a value appended from a date by a new document (CONTRIBUTING's walk-through:
# the old value and its document stay for earlier dates).
POLICY_CHANGES = {
    "registration.validity_years": 7,
    "registration.first_window_years": 2,
    "training.required_hours.社会工作师": 64,
}
NEW_DOCUMENT = ("walkthrough_notice", {"title": "测试用的继续教育新文件", "number": "测试〔2026〕1号",
                                      "issuer": "测试", "date": "2025-10-01"})
NEW_CITATION = "《测试用的继续教育新文件》（测试〔2026〕1号）第二条"
OLD_CITATION = "《社会工作者继续教育办法》（民发〔2009〕123号）第七条"
APPENDED = ("training.required_hours.助理社会工作师",
            {"from": "2026-01-01", "value": 80, "document": NEW_DOCUMENT[0], "article": "第二条",
             "text": "测试用的条文:助理社会工作师每一登记有效期不少于80小时"})
ROUTE_YEARS = ("技师", 6)
EDIT_BASE = "https://example.invalid/owner/repo/edit/main/docs/"


def change_policy(data: dict) -> None:
    for key, value in POLICY_CHANGES.items():
        data["parameters"][key]["values"][-1]["value"] = value
    name, document = NEW_DOCUMENT
    data["documents"][name] = document
    key, entry = APPENDED
    data["parameters"][key]["values"].append(entry)
    for route in data["titles"]["routes"]["values"][-1]["value"]:
        if route["from"] == ROUTE_YEARS[0]:
            route["years"] = ROUTE_YEARS[1]
