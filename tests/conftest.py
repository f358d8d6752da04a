"""Shared fixtures: the built site served on 127.0.0.1, and Debian's Chromium.

Browser tests are marked ``browser`` automatically when they use these fixtures.
The site directory is ``site/`` (built by ``make test``) unless SHEGONG_SITE_DIR says
otherwise, which lets a developer test a build made elsewhere.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from hypothesis import settings

# Hypothesis fails any example slower than 200 ms by default: a timing assertion, which
# these shared 2-core machines break while a browser or a build runs beside the tests
# (526 ms once, on a fresh clone). Properties are checked here; speed is `make bench`'s.
settings.register_profile("shegong", deadline=None)
settings.load_profile("shegong")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SHEGONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_FIXTURES = {"site_url", "browser", "context", "page", "site_dir"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".whl": "application/zip",
    }

    def log_message(self, *args):  # keep test output readable
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A browser that closes a page mid-download resets the connection: not a failure.
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    d = Path(os.environ.get("SHEGONG_SITE_DIR", ROOT / "site"))
    if not (d / "index.html").exists():
        pytest.fail(f"{d} has no built site: run `make site` (or `make test`, which builds it)")
    return d


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make chromium` installs Debian's package")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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


@pytest.fixture(scope="session")
def rules_changed_site(tmp_path_factory) -> Path:
    """One build, per session, of a copy of the repository whose 助理社会工作师 hours are
    80 from 2026-01-01 (72 before): a maintainer's rule change, and a new deploy."""
    import json

    from test_site_build import _build, _copy_project

    base = tmp_path_factory.mktemp("rules-changed")
    project = _copy_project(base / "repo")
    policy_file = project / "calculator" / "shegong" / "policy.json"
    data = json.loads(policy_file.read_text(encoding="utf-8"))
    data["parameters"]["training.required_hours.助理社会工作师"]["values"].append({"from": "2026-01-01", "value": 80})
    policy_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    site = base / "site"
    env_before = os.environ.get("SHEGONG_EDIT_BASE")
    os.environ["SHEGONG_EDIT_BASE"] = "https://example.invalid/owner/repo/edit/main/docs/"
    try:
        res = _build(project, site)
    finally:
        if env_before is None:
            os.environ.pop("SHEGONG_EDIT_BASE", None)
        else:
            os.environ["SHEGONG_EDIT_BASE"] = env_before
    assert res.returncode == 0, res.stdout + res.stderr
    return site


class RequestLog:
    """Every request a context makes, so tests can assert nothing leaves the site."""

    def __init__(self, site_url: str):
        self.site_host = urlparse(site_url).netloc
        self.urls: list[str] = []

    def __call__(self, request):
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        out = []
        for u in self.urls:
            p = urlparse(u)
            if p.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if p.netloc != self.site_host:
                out.append(u)
        return out


@pytest.fixture
def context(browser, site_url):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    log = RequestLog(site_url)
    ctx.on("request", log)
    ctx.request_log = log  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    yield p
    p.close()
