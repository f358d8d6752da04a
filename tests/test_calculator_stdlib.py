"""The calculator's standard library (sitebuild/node/build_stdlib.mjs): bytecode of the
modules a start imports, and Pyodide's own zip beside it for every other module, fetched
on the first import of one (sitebuild/node/stdlib_fallback.py, installed by worker.mjs).
That the traced zip is enough for every named case is checked by the parity tests."""

from __future__ import annotations

import json
import zipfile
from urllib.parse import urlparse

import pytest

from sitebuild.publish_s3 import stored_members

from support.browser import WAIT, new_context, open_ready, wait_for
from support.build import calculator_config

FULL = "python_stdlib_full.zip"


def test_the_site_ships_the_traced_modules_as_bytecode_and_pyodides_zip_beside_them(site_dir):
    cfg = calculator_config(site_dir)
    assert cfg["stdlib"] == cfg["packages"] + "python_stdlib.zip"
    assert not (site_dir / cfg["runtime"] / "python_stdlib.zip").exists()  # not shipped twice
    with zipfile.ZipFile(site_dir / cfg["stdlib"]) as z:
        names = set(z.namelist())
        magic = {z.read(n)[:4] for n in names if n.endswith(".pyc")}
    assert not [n for n in names if n.endswith(".py")]
    for module in ("datetime", "decimal", "calendar", "json/__init__", "importlib/resources/__init__",
                   "encodings/utf_8", "_shegong_stdlib"):
        assert module + ".pyc" in names
    # Modules no start imports stay out; they come from the full zip.
    assert "colorsys.pyc" not in names and "encodings/gbk.pyc" not in names
    wheel = next((site_dir / cfg["packages"]).glob("shegong-*.whl"))
    with zipfile.ZipFile(wheel) as w:
        wheel_magic = {w.read(n)[:4] for n in w.namelist() if n.endswith(".pyc")}
    assert magic == wheel_magic and len(magic) == 1  # one Python: Pyodide's own
    with zipfile.ZipFile(site_dir / cfg["packages"] / FULL) as z:
        assert {"colorsys.py", "email/mime/text.py", "encodings/gbk.py"} <= set(z.namelist())


# Pyodide started the way the calculator's worker starts it, with the site's files, then
# imports outside the traced set: a top-level module, a submodule of a package the site's
# zip holds only in part, and a codec found by name at run time.
WORKER_PAGE = """<!doctype html><meta charset="utf-8"><title>stdlib fallback</title><script>
const cfg = %s;
const code = `try {
const { loadPyodide } = await import(${JSON.stringify(cfg.runtime + "pyodide.mjs")});
const py = await loadPyodide({ indexURL: ${JSON.stringify(cfg.runtime)}, stdLibURL: ${JSON.stringify(cfg.stdlib)},
  lockFileURL: ${JSON.stringify(cfg.lock)} });
py.runPython("import _shegong_stdlib; _shegong_stdlib.install(" + JSON.stringify(${JSON.stringify(cfg.full)}) + ")");
postMessage(py.runPython(\\`
import colorsys, email.mime.text, sys
out = [colorsys.rgb_to_hls(1.0, 0.0, 0.0),
       email.mime.text.MIMEText("hi").get_content_type(),
       "社工".encode("gbk").hex(),
       sys.modules["colorsys"].__file__, sys.modules["encodings.gbk"].__file__]
try:
    import no_such_module_anywhere
except ImportError as e:
    out.append(type(e).__name__)
repr(out)
\\`));
} catch (e) { postMessage("error: " + e.message); }`;
const w = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})), {type: "module"});
w.onmessage = (e) => { window.__result = e.data; };
w.onerror = (e) => { window.__result = "error: worker " + e.message; };
</script>"""


def serve_stored(body: bytes, served: list[str]):
    def handler(route):
        served.append(urlparse(route.request.url).path)
        route.fulfill(body=body, content_type="application/zip")
    return handler


@pytest.mark.parametrize("form", ["as built", "as the mirror stores it"])
def test_a_module_outside_the_shipped_stdlib_is_fetched_and_imported(browser, own_server, site_dir, form):
    cfg = calculator_config(site_dir)
    base = own_server.url
    page_cfg = {"runtime": base + cfg["runtime"], "stdlib": base + cfg["stdlib"],
                "full": base + cfg["packages"] + FULL, "lock": base + cfg["packages"] + "pyodide-lock.json"}
    ctx = new_context(browser, base)
    repacked: list[str] = []
    if form != "as built":
        # Both zips with their members stored (sitebuild/publish_s3.py, brotli mirror); the
        # brotli layer is the browser's to undo, so it is left out here.
        for key in (cfg["stdlib"], cfg["packages"] + FULL):
            ctx.route(base + key, serve_stored(stored_members((site_dir / key).read_bytes()), repacked))
    # The test page is answered by the browser itself, on the site's origin.
    ctx.route(base + "__stdlib_test.html", lambda route: route.fulfill(
        body=WORKER_PAGE % json.dumps(page_cfg), content_type="text/html; charset=utf-8"))
    page = ctx.new_page()
    page.goto(base + "__stdlib_test.html")
    wait_for(page, "window.__result !== undefined", timeout=WAIT)
    got = page.evaluate("window.__result")
    ctx.close()
    assert not got.startswith("error"), got
    hls, ctype, gbk, colorsys_file, gbk_file, missing = eval(got)  # noqa: S307 (our own repr)
    assert (hls, ctype, gbk, missing) == ((0.0, 0.5, 1.0), "text/plain", "c9e7b9a4", "ModuleNotFoundError")
    assert colorsys_file.startswith("/lib/" + FULL) and gbk_file.startswith("/lib/" + FULL)
    fetched = own_server.paths + repacked
    assert sum(p.endswith("/" + FULL) for p in fetched) == 1  # fetched once (no service worker here)
    if repacked:
        assert sorted(repacked) == sorted("/" + k for k in (cfg["stdlib"], cfg["packages"] + FULL))


def test_the_calculator_starts_without_the_fallback_zip(browser, own_server):
    """A cold start and the first answers use the traced zip alone; the finder is
    installed, and it survives a restore from the memory snapshot."""
    ctx = new_context(browser, own_server.url)
    # Not the service worker's requests: its offline copy keeps the fallback zip too.
    fallback = []
    ctx.on("request", lambda r: fallback.append(r.url) if r.url.endswith(FULL) and r.service_worker is None else None)
    page = open_ready(ctx, own_server.url + "calculator/registration/")
    assert page.evaluate("window.shegongCalculator.started().start") == "boot"
    assert page.evaluate("window.shegongCalculator.snapshotStored.then(r => r.stored)") is True
    page.close()
    page = open_ready(ctx, own_server.url + "calculator/registration/")
    assert page.evaluate("window.shegongCalculator.started().start") == "snapshot"
    ctx.close()
    assert fallback == []
