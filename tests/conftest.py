"""Fixtures: the built site served on 127.0.0.1, Debian's Chromium, and one build of a
temporary copy whose policy data is changed (shared by every test that needs one).

Browser tests are marked ``browser`` automatically when they use these fixtures.
The site directory is ``site/`` (built by ``make test``) unless SHEGONG_SITE_DIR says
otherwise, which lets a developer test a build made elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from sitebuild import devserver
from support.browser import new_context
from support.build import EDIT_BASE, ROOT, build, change_policy, copy_project, edit_policy

# Hypothesis fails any example slower than 200 ms by default: a timing assertion, which
# these shared 2-core machines break while a browser or a build runs beside the tests.
# Properties are checked here; speed is `make bench`'s.
settings.register_profile("shegong", deadline=None)
settings.load_profile("shegong")

BROWSER_FIXTURES = {"site_dir", "site_url", "browser", "context", "page", "own_server", "changed_site"}
SLOW_FIXTURES = {"changed_site"}
HEAVY_FIXTURES = {"browser", "changed_project"}


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & names:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & names:
            item.add_marker(pytest.mark.slow)
    # The modules that open a browser or build a copy first and the quick ones after:
    # `make test` hands whole modules to two processes as each frees up, so the short
    # modules fill in at the end instead of one long module running on alone.
    heavy = {item.nodeid.split("::")[0] for item in items
             if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ()))}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in heavy)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    d = Path(os.environ.get("SHEGONG_SITE_DIR", ROOT / "site"))
    if not (d / "index.html").exists():
        pytest.fail(f"{d} has no built site: run `make site` (or `make test`, which builds it)")
    return d


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    server = devserver.serve(site_dir)
    yield server.url
    server.stop()


@pytest.fixture
def own_server(site_dir):
    """The built site on its own port, which a test can stop (``.stop()``) to cut the
    network; ``.paths`` lists what it was asked for."""
    server = devserver.serve(site_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            b = devserver.launch(pw, tests=True)
        except FileNotFoundError as exc:
            pytest.fail(str(exc))
        yield _CSPBypassingBrowser(b)
        b.close()


class _CSPBypassingBrowser:
    """The browser, whose contexts ignore the pages' Content-Security-Policy unless a test
    asks for it (``bypass_csp=False``): Playwright's polling ``wait_for_function`` runs its
    predicate through eval, which the policy forbids. tests/test_csp.py checks the policy."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        kwargs.setdefault("bypass_csp", True)
        return self._browser.new_context(**kwargs)


@pytest.fixture
def context(browser, site_url):
    ctx = new_context(browser, site_url, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def module_context(browser, site_url):
    """One context for a whole test module (later pages restore from its snapshot), which
    accepts downloads and must have made no request to another host."""
    ctx = new_context(browser, site_url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield ctx
    assert ctx.request_log.foreign() == []
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    yield p
    p.close()


@pytest.fixture(scope="session")
def changed_project(tmp_path_factory) -> Path:
    """A copy of the repository whose policy data is changed by support.build.change_policy
    (its rules package answers the CLI from the changed data)."""
    project = copy_project(tmp_path_factory.mktemp("changed") / "repo")
    edit_policy(project, change_policy)
    return project


@pytest.fixture(scope="session")
def changed_site(changed_project):
    """``changed_project`` with the 纠错 base set, built once; served on its own port.
    Yields (site dir, url)."""
    site = changed_project.parent / "site"
    res = build(changed_project, site, env={"SHEGONG_EDIT_BASE": EDIT_BASE})
    assert res.returncode == 0, res.stdout + res.stderr
    server = devserver.serve(site)
    yield site, server.url
    server.stop()
