"""`make check-links` (scripts/check_links.py, linkinator): which official addresses the
guides use, and a dead one found, against a server on 127.0.0.1 (no other host)."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support.rulecases import ROOT

SCRIPT = ROOT / "scripts" / "check_links.py"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    (tmp_path / "entry.html").write_text("<!doctype html><title>入口</title>", encoding="utf-8")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def check(*urls):
    args = [a for u in urls for a in ("--url", u)]
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=300)


def test_finds_the_dead_link(server):
    proc = check(f"{server}/entry.html", f"{server}/moved.html")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 个无法访问" in proc.stdout and f"{server}/moved.html(状态 404)" in proc.stdout
    assert f"{server}/entry.html" not in proc.stdout


def test_all_alive(server):
    proc = check(f"{server}/entry.html")
    assert proc.returncode == 0 and "全部可以访问" in proc.stdout


def test_the_official_addresses_come_from_the_entries_and_the_pages():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_links
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    links = check_links.official_links(ROOT)
    assert "mkdocs.yml extra.entries.cpta" in links["https://www.cpta.com.cn/"]
    shgz = next(u for u in links if u.startswith("https://shgz.mca.gov.cn/"))
    assert "mkdocs.yml extra.entries.shgz" in links[shgz] and "docs/sources.md" in links[shgz]
