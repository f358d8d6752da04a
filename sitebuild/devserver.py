"""The built site on 127.0.0.1, and Debian's Chromium, for the tests, the benchmark and
``make diagrams``.

The server serves the MIME types a static host sends (Pyodide needs application/wasm and
text/javascript for .mjs) and records every path it is asked for; ``RequestLog`` records
every request a browser context makes, so a caller can check that nothing left the site.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("SHEGONG_CHROMIUM", "/usr/bin/chromium")
# The tests' browser: Debian's build of the same Blink and V8 without the browser's own
# UI layer (as Playwright's default headless browser is), whose process spent less CPU
# than the full browser's, and V8 compiling the wasm once without optimising it again,
# which the tests' many cold starts paid for. What the pages do is the same; how fast
# is `make bench`'s, which keeps the full browser a reader runs.
DEBIAN_SHELL = "/usr/lib/chromium/chromium-headless-shell"
HEADLESS_SHELL = os.environ.get("SHEGONG_CHROMIUM_SHELL", DEBIAN_SHELL)
# Without the background-networking flags Chromium tries Google's hosts at every start,
# which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".whl": "application/zip",
    }

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.paths.append(self.path)
        return super().do_GET()

    def log_message(self, *args):  # keep test output readable
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self._running = False

    def handle_error(self, request, client_address):
        # A browser that closes a page mid-download resets the connection: not a failure.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def start(self) -> "Server":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self._running = True
        return self

    def stop(self) -> None:
        """Stops serving (a test cuts the network this way); safe to call twice."""
        if self._running:
            self._running = False
            self.shutdown()
            self.server_close()


def serve(directory: Path | str, handler: type[Handler] = Handler) -> Server:
    """``directory`` served on a free port of 127.0.0.1, already running."""
    return Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory))).start()


class RequestLog:
    """Every request a browser context makes (``context.on("request", log)``)."""

    def __init__(self, site_url: str):
        self.site_host = urlparse(site_url).netloc
        self.urls: list[str] = []

    def __call__(self, request):
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        """The requests that went to any host but the site's."""
        out = []
        for u in self.urls:
            p = urlparse(u)
            if p.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if p.netloc != self.site_host:
                out.append(u)
        return out


# Playwright checks a wait_for_function predicate on every animation frame unless told
# otherwise, which keeps the page drawing frames for as long as anyone waits; a timer
# costs nothing while the page is idle.
POLL_MS = 50


def wait_for(page, predicate: str, *, arg=None, timeout: float):
    """Waits until the JS ``predicate`` returns a truthy value, checking it every POLL_MS."""
    return page.wait_for_function(predicate, arg=arg, timeout=timeout, polling=POLL_MS)


TEST_ARGS = ["--js-flags=--liftoff-only"]


def test_browser() -> str:
    """The tests' browser: the headless shell where there is one; otherwise the full
    browser that SHEGONG_CHROMIUM names, in its own headless mode. GitHub's runners have
    Google Chrome and no Debian packages, and the workflow names Chrome there."""
    if Path(HEADLESS_SHELL).exists() or "SHEGONG_CHROMIUM" not in os.environ:
        return HEADLESS_SHELL
    return CHROMIUM if Path(CHROMIUM).exists() else HEADLESS_SHELL


def missing_packages() -> list[str]:
    """The Debian packages ``make chromium`` installs: only what is missing, and no
    browser where a named one serves (Ubuntu has no chromium-headless-shell)."""
    missing = []
    if not Path(CHROMIUM).exists() and "SHEGONG_CHROMIUM" not in os.environ:
        missing.append("chromium")
    if not Path(test_browser()).exists() and "SHEGONG_CHROMIUM_SHELL" not in os.environ:
        missing.append("chromium-headless-shell")
    # Chinese text lays out and screenshots with CJK glyphs, not boxes.
    if shutil.which("dpkg") and subprocess.run(["dpkg", "-s", "fonts-noto-cjk"], capture_output=True).returncode:
        missing.append("fonts-noto-cjk")
    return missing


def launch(playwright, *, tests: bool = False):
    """Chromium, headless (Playwright's own browser download is not reachable);
    ``tests`` takes the tests' browser (test_browser(), TEST_ARGS)."""
    path = test_browser() if tests else CHROMIUM
    if not Path(path).exists():
        raise FileNotFoundError(f"Chromium not found at {path}: `make chromium` installs Debian's packages, "
                                "or name a browser with SHEGONG_CHROMIUM")
    args = CHROMIUM_ARGS + (TEST_ARGS if tests else [])
    return playwright.chromium.launch(executable_path=path, args=args, headless=True)


def main(argv: list[str]) -> int:
    """`make chromium`: ``--missing-packages`` prints the Debian packages to install
    (nothing when none are); ``--check`` says in Chinese what to do when the tests'
    browser is still missing."""
    if argv == ["--missing-packages"]:
        print(" ".join(missing_packages()))
        return 0
    if argv == ["--check"]:
        if Path(test_browser()).exists():
            return 0
        print(f"测试用的浏览器不存在：{test_browser()}。Debian：apt-get install chromium chromium-headless-shell "
              "fonts-noto-cjk；其他系统：用 SHEGONG_CHROMIUM 指定 Chrome 或 Chromium。", file=sys.stderr)
        return 1
    print("usage: python -m sitebuild.devserver --missing-packages | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
