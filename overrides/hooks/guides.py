"""The guide pages: rule values from the policy data (sitebuild.markers), pre-drawn
diagrams (sitebuild.diagrams), a required ``last_checked`` date on every guide, and the
Chinese search fixes (sitebuild.search_fix)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sitebuild import diagrams, markers, search_fix

_build: dict = {}  # this hook's own state: the rules, and each page's diagrams until its HTML


@event_priority(100)  # before the search plugin reads its jieba dictionary
def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    search_fix.anchor_jieba_dict(config, root)
    try:
        _build.update(rules=markers.load_rules(root), figures={})
    except FileNotFoundError as exc:
        raise PluginError(f"guides 钩子:{exc}") from None
    return config


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    try:
        markdown, _build["figures"][src] = diagrams.take(markdown, src, Path(config.docs_dir))
        markdown = markers.render(markers.Page(_build["rules"], src), markdown)
    except (diagrams.MissingDiagram, markers.MarkerError) as exc:
        raise PluginError(str(exc)) from None
    # 关于本站 (about.md) says how the site works, not what a rule is: no date to check.
    if not src.startswith("calculator/") and src != "about.md" and "last_checked" not in page.meta:
        raise PluginError(f"{src}: 页面缺少 front matter 中的 last_checked(最后核对日期)")
    return markdown


def on_page_content(html, page, config, files):
    try:
        return diagrams.put_back(html, _build["figures"].pop(page.file.src_uri, {}), page.file.src_uri)
    except diagrams.MissingDiagram as exc:
        raise PluginError(str(exc)) from None


@event_priority(100)  # before the calculator hook fingerprints the built files
def on_post_build(config):
    try:
        search_fix.patch_search_worker(Path(config.site_dir))
    except search_fix.ThemeChanged as exc:
        raise PluginError(f"guides 钩子:{exc}") from None
