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
# Every module that uses the changed copy (checked at collection).
CHANGED_COPY = {"changed_project", "changed_site"}
SHARED_BUILD_MODULES = {"tests/test_site_build.py", "tests/test_site_update.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & names:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & names:
            item.add_marker(pytest.mark.slow)
    sharing = {_module(item) for item in items if CHANGED_COPY & set(getattr(item, "fixturenames", ()))}
    if not sharing <= SHARED_BUILD_MODULES:
        raise pytest.UsageError(f"{sorted(sharing - SHARED_BUILD_MODULES)} use the changed copy: add them to "
                                "SHARED_BUILD_MODULES in tests/conftest.py, so that it is built once")
    # The modules that open a browser or build a copy first, then those that read or send
    # the built site, the quick ones last: `make test` hands whole modules to its
    # processes as each frees up, so short modules fill in at the end instead of one
    # long module running on alone.
    rank: dict[str, int] = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        level = 0 if HEAVY_FIXTURES & names else 1 if "site_dir" in names else 2
        rank[_module(item)] = min(level, rank.get(_module(item), 2))
    items.sort(key=lambda item: rank[_module(item)])


def _module(item) -> str:
    return item.nodeid.split("::")[0]


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (whole modules to each process, so module fixtures are shared),
    with the modules that use the changed copy's build as one unit: a session fixture is
    set up once per process, and that one is a build."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduler(LoadFileScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::")[0]
            return "changed_site" if module in SHARED_BUILD_MODULES else module

    return Scheduler(config, log)


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
