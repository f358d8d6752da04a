"""The home page routes every task (issue 14): on a 390 px phone, every procedure page
of the source is at most two taps from the home page, using only the links shown in
the page's content (the menu drawer is not counted); and the menu lists 继续教育
before 再登记, since the hours must be done first.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from support.procedures import PROCEDURES

SEEDS = sorted({page for page, _, _ in PROCEDURES})
PHONE = {"width": 390, "height": 844}

VISIBLE_LINKS = """els => els.filter(a => {
    const r = a.getBoundingClientRect(), s = getComputedStyle(a);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  }).map(a => [a.getAttribute('href'), a.href])"""


def _path(site_url: str, url: str) -> str | None:
    """The site page a link opens, as its directory ('' for home); None if not a page."""
    base, u = urlsplit(site_url), urlsplit(url)
    if u.netloc != base.netloc:
        return None
    rel = u.path[len(base.path):].strip("/")
    if rel.startswith(("assets", "search")) or rel.endswith((".js", ".json", ".xml")):
        return None
    return rel


def _links(page, site_url) -> dict[str, str]:
    """Page reached → the raw href of a visible content link that opens it."""
    out: dict[str, str] = {}
    for raw, resolved in page.eval_on_selector_all(".md-content a[href]", VISIBLE_LINKS):
        target = _path(site_url, resolved)
        if target is not None and not raw.startswith("#"):
            out.setdefault(target, raw)
    return out


@pytest.fixture
def phone(browser, site_url):
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
    p = ctx.new_page()
    yield p
    ctx.close()


def _tap(phone, raw_href: str):
    link = phone.locator(f'.md-content a[href="{raw_href}"]').first
    link.scroll_into_view_if_needed()
    with phone.expect_navigation():
        link.tap()


def test_every_procedure_is_at_most_two_taps_from_home(phone, site_url):
    phone.goto(site_url)
    first = _links(phone, site_url)
    routes: dict[str, list[str]] = {"": []}  # the home page itself: no tap
    for t, raw in first.items():
        routes.setdefault(t, [raw])
    for hub, raw in first.items():
        if hub == "" or hub.startswith("calculator"):
            continue
        phone.goto(site_url + (hub + "/" if hub else ""))
        for target, raw2 in _links(phone, site_url).items():
            routes.setdefault(target, [raw, raw2])
    missing = [s for s in SEEDS if s not in routes]
    assert missing == [], f"从首页两次点击到不了:{missing}"

    # Walk each route with real taps from the home page, as a reader on a phone would,
    # going back (as the reader does) only as far as the next route differs.
    taken: list[str] = []
    phone.goto(site_url)
    for seed in sorted(SEEDS, key=lambda s: routes[s]):
        while taken != routes[seed][:len(taken)]:
            phone.go_back()
            taken.pop()
        for raw in routes[seed][len(taken):]:
            _tap(phone, raw)
            taken.append(raw)
        assert urlsplit(phone.url).path.rstrip("/").endswith("/" + seed if seed else ""), (seed, phone.url)


def test_the_already_registered_route_is_on_the_home_page(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<h3 id="已经登记了">.*?</div>', html, re.S)
    assert card, "首页没有“已经登记了”"
    for href in ("registration/change/", "registration/service-records/", "registration/appeal/", "registration/first/#办理流程"):
        assert f'href="{href}"' in card.group(0), href
    assert "电子登记证" in card.group(0)


def test_the_menu_lists_continuing_education_before_reregistration(site_dir):
    html = (site_dir / "faq" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):]
    assert nav.index("registration/continuing-education/") < nav.index("registration/reregistration/")
