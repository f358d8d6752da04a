"""`make publish-s3` against a real S3 server: moto in server mode on 127.0.0.1, started
here, no account. The built site is uploaded, then read back over plain HTTP the way a
browser reads it, header by header and byte by byte.

The expected headers are written out here rather than taken from sitebuild.publish_s3, so
a wrong table there fails here. With an https public address the engine's files (the
runtime, the packages, the worker script) are stored brotli-compressed, the stdlib zips
first re-packed with their members stored, everything else gzipped; without one,
everything gzipped and the zips as built.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import shutil
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlparse

import boto3
import brotli
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from sitebuild import publish_s3
from sitebuild.publish_s3 import ENV, Config, ConfigError, config_from_env, publish
from support.build import ROOT

BROWSER_HEADERS = {
    "Accept-Encoding": "gzip, deflate, br",
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".png": "image/png",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
GZIPPED = {".html", ".js", ".mjs", ".wasm", ".css", ".json", ".map", ".webmanifest", ".svg", ".xml"}
NOT_GZIPPED = {".png", ".whl", ".gz", ".xlsx"}  # already compressed
IMMUTABLE = "public, max-age=31536000, immutable"
# What only the calculator's engine fetches: brotli on an https mirror.
ENGINE_PREFIXES = ("assets/pyodide/", "assets/calculator/worker.mjs")
MIRROR = "https://mirror.example.cn/"
# Uploaded to the mirror re-packed with their members stored (the same members).
STDLIB_ZIPS = ("/python_stdlib.zip", "/python_stdlib_full.zip")
# The repository's own brotli cache (what `make publish-s3` uses): the wasm takes ~30 s once.
CACHE = ROOT / ".cache" / "brotli"


def decoded(body: bytes, encoding: str | None) -> bytes:
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, lambda b: b)(body)


@pytest.fixture(scope="module")
def endpoint():
    # One line per request otherwise, which buries a failure's own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def config(endpoint) -> Config:
    cfg = Config(bucket=f"shegong-{uuid.uuid4().hex[:12]}", endpoint=endpoint, region="us-east-1",
                 access_key_id="test", secret_access_key="test", addressing_style="path")
    s3 = admin(cfg)
    s3.create_bucket(Bucket=cfg.bucket)
    # Anyone may read, as for a bucket set up for static website hosting (CONTRIBUTING.md);
    # the browser-like fetches below are anonymous.
    s3.put_bucket_policy(Bucket=cfg.bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{cfg.bucket}/*"}],
    }))
    return cfg


def admin(cfg: Config):
    """The test's own client, for setting up and inspecting the bucket."""
    return boto3.client("s3", endpoint_url=cfg.endpoint, region_name=cfg.region,
                        aws_access_key_id="test", aws_secret_access_key="test")


class Calls:
    """What the uploader's client really sent: each PutObject's key, in order, and every
    URL it asked for (to check that nothing went anywhere but the endpoint)."""

    def __init__(self, client):
        self.puts: list[str] = []
        self.urls: list[str] = []
        client.meta.events.register("before-parameter-build.s3.PutObject",
                                    lambda params, **_: self.puts.append(params["Key"]))
        client.meta.events.register("before-send.s3", lambda request, **_: self.urls.append(request.url))


def run(site: Path, cfg: Config, cache: Path = CACHE):
    client = publish_s3.make_client(cfg)
    calls = Calls(client)
    report = publish(site, cfg, client=client, log=lambda _msg: None, cache=cache)
    assert {urlparse(u).netloc for u in calls.urls} == {urlparse(cfg.endpoint).netloc}
    return report, calls


def fetch(cfg: Config, key: str):
    url = f"{cfg.endpoint}/{cfg.bucket}/{quote(key)}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER_HEADERS), timeout=30) as r:
        return r.headers, r.read()


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def runtime_dirs(site: Path) -> list[str]:
    return sorted(f"assets/pyodide/{d.name}/" for d in (site / "assets" / "pyodide").iterdir() if d.is_dir())


def test_site_is_served_with_its_headers_and_a_second_run_uploads_nothing(site_dir, config):
    config = replace(config, public_url=MIRROR)
    files = site_files(site_dir)
    assert {Path(f).suffix for f in files} <= set(TYPES), "a file type this test does not know"
    versioned = runtime_dirs(site_dir)
    assert len(versioned) == 2 and any(d.split("/")[2].startswith("packages-") for d in versioned)

    report, calls = run(site_dir, config)
    assert sorted(report.uploaded) == files and report.unchanged == []
    assert sorted(calls.puts) == files
    # Assets, then pages, then the service worker that lists them.
    first_page = min(i for i, k in enumerate(calls.puts) if k.endswith(".html"))
    last_asset = max(i for i, k in enumerate(calls.puts) if not k.endswith(".html") and k != "sw.js")
    assert last_asset < first_page and calls.puts[-1] == "sw.js"

    immutable = brotlied = 0
    for key in files:
        headers, body = fetch(config, key)
        suffix = Path(key).suffix
        assert headers["Content-Type"] == TYPES[suffix], key
        encoding = headers.get("Content-Encoding")
        engine = key.startswith(ENGINE_PREFIXES)
        if suffix in GZIPPED and len((site_dir / key).read_bytes()) > 1000:
            assert encoding == ("br" if engine else "gzip"), key
        elif suffix in NOT_GZIPPED:
            assert encoding in ((None, "br") if engine and suffix == ".whl" else (None,)), key
        assert not (encoding == "br" and not engine), key  # pages and the theme: any browser
        assert int(headers["Content-Length"]) == len(body), key
        original = (site_dir / key).read_bytes()
        if key.endswith(STDLIB_ZIPS):
            continue  # checked below: the same members, stored
        assert decoded(body, encoding) == original, key
        if encoding:
            assert len(body) < len(original), key
        brotlied += encoding == "br"
        expected_cache = IMMUTABLE if any(key.startswith(d) for d in versioned) else "no-cache"
        assert headers["Cache-Control"] == expected_cache, key
        immutable += expected_cache == IMMUTABLE

    wasm = [k for k in files if k.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1 and immutable >= 5 and brotlied >= 5
    headers, body = fetch(config, wasm[0])
    assert headers["Content-Type"] == "application/wasm" and headers["Content-Encoding"] == "br"
    assert headers["Cache-Control"] == IMMUTABLE
    assert brotli.decompress(body)[:4] == b"\0asm"
    # brotli -11 beats the gzip -9 the same file gets without an https address.
    assert len(body) < 0.85 * len(gzip.compress((site_dir / wasm[0]).read_bytes(), 9))
    # The stdlib zips, members deflated one by one, are stored re-packed with the members
    # stored: brotli compresses that form (bench/stdlib_zip.py). Same names, same bytes.
    cfg = json.loads((site_dir / "calculator" / "registration" / "index.html").read_text(encoding="utf-8")
                     .split('id="sg-config">', 1)[1].split("</script>", 1)[0])
    zips = [k for k in files if k.endswith(STDLIB_ZIPS)]
    assert cfg["stdlib"] in zips and len(zips) == 2
    for key in zips:
        headers, body = fetch(config, key)
        built = (site_dir / key).read_bytes()
        assert headers["Content-Encoding"] == "br" and headers["Cache-Control"] == IMMUTABLE, key
        assert len(body) < len(built), key
        with zipfile.ZipFile(io.BytesIO(brotli.decompress(body))) as got, zipfile.ZipFile(io.BytesIO(built)) as want:
            assert [i.filename for i in got.infolist()] == [i.filename for i in want.infolist()], key
            assert all(i.compress_type == zipfile.ZIP_STORED for i in got.infolist()), key
            assert all(got.read(n) == want.read(n) for n in want.namelist()), key
    # The wheels are not re-packed: Pyodide checks each against pyodide-lock.json's sha256.
    lock = json.loads((site_dir / cfg["packages"] / "pyodide-lock.json").read_text(encoding="utf-8"))
    for pkg in lock["packages"].values():
        headers, body = fetch(config, cfg["packages"] + pkg["file_name"])
        assert hashlib.sha256(decoded(body, headers.get("Content-Encoding"))).hexdigest() == pkg["sha256"]
    for page in ("index.html", "sw.js"):
        assert fetch(config, page)[0]["Cache-Control"] == "no-cache"

    again, calls = run(site_dir, config)
    assert calls.puts == [] and again.uploaded == [] and again.bytes_sent == 0
    assert sorted(again.unchanged) == files and again.deleted == again.stale == []


def test_without_an_https_address_the_engine_is_gzipped_and_brotli_is_made_once(site_dir, tmp_path, config,
                                                                                   monkeypatch):
    # The engine's smaller files, under their own paths; the runtime's wasm is the first test's.
    site = tmp_path / "site"
    shutil.copytree(site_dir, site, ignore=lambda d, names: ["pyodide"] if d.endswith("assets") else [])
    packages = next((site_dir / "assets" / "pyodide").glob("packages-*"))
    lock = f"assets/pyodide/{packages.name}/pyodide-lock.json"
    (site / lock).parent.mkdir(parents=True)
    shutil.copy2(packages / "pyodide-lock.json", site / lock)
    worker = "assets/calculator/worker.mjs"
    stdlib = f"assets/pyodide/{packages.name}/python_stdlib.zip"
    shutil.copy2(packages / "python_stdlib.zip", site / stdlib)
    cache = tmp_path / "brotli"

    for url in ("", "http://mirror.example.cn/"):
        run(site, replace(config, public_url=url), cache)
        assert {fetch(config, k)[0]["Content-Encoding"] for k in (worker, lock, "index.html")} == {"gzip"}
        # GitHub Pages' form: the stdlib zip as built, byte for byte.
        headers, body = fetch(config, stdlib)
        assert headers.get("Content-Encoding") is None and body == (site / stdlib).read_bytes()
    assert not cache.exists()
    # Re-packed and brotli'd in the first test; here only the other engine files.
    (site / stdlib).unlink()

    # An https address: only the engine's files change (their encoding), and are sent again.
    report, calls = run(site, replace(config, public_url=MIRROR), cache)
    assert sorted(calls.puts) == sorted([worker, lock])
    for key in (worker, lock):
        headers, body = fetch(config, key)
        assert headers["Content-Encoding"] == "br" and brotli.decompress(body) == (site / key).read_bytes()
    assert fetch(config, "index.html")[0]["Content-Encoding"] == "gzip"
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == 2 and all(p.endswith("-q11.br") for p in kept)

    # Another bucket, the same files: the compressed bytes come from the cache.
    def refuse(*_a, **_k):
        raise AssertionError("compressed again")

    monkeypatch.setattr(brotli, "compress", refuse)
    other = replace(config, bucket=config.bucket + "-2", public_url=MIRROR)
    admin(other).create_bucket(Bucket=other.bucket)
    report, calls = run(site, other, cache)
    assert worker in calls.puts and sorted(p.name for p in cache.iterdir()) == kept


def test_only_what_changed_is_uploaded_and_deletion_is_asked_for(site_dir, tmp_path, config):
    # A built copy without the runtime: quicker, and enough to see what is and is not sent.
    site = tmp_path / "site"
    shutil.copytree(site_dir, site, ignore=lambda d, names: ["pyodide"] if d.endswith("assets") else [])
    run(site, config)

    page = "faq/index.html" if (site / "faq" / "index.html").exists() else "404.html"
    (site / page).write_text((site / page).read_text(encoding="utf-8") + "<!-- 改 -->", encoding="utf-8")
    removed = "manifest.webmanifest"
    (site / removed).unlink()
    report, calls = run(site, config)
    assert calls.puts == report.uploaded == [page]
    assert report.stale == [removed] and report.deleted == []
    assert fetch(config, removed)[1]  # kept: old pages may still ask for it
    assert b"<!-- \xe6\x94\xb9 -->" in gzip.decompress(fetch(config, page)[1])

    # Same bytes, other headers (a changed policy, or someone editing the bucket): re-sent.
    s3 = admin(config)
    s3.copy_object(Bucket=config.bucket, Key="index.html", CopySource={"Bucket": config.bucket, "Key": "index.html"},
                   MetadataDirective="REPLACE", CacheControl="max-age=600", ContentType="text/html",
                   ContentEncoding="gzip", Metadata=s3.head_object(Bucket=config.bucket, Key="index.html")["Metadata"])
    report, calls = run(site, config)
    assert calls.puts == ["index.html"]
    assert fetch(config, "index.html")[0]["Cache-Control"] == "no-cache"

    report, calls = run(site, replace(config, delete=True))
    assert calls.puts == [] and report.deleted == [removed]
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(config, removed)
    assert err.value.code == 404


def test_missing_configuration_names_each_variable(monkeypatch, capsys):
    with pytest.raises(ConfigError) as err:
        config_from_env({})
    for name in ENV.values():
        assert name in str(err.value)
    assert "缺少" in str(err.value)

    full = {name: "x" for name in ENV.values()} | {ENV["endpoint"]: "https://oss-cn-hongkong.aliyuncs.com"}
    assert config_from_env(full).addressing_style == "virtual"
    with pytest.raises(ConfigError) as err:
        config_from_env({k: v for k, v in full.items() if k != ENV["bucket"]})
    assert ENV["bucket"] in str(err.value) and ENV["region"] not in str(err.value)
    with pytest.raises(ConfigError, match=ENV["endpoint"]):
        config_from_env(full | {ENV["endpoint"]: "oss-cn-hongkong.aliyuncs.com"})
    with pytest.raises(ConfigError, match="SHEGONG_S3_ADDRESSING_STYLE"):
        config_from_env(full | {"SHEGONG_S3_ADDRESSING_STYLE": "dns"})
    assert not config_from_env(full).brotli
    assert config_from_env(full | {"SHEGONG_S3_PUBLIC_URL": MIRROR}).brotli
    assert not config_from_env(full | {"SHEGONG_S3_PUBLIC_URL": "http://mirror.example.cn/"}).brotli
    with pytest.raises(ConfigError, match="SHEGONG_S3_PUBLIC_URL"):
        config_from_env(full | {"SHEGONG_S3_PUBLIC_URL": "mirror.example.cn"})
    assert config_from_env(full | {"SHEGONG_S3_DELETE": "1"}).delete

    # The command line says the same and fails without a traceback.
    for name in ENV.values():
        monkeypatch.delenv(name, raising=False)
    assert publish_s3.main(["--check-config"]) == 2
    assert ENV["access_key_id"] in capsys.readouterr().err


def test_command_line(tmp_path, config, monkeypatch, capsys):
    (tmp_path / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    env = {ENV["bucket"]: config.bucket, ENV["endpoint"]: config.endpoint, ENV["region"]: config.region,
           ENV["access_key_id"]: "test", ENV["secret_access_key"]: "test",
           "SHEGONG_S3_ADDRESSING_STYLE": "path"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert publish_s3.main([str(tmp_path)]) == 0
    assert "上传 1 个文件" in capsys.readouterr().out
    assert publish_s3.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "上传 0 个文件" in out and "1 个未变" in out

    monkeypatch.setenv(ENV["bucket"], "no-such-bucket")
    assert publish_s3.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "NoSuchBucket" in err and ENV["bucket"] in err


def test_an_unbuilt_directory_is_refused(tmp_path, config):
    with pytest.raises(ConfigError, match="make site"):
        publish(tmp_path, config, log=lambda _msg: None)


def test_workflow_publishes_the_tested_site_only_when_configured():
    import yaml

    from support.build import ROOT

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    job = wf["jobs"]["publish-s3"]
    assert job["needs"] == "test" and "refs/heads/main" in job["if"]
    for name in [*ENV.values(), publish_s3.PUBLIC_URL_ENV]:
        assert job["env"][name] == f"${{{{ secrets.{name} }}}}"
    steps = job["steps"]
    # Every step that does something waits for the key; only the notice runs without it.
    assert steps[0]["if"] == "env.SHEGONG_S3_ACCESS_KEY_ID == ''"
    assert all(s["if"] == "env.SHEGONG_S3_ACCESS_KEY_ID != ''" for s in steps[1:])
    # The artifact the test job uploaded, not a second build.
    assert any(s.get("uses", "").startswith("actions/download-artifact@") and s["with"]["name"] == "github-pages"
               for s in steps)
    runs = " ".join(s.get("run", "") for s in steps)
    assert "mkdocs" not in runs and "make site" not in runs
    assert "python -m sitebuild.publish_s3 site" in runs
