"""The bench's model of a static host (the built site served as a host serves it), and the
network profiles of a phone it is measured under.

* Compression by Content-Type, as hosts do: gzip (zlib's default level, what on-the-fly
  compressors use) for text, JavaScript, JSON, SVG and wasm; never for zip archives or
  images. The Content-Type comes from the extension, the same table as the tests' server.
* Cache headers of the site's S3 publishing target (sitebuild/publish_s3.py): versioned
  runtime paths immutable, everything else revalidated with an ETag.
* The network profiles, emulated in Chromium by ``Network.emulateNetworkConditions``
  (which also paces the page's Web Worker; bench/README.md says how that was
  checked).
* Every byte written to a socket is counted (``Counter``): bytes on the wire, headers
  included.
* ``MirrorHandler``: the S3-compatible mirror instead (sitebuild/publish_s3.py with an
  https public address): each file as it was uploaded, brotli for the engine (the stdlib
  zips re-packed with stored members first) and gzip for the rest, whatever the browser
  asked for (a store does not negotiate).
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitebuild import devserver, publish_s3
from sitebuild.publish_s3 import cache_control

ROOT = Path(__file__).resolve().parent.parent

COMPRESSED_TYPES = re.compile(r"^(text/|application/(javascript|json|manifest\+json|xml|wasm)|image/svg\+xml)")


@dataclass(frozen=True)
class Profile:
    name: str
    down_bps: float | None  # None: no limit
    rtt_ms: float


LOCAL = Profile("localhost", None, 0)
FOUR_G = Profile("4G", 9e6, 100)
SLOW_4G = Profile("slow 4G", 1.6e6, 150)  # Lighthouse's mobile throttling
PROFILES = {"local": LOCAL, "4g": FOUR_G, "slow4g": SLOW_4G}


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.bytes = 0
        self.paths: list[str] = []

    def reset(self):
        with self.lock:
            self.bytes = 0
            self.paths = []

    def add(self, n: int):
        with self.lock:
            self.bytes += n


class _Wire:
    """The socket's writer, counted."""

    def __init__(self, raw, counter: Counter):
        self.raw, self.counter = raw, counter

    def write(self, data):
        n = self.raw.write(data)
        self.counter.add(len(data))
        return n

    def flush(self):
        return self.raw.flush()

    def __getattr__(self, name):
        return getattr(self.raw, name)


class HostHandler(devserver.Handler):
    """Set on a subclass: ``counter``, ``site`` (the built site)."""

    counter: Counter
    site: Path
    protocol_version = "HTTP/1.1"  # keep-alive, as a host does
    _gz: dict = {}
    _gz_lock = threading.Lock()

    def setup(self):
        super().setup()
        self.wfile = _Wire(self.wfile, self.counter)

    def send_body(self, body: bytes, ctype: str, cache: str = "no-cache", key: str | None = None,
                  mtime: float | None = None):
        """``body`` as a host would send it: gzipped by type, with validators."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        # Per host model, and per what the browser accepts (the gzip host negotiates).
        k = (type(self).encoded, key, len(body), etag, self.headers.get("Accept-Encoding"))
        with self._gz_lock:
            packed = self._gz.get(k)
        if packed is None:
            packed = self.encoded(body, ctype, key)
            with self._gz_lock:
                self._gz[k] = packed
        body, encoding = packed
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        if mtime is not None:
            self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def encoded(self, body: bytes, ctype: str, key: str | None) -> tuple[bytes, str | None]:
        """(bytes, Content-Encoding) as this host sends ``body``: gzip by type."""
        if COMPRESSED_TYPES.match(ctype) and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            return gzip.compress(body, compresslevel=6, mtime=0), "gzip"
        return body, None

    def not_found(self):
        body = b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, f: Path, rel: str):
        ctype = self.guess_type(str(f))
        if ctype.startswith("text/") and "charset" not in ctype:
            ctype += "; charset=utf-8"
        self.send_body(f.read_bytes(), ctype, cache_control(rel), key=str(f), mtime=f.stat().st_mtime)

    def do_GET(self):  # noqa: N802
        with self.counter.lock:
            self.counter.paths.append(self.path)
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        f = self.site / rel
        if rel == "" or rel.endswith("/"):
            f = f / "index.html"
            rel += "index.html"
        try:
            f.resolve().relative_to(self.site.resolve())
        except ValueError:
            return self.not_found()
        if not f.is_file():
            return self.not_found()
        return self.send_file(f, rel)

    def do_HEAD(self):  # noqa: N802
        return self.do_GET()

    def log_message(self, *args):
        pass


class MirrorHandler(HostHandler):
    """The mirror: what publish_s3 stored for the file, sent as stored."""

    def send_file(self, f: Path, rel: str):
        self.send_body(f.read_bytes(), publish_s3.content_type(rel), cache_control(rel), key=rel,
                       mtime=f.stat().st_mtime)

    def encoded(self, body: bytes, ctype: str, key: str | None) -> tuple[bytes, str | None]:
        # A page the bench makes up (key None) is stored as a page is.
        # The stdlib zips come re-packed with their members stored, as uploaded.
        return publish_s3.stored_body(body, key or "index.html", True, ROOT / publish_s3.BROTLI_CACHE)


def serve(site: Path, handler: type[HostHandler] = HostHandler, counter: Counter | None = None):
    """The site behind a host model on 127.0.0.1: (server, counter); ``counter`` to share
    one between hosts measured in turn."""
    counter = counter or Counter()
    cls = type("Host", (handler,), {"counter": counter, "site": Path(site)})
    server = devserver.Server(("127.0.0.1", 0), cls).start()
    return server, counter


if __name__ == "__main__":  # serve the site as the bench does, for Lighthouse or a look
    import sys

    srv, _ = serve(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
    print(srv.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
