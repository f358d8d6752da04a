"""Internal links and anchors of the built site, checked offline; external links only listed."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

BASE = "http://site.invalid/"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append(a[key])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def _target(site_dir: Path, path: str) -> Path:
    local = site_dir / unquote(path).lstrip("/")
    return local / "index.html" if path.endswith("/") or local.is_dir() else local


def test_internal_links_and_anchors_resolve(site_dir):
    cache: dict[Path, _Page] = {}
    broken = []
    for page_path in _pages(site_dir):
        page = cache.setdefault(page_path, _parse(page_path))
        page_url = urljoin(BASE, page_path.relative_to(site_dir).as_posix())
        for link in page.links:
            url = urlparse(urljoin(page_url, link))
            if url.scheme in ("mailto", "tel", "data", "javascript", "blob") or url.netloc != "site.invalid":
                continue
            target = _target(site_dir, url.path)
            if not target.exists():
                broken.append(f"{page_path.relative_to(site_dir)}: {link} (no file {target.relative_to(site_dir)})")
                continue
            if url.fragment and target.suffix == ".html":
                ids = cache.setdefault(target, _parse(target)).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page_path.relative_to(site_dir)}: {link} (no anchor #{unquote(url.fragment)})")
    assert broken == []


def _external(path: Path) -> set[str]:
    out = set()
    for link in _parse(path).links:
        url = urlparse(link)
        if url.scheme in ("http", "https") and url.netloc not in ("127.0.0.1:8000",):
            out.add(link)
    return out


def test_external_links_are_listed_on_the_sources_page(site_dir):
    sources = site_dir / "sources" / "index.html"
    if not sources.exists():
        pytest.fail("the 依据与来源 page (docs/sources.md) is missing")
    listed = _external(sources)
    missing = {}
    for page_path in _pages(site_dir):
        extra = _external(page_path) - listed
        # The theme's own links (edit/repository buttons) point at the project's repository.
        extra = {u for u in extra if "/edit/" not in u and "/blob/" not in u}
        if extra:
            missing[page_path.relative_to(site_dir).as_posix()] = sorted(extra)
    assert missing == {}
