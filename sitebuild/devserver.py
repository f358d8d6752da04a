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
import socketserver
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("SHEGONG_CHROMIUM", "/usr/bin/chromium")
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


def launch(playwright):
    """Debian's Chromium, headless (Playwright's own browser download is not reachable)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: `make chromium` installs Debian's package")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
