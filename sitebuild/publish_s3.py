"""Upload a built site to an S3-compatible bucket (Alibaba Cloud OSS, Tencent COS, Huawei
OBS, AWS S3, ...), with the response headers GitHub Pages cannot set.

Run by ``make publish-s3`` and by the workflow's ``publish-s3`` job::

    python -m sitebuild.publish_s3 site/

Configuration comes from the environment (see ``ENV`` below and CONTRIBUTING.md).

* Only what changed is uploaded. Each object carries the SHA-256 of the site file it was
  made from (``x-amz-meta-sha256``); a file is skipped when the bucket already holds that
  hash *and* the headers this module would set now. The hash is of the file, not of the
  uploaded bytes, so a different zlib on another machine does not re-upload everything; and
  the headers are compared so that a changed header policy re-uploads what it changes.
  (ETags are not used: they are the MD5 of the bytes only for a single-part, unencrypted
  upload, which not every store or bucket setting guarantees.)
* Compressible files are stored gzipped with ``Content-Encoding: gzip``: an object store
  does not compress on the fly, and every browser sends ``Accept-Encoding: gzip``.
* The calculator's engine (``ENGINE``: the Pyodide runtime, the packages, the worker script)
  is stored brotli-compressed (``Content-Encoding: br``, 0.78 of gzip for the wasm) when the
  address readers use (``SHEGONG_S3_PUBLIC_URL``) is https. The store does not negotiate,
  so every reader gets what was uploaded: browsers accept ``br`` only over HTTPS, and a
  browser too old for brotli cannot run the engine anyway (every browser with WebAssembly
  and module workers decodes it); pages, the theme and ``boot.js`` stay gzip, which any
  browser reads, so a guide still opens there. Brotli -11 of the wasm takes about 30 s: the
  compressed bytes are kept under ``.cache/brotli/`` by content hash, and a file the bucket
  already holds is not compressed at all.
* With brotli, the stdlib zips (``STORED_MEMBERS``) are uploaded re-packed with their members
  stored, then brotli-compressed: the same members (names, bytes, order) in a zip brotli can
  compress (974 KB on the wire instead of 1,430 KB for the site's own zip; README, 性能).
  The site keeps the deflated zip, which is the smaller one on GitHub Pages (a gzip host
  that sends zips as they are). Nothing checks a stdlib zip's bytes (no hash in
  pyodide-lock.json; the service worker and the snapshot key name the URL and the built
  directory's hash), only the download progress counted its size: worker.mjs allows for a
  file larger than the page says. The wheels are not re-packed: Pyodide checks each
  against the sha256 in pyodide-lock.json (Subresource Integrity on the decoded body).
* Objects no longer in the site are kept unless deletion is asked for
  (``SHEGONG_S3_DELETE=1`` or ``--delete``): a reader whose service worker still serves the
  previous build's pages can then still fetch that build's runtime until the worker updates.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import mimetypes
import os
import re
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV = {
    "bucket": "SHEGONG_S3_BUCKET",
    "endpoint": "SHEGONG_S3_ENDPOINT",
    "region": "SHEGONG_S3_REGION",
    "access_key_id": "SHEGONG_S3_ACCESS_KEY_ID",
    "secret_access_key": "SHEGONG_S3_SECRET_ACCESS_KEY",
}
# Optional: "virtual" (bucket.endpoint/key, the default: OSS accepts only this) or "path"
# (endpoint/bucket/key: local test servers and some private deployments).
ADDRESSING_ENV = "SHEGONG_S3_ADDRESSING_STYLE"
DELETE_ENV = "SHEGONG_S3_DELETE"
# Optional: the address readers open (https://mirror.example.cn/). https: the engine as brotli.
PUBLIC_URL_ENV = "SHEGONG_S3_PUBLIC_URL"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    # Module and worker scripts are always read as UTF-8, classic scripts as the page's
    # UTF-8: no charset needed on JavaScript, CSS or JSON.
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    # The team page's templates (UTF-8 with a BOM, which Excel needs to read it as UTF-8).
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".webp": "image/webp",
    ".zip": "application/zip",
    ".whl": "application/zip",
    # sitemap.xml.gz is a file in its own right (search engines fetch it as is), not a
    # precompressed copy to serve in place of sitemap.xml.
    ".gz": "application/gzip",
}
COMPRESSIBLE = re.compile(
    r"^(text/|application/(javascript|json|manifest\+json|xml|wasm)|image/svg\+xml)"
)
# Archives are gzipped only when that pays: the wheels and a per-member deflated stdlib zip
# gain nothing, a stdlib zip stored without per-member compression gains much.
MAYBE_COMPRESSIBLE = {"application/zip"}
MIN_SAVING = 0.10
# What only the calculator's engine fetches, after boot.js has checked for WebAssembly and
# module workers: the runtime and packages, and the worker's own script.
ENGINE = re.compile(r"^(assets/pyodide/|assets/calculator/worker\.mjs$)")
BROTLI_QUALITY = 11
# Zips of the engine whose members are deflated one by one, which brotli cannot compress;
# stored as the same members stored when brotli is used (see the module's docstring). The
# site's own stdlib zip and Pyodide's beside it, or Pyodide's in the runtime's directory
# when a build without Node ships that one instead.
STORED_MEMBERS = re.compile(r"^assets/pyodide/[^/]+/python_stdlib(_full)?\.zip$")
# Text, scripts and wasm of this size or more never grow when compressed; below it a short
# script can (gzip's header alone is 18 bytes), so it is compressed once to check.
SMALL = 1024
BROTLI_CACHE = Path(".cache") / "brotli"

# The runtime's directories are named by the Pyodide version and by a hash of the wheels
# (sitebuild/offline.py: runtime_path, packages_path), so a URL there never changes content.
VERSIONED = re.compile(r"^assets/pyodide/(\d+(\.\d+)+[^/]*|packages-[0-9a-f]+)/")
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else is revalidated on every use (an ETag round trip, a 304 with no body when
# nothing changed). Not a short max-age: a new service worker re-fetches the site's files
# through the HTTP cache to fill its cache, and a max-age would let it store the previous
# build's files under the new build's version; and HTML and sw.js must be seen at once
# for a reader to get an update at all.
REVALIDATE = "no-cache"

WORKERS = 8
_MIME = mimetypes.MimeTypes()


class ConfigError(Exception):
    """Missing or invalid configuration; the message is for the maintainer, in Chinese."""


@dataclass(frozen=True)
class Config:
    bucket: str
    endpoint: str
    region: str
    access_key_id: str
    secret_access_key: str
    addressing_style: str = "virtual"
    delete: bool = False
    public_url: str = ""

    @property
    def brotli(self) -> bool:
        """Readers come over HTTPS, where every browser that runs the engine accepts br."""
        return self.public_url.startswith("https://")


def config_from_env(environ: dict[str, str] | os._Environ = os.environ) -> Config:
    values = {k: environ.get(name, "").strip() for k, name in ENV.items()}
    missing = [ENV[k] for k, v in values.items() if not v]
    if missing:
        raise ConfigError(
            "缺少对象存储的配置,请设置环境变量:" + "、".join(missing)
            + "(说明见 CONTRIBUTING.md 的“发布到对象存储”)"
        )
    if not re.match(r"^https?://", values["endpoint"]):
        raise ConfigError(
            f"{ENV['endpoint']} 应是以 https:// 开头的完整地址,例如 https://oss-cn-hongkong.aliyuncs.com,"
            f"现在是:{values['endpoint']}"
        )
    style = environ.get(ADDRESSING_ENV, "").strip() or "virtual"
    if style not in ("virtual", "path"):
        raise ConfigError(f"{ADDRESSING_ENV} 只能是 virtual 或 path,现在是:{style}")
    delete = environ.get(DELETE_ENV, "").strip()
    if delete not in ("", "0", "1"):
        raise ConfigError(f"{DELETE_ENV} 只能是 1(删除网站里已没有的对象)或 0,现在是:{delete}")
    public_url = environ.get(PUBLIC_URL_ENV, "").strip()
    if public_url and not re.match(r"^https?://", public_url):
        raise ConfigError(f"{PUBLIC_URL_ENV} 应是读者打开网站用的完整地址,例如 https://mirror.example.cn/,现在是:{public_url}")
    return Config(**values, addressing_style=style, delete=delete == "1", public_url=public_url)


def content_type(key: str) -> str:
    suffix = Path(key).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    # Python's own table, not the machine's /etc/mime.types: the same type on every machine,
    # or a CI runner and a laptop would keep re-uploading each other's files.
    return _MIME.guess_type(key)[0] or "application/octet-stream"


def cache_control(key: str) -> str:
    return IMMUTABLE if VERSIONED.match(key) else REVALIDATE


@dataclass(frozen=True)
class Upload:
    """One site file as it will be stored; its body is compressed only when it is sent."""

    key: str
    source: Path
    sha256: str
    content_type: str
    content_encoding: str | None
    cache_control: str
    cache: Path = BROTLI_CACHE
    repack: bool = False  # uploaded as ``stored_members(file)``


    def headers(self) -> tuple[str, str | None, str]:
        return (self.content_type, self.content_encoding, self.cache_control)

    def body(self) -> bytes:
        data = self.source.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ConfigError(f"{self.key} 在上传过程中被改动了(网站是否正在重新构建?),请重新运行")
        if self.repack:
            data = stored_members(data)
            return encode(data, self.content_encoding, hashlib.sha256(data).hexdigest(), self.cache)
        return encode(data, self.content_encoding, self.sha256, self.cache)


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same file gives the same bytes on every run.
    return gzip.compress(data, compresslevel=9, mtime=0)


def _brotli(data: bytes, sha256: str, cache: Path) -> bytes:
    """Brotli -11, kept by the file's hash: the wasm alone takes about 30 s."""
    kept = cache / f"{sha256}-q{BROTLI_QUALITY}.br"
    if kept.is_file():
        return kept.read_bytes()
    import brotli  # the publish extra

    packed = brotli.compress(data, quality=BROTLI_QUALITY)
    cache.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    partial.write_bytes(packed)
    partial.replace(kept)  # whole or absent, for parallel runs too
    return packed


def encode(data: bytes, encoding: str | None, sha256: str, cache: Path = BROTLI_CACHE) -> bytes:
    if encoding == "br":
        return _brotli(data, sha256, cache)
    return _gzip(data) if encoding == "gzip" else data


def stored_members(data: bytes) -> bytes:
    """The zip ``data`` with the same members (names, dates, bytes, order), stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info), zipfile.ZIP_STORED)
    return out.getvalue()


def repacked(rel: str, brotli: bool) -> bool:
    """Whether the site file ``rel`` is uploaded as ``stored_members`` of it, brotli'd. Not
    measured per upload: a stdlib zip's stored form under brotli -11 is a third smaller
    than its deflated form as is (README, 性能), and deciding without compressing keeps an
    unchanged zip from being compressed at all."""
    return brotli and bool(STORED_MEMBERS.match(rel))


def stored_body(data: bytes, rel: str, brotli: bool, cache: Path = BROTLI_CACHE) -> tuple[bytes, str | None]:
    """(bytes, Content-Encoding) of the object the site file ``rel`` is stored as (what
    bench/host.py's mirror model sends)."""
    sha = hashlib.sha256(data).hexdigest()
    if repacked(rel, brotli):
        packed = stored_members(data)
        return encode(packed, "br", hashlib.sha256(packed).hexdigest(), cache), "br"
    encoding = encoding_of(data, sha, rel, brotli, cache)
    return encode(data, encoding, sha, cache), encoding


def prepare(site: Path, rel: str, brotli: bool = False, cache: Path = BROTLI_CACHE) -> Upload:
    """The site file ``rel`` as it is stored; ``brotli``: the engine as br."""
    path = site / rel
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if repacked(rel, brotli):
        return Upload(rel, path, sha, content_type(rel), "br", cache_control(rel), cache, repack=True)
    return Upload(rel, path, sha, content_type(rel), encoding_of(data, sha, rel, brotli, cache),
                  cache_control(rel), cache)


def encoding_of(data: bytes, sha256: str, rel: str, brotli: bool, cache: Path = BROTLI_CACHE) -> str | None:
    """The Content-Encoding ``data``, the body for key ``rel``, is stored with."""
    ctype = content_type(rel)
    if not (COMPRESSIBLE.match(ctype) or ctype in MAYBE_COMPRESSIBLE):
        return None
    encoding = "br" if brotli and ENGINE.match(rel) else "gzip"
    # An archive is compressed only when that pays; a text file only when it does not
    # grow. Either way a large text file is not compressed until it is sent.
    saving = 0 if COMPRESSIBLE.match(ctype) else MIN_SAVING
    if (saving or len(data) < SMALL) and len(encode(data, encoding, sha256, cache)) >= len(data) * (1 - saving):
        return None
    return encoding


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def upload_order(key: str) -> int:
    """Assets first, then pages, then the service worker: a reader never gets a page that
    points at a file not yet there, and the new worker (which lists every file) comes last.
    A cancelled run therefore leaves the previous build whole."""
    if key == "sw.js":
        return 2
    return 1 if key.endswith(".html") else 0


@dataclass
class Report:
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # in the bucket, not in the site, kept
    bytes_sent: int = 0

    def summary(self) -> str:
        kept = f",保留 {len(self.stale)} 个网站里已没有的对象" if self.stale else ""
        return (
            f"上传 {len(self.uploaded)} 个文件({self.bytes_sent / 1e6:.2f} MB),"
            f"{len(self.unchanged)} 个未变,删除 {len(self.deleted)} 个{kept}"
        )


def make_client(config: Config):
    import boto3
    from botocore.config import Config as BotoConfig

    session = boto3.session.Session(
        aws_access_key_id=config.access_key_id,
        aws_secret_access_key=config.secret_access_key,
        region_name=config.region,
    )
    return session.client(
        "s3",
        endpoint_url=config.endpoint,
        config=BotoConfig(
            s3={"addressing_style": config.addressing_style},
            signature_version="s3v4",
            # botocore's default since 1.36 adds CRC32 trailers (aws-chunked bodies) that
            # several S3-compatible stores reject; Content-MD5 (set below) is understood by all.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": 5},
            max_pool_connections=WORKERS,
        ),
    )


def _existing(client, bucket: str) -> set[str]:
    keys: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys.update(o["Key"] for o in page.get("Contents", ()))
    return keys


def _is_current(client, bucket: str, up: Upload) -> bool:
    head = client.head_object(Bucket=bucket, Key=up.key)
    meta = {k.lower(): v for k, v in head.get("Metadata", {}).items()}
    stored = (head.get("ContentType"), head.get("ContentEncoding") or None, head.get("CacheControl"))
    return meta.get("sha256") == up.sha256 and stored == up.headers()


def _put(client, bucket: str, up: Upload) -> int:
    """Stores ``up``; the bytes sent."""
    body = up.body()
    extra = {"ContentEncoding": up.content_encoding} if up.content_encoding else {}
    client.put_object(
        Bucket=bucket,
        Key=up.key,
        Body=body,
        ContentType=up.content_type,
        CacheControl=up.cache_control,
        ContentMD5=base64.b64encode(hashlib.md5(body).digest()).decode(),
        Metadata={"sha256": up.sha256},
        **extra,
    )
    return len(body)


def publish(site: Path, config: Config, client=None, log=print, cache: Path = BROTLI_CACHE) -> Report:
    site = Path(site)
    if not (site / "index.html").is_file():
        raise ConfigError(f"{site} 里没有构建好的网站(缺 index.html):先运行 make site")
    client = client or make_client(config)
    report = Report()
    keys = site_files(site)
    existing = _existing(client, config.bucket)

    with ThreadPoolExecutor(WORKERS) as pool:
        uploads = list(pool.map(lambda k: prepare(site, k, config.brotli, cache), keys))
        present = [u for u in uploads if u.key in existing]
        current = dict(zip((u.key for u in present),
                           pool.map(lambda u: _is_current(client, config.bucket, u), present)))
        todo = [u for u in uploads if not current.get(u.key)]
        report.unchanged = [u.key for u in uploads if current.get(u.key)]
        for phase in (0, 1, 2):
            batch = [u for u in todo if upload_order(u.key) == phase]
            report.bytes_sent += sum(pool.map(lambda u: _put(client, config.bucket, u), batch))
            report.uploaded += [u.key for u in batch]

    gone = sorted(existing - set(keys))
    if config.delete:
        # After every upload, so nothing the new pages use is ever missing.
        for i in range(0, len(gone), 1000):
            client.delete_objects(
                Bucket=config.bucket,
                Delete={"Objects": [{"Key": k} for k in gone[i:i + 1000]], "Quiet": True},
            )
        report.deleted = gone
    else:
        report.stale = gone
    log(report.summary() + (",计算引擎以 brotli 存放" if config.brotli else
                             f"。{PUBLIC_URL_ENV} 未设置或不是 https 地址,全部以 gzip 存放"))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把构建好的网站上传到兼容 S3 的对象存储")
    parser.add_argument("site", nargs="?", default="site", help="构建好的网站目录(默认 site)")
    parser.add_argument("--delete", action="store_true", help=f"删除网站里已没有的对象(同 {DELETE_ENV}=1)")
    parser.add_argument("--check-config", action="store_true", help="只检查环境变量,不上传")
    args = parser.parse_args(argv)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        config = config_from_env()
        if args.delete:
            config = replace(config, delete=True)
        if args.check_config:
            return 0
        publish(Path(args.site), config)
    except ConfigError as exc:
        print(f"publish-s3: {exc}", file=sys.stderr)
        return 2
    except ClientError as exc:
        err = exc.response.get("Error", {})
        print(
            f"publish-s3: 对象存储拒绝了请求({err.get('Code')}: {err.get('Message')})。"
            f"请检查 {ENV['bucket']}、{ENV['region']} 和访问密钥的权限。",
            file=sys.stderr,
        )
        return 1
    except BotoCoreError as exc:
        print(f"publish-s3: 无法完成上传:{exc}。请检查 {ENV['endpoint']}。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
