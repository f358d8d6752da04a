"""The calculator's Python memory snapshot (docs/assets/calculator/snapshot.mjs, started by worker.mjs).

A first visit boots Pyodide, imports the rules, makes a snapshot before reading any
request and stores it in Cache Storage; later visits restore from it, online and
offline. ``_makeSnapshot``/``_loadSnapshot`` are experimental options of the pinned
Pyodide, so these tests guard them: a restore must answer exactly like a fresh boot, and
a corrupted snapshot or one made for another build must fall back and be replaced.
"""

from __future__ import annotations

import json
import re

import pytest

from support.rulecases import load_cases
from support.browser import WAIT, new_context, open_ready, wait_for, wait_ready
from support.build import calculator_config
CASES = load_cases()
PAGE = "calculator/registration/"
SNAPSHOT_CACHE = "shegong-snapshot"
# The first training case of tests/cases.json (its rule is cited there).
TRAINING = next(c for c in CASES if c["request"]["tool"] == "training")
assert TRAINING["expect"]["required_hours"] == 72 and TRAINING["expect"]["counted_hours"] == 30


def started(page) -> dict:
    return page.evaluate("window.shegongCalculator.started()")


def wait_stored(page) -> dict:
    report = page.evaluate("window.shegongCalculator.snapshotStored")
    assert report["stored"] is True, report
    return report


def stored_entries(page) -> list[dict]:
    return page.evaluate(
        """async (name) => {
            if (!(await caches.has(name))) return [];
            const c = await caches.open(name);
            const out = [];
            for (const req of await c.keys()) {
                const res = await c.match(req);
                out.push({url: req.url, key: res.headers.get('x-shegong-key'),
                          sha256: res.headers.get('x-shegong-sha256'),
                          check: res.headers.get('x-shegong-check'),
                          bytes: (await res.arrayBuffer()).byteLength});
            }
            return out;
        }""",
        SNAPSHOT_CACHE,
    )


def rewrite_snapshot(page, *, flip_at: int | None = None, headers: dict | None = None) -> None:
    """Changes the stored snapshot in place: one byte flipped, or some headers."""
    page.evaluate(
        """async ([name, flipAt, set]) => {
            const c = await caches.open(name);
            const [req] = await c.keys();
            const res = await c.match(req);
            const bytes = new Uint8Array(await res.arrayBuffer());
            if (flipAt !== null) bytes[flipAt] ^= 0xff;
            const headers = new Headers(res.headers);
            for (const [k, v] of Object.entries(set)) headers.set(k, v);
            await c.put(req, new Response(bytes, {headers}));
        }""",
        [SNAPSHOT_CACHE, flip_at, headers or {}],
    )


def page_key(page) -> str:
    return page.evaluate("window.shegongCalculator.config.snapshot")


def answers(page) -> list:
    return page.evaluate(
        """async (requests) => {
            const out = [];
            for (const r of requests) out.push(await window.shegongCalculator.evaluate(r));
            return out;
        }""",
        [c["request"] for c in CASES],
    )


# Bad input, answered by a booted and by a restored worker alike.
BAD = ['{"tool": "registration", "level": ', {"tool": "lottery"},
       {"tool": "training", "level": "社会工作师", "period_start": "2022-02-30", "records": [{"hours": -3}]}]
ANSWER_ALL = "async (rs) => { const o = []; for (const r of rs) o.push(await window.shegongCalculator.evaluate(r)); return o; }"


@pytest.fixture(scope="module")
def snapshot_run(browser, site_url):
    """One context: a first visit (boot, snapshot stored), then a second (restore)."""
    ctx = new_context(browser, site_url)
    first = open_ready(ctx, site_url + PAGE)
    boot_info = started(first)
    report = wait_stored(first)
    booted = answers(first)
    bad_booted = first.evaluate(ANSWER_ALL, BAD)
    entries = stored_entries(first)
    key = page_key(first)
    first.close()
    second = open_ready(ctx, site_url + PAGE)
    restore_info = started(second)
    restore_report = second.evaluate("window.shegongCalculator.snapshotStored")
    timings = second.evaluate("window.shegongCalculator.timings.worker")
    restored = answers(second)
    bad_restored = second.evaluate(ANSWER_ALL, BAD)
    foreign = ctx.request_log.foreign()
    ctx.close()
    return {
        "boot": boot_info, "report": report, "booted": booted, "entries": entries, "key": key,
        "restore": restore_info, "restore_report": restore_report, "timings": timings, "restored": restored, "foreign": foreign,
        "bad_booted": bad_booted, "bad_restored": bad_restored,
    }


def test_first_visit_boots_and_stores_one_snapshot_keyed_by_the_build(snapshot_run):
    assert snapshot_run["boot"] == {"start": "boot", "snapshot": "none", "made": "made"}
    report = snapshot_run["report"]
    assert report["bytes"] > 10_000_000 and report["make_ms"] >= 0 and report["store_ms"] >= 0
    [entry] = snapshot_run["entries"]
    assert entry["key"] == snapshot_run["key"]
    # Stored without the heap's all-zero pages.
    assert entry["bytes"] == report["stored_bytes"] < report["bytes"] / 2
    assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) and re.fullmatch(r"[0-9a-f]{64}", entry["check"])


def test_the_key_names_the_pyodide_version_and_the_rules_wheel_hash(snapshot_run, site_dir):
    cfg = calculator_config(site_dir)
    lock = json.loads((site_dir / cfg["packages"] / "pyodide-lock.json").read_text(encoding="utf-8"))
    version = cfg["runtime"].rstrip("/").rsplit("/", 1)[1]
    assert snapshot_run["key"] == cfg["snapshot"]
    assert cfg["snapshot"].startswith(f"pyodide-{version}_shegong-{lock['packages']['shegong']['sha256'][:16]}_")


def test_second_visit_restores_and_says_so(snapshot_run):
    assert snapshot_run["restore"] == {"start": "snapshot", "snapshot": "restored"}
    # A restored worker makes no new snapshot, and says so.
    assert snapshot_run["restore_report"] == {"type": "snapshot", "stored": False, "error": "restored from one"}
    # Restored, not booted: the worker never loaded the wheels on the second visit.
    assert "snapshot_verified" in snapshot_run["timings"]
    assert snapshot_run["foreign"] == []


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_named_cases_same_json_after_restore_as_after_boot(snapshot_run, index):
    assert snapshot_run["restored"][index] == snapshot_run["booted"][index]


def test_restored_worker_answers_bad_input_like_a_booted_one(snapshot_run):
    assert snapshot_run["bad_restored"] == snapshot_run["bad_booted"]
    assert all(a["ok"] is False and a["errors"] for a in snapshot_run["bad_booted"])


@pytest.mark.parametrize("damage", ["corrupt", "mismatch"])
def test_bad_snapshot_falls_back_to_a_boot_and_is_replaced(browser, site_url, damage):
    ctx = new_context(browser, site_url)
    page = open_ready(ctx, site_url + PAGE)
    first = wait_stored(page)
    [good] = stored_entries(page)
    if damage == "corrupt":
        rewrite_snapshot(page, flip_at=good["bytes"] // 2)
    else:
        # What a snapshot stored by an earlier release looks like: another wheel hash.
        other = re.sub(r"_shegong-[0-9a-f]{16}_", "_shegong-0123456789abcdef_", good["key"])
        assert other != good["key"]
        rewrite_snapshot(page, headers={"x-shegong-key": other})
    page.close()

    page = open_ready(ctx, site_url + PAGE)
    assert started(page) == {"start": "boot", "snapshot": damage, "made": "made"}
    assert page.evaluate(
        "window.shegongCalculator.evaluate({tool:'registration',level:'社会工作师',passed_on:'2024-09-10',today:'2025-01-01'})"
        ".then(r => r.first_registration.last_day)"
    ) == "2025-09-10"
    again = wait_stored(page)
    [fresh] = stored_entries(page)
    # Replaced by a new one for this build (its zero pages may differ by a page or two).
    assert fresh["key"] == good["key"] and fresh["bytes"] == again["stored_bytes"]
    assert again["bytes"] == first["bytes"]
    page.close()

    page = open_ready(ctx, site_url + PAGE)
    assert started(page) == {"start": "snapshot", "snapshot": "restored"}
    assert ctx.request_log.foreign() == []
    ctx.close()


def test_a_snapshot_that_restores_wrong_stops_snapshots_for_this_build(browser, site_url):
    """Intact bytes (the SHA-256 matches) whose restored rules answer the warm-up request
    differently: not trusted, and since it would fail on every visit, this build stops
    making snapshots in this browser until 清除数据."""
    ctx = new_context(browser, site_url)
    page = open_ready(ctx, site_url + PAGE)
    wait_stored(page)
    rewrite_snapshot(page, headers={"x-shegong-check": "0" * 64})
    page.close()
    page = open_ready(ctx, site_url + PAGE)
    info = started(page)
    assert info["start"] == "boot" and info["made"] == "off"
    assert info["snapshot"].startswith("restore failed: the restored rules do not give the answer")
    assert page.evaluate("window.shegongCalculator.evaluate({tool:'title',from:'社会工作师'}).then(r => r.ok)") is True
    page.close()
    page = open_ready(ctx, site_url + PAGE)
    assert started(page) == {"start": "boot", "snapshot": "disabled", "made": "off"}
    page.get_by_role("button", name="清除数据").click()
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    page.close()
    page = open_ready(ctx, site_url + PAGE)
    assert started(page) == {"start": "boot", "snapshot": "none", "made": "made"}
    ctx.close()


def test_clear_data_removes_the_snapshot(browser, site_url):
    ctx = new_context(browser, site_url)
    page = open_ready(ctx, site_url + PAGE)
    wait_stored(page)
    assert len(stored_entries(page)) == 1
    page.get_by_role("button", name="清除数据").click()
    # The page deletes it right away; the worker drops its copy.
    wait_for(page, "async (name) => !(await caches.has(name)) || (await (await caches.open(name)).keys()).length === 0",
                           arg=SNAPSHOT_CACHE)
    assert stored_entries(page) == []
    page.close()
    # The next visit boots again (and stores a new snapshot, which holds no input).
    page = open_ready(ctx, site_url + PAGE)
    assert started(page)["start"] == "boot" and started(page)["snapshot"] == "none"
    ctx.close()


def test_clear_data_before_the_snapshot_is_stored_keeps_it_from_being_stored(browser, site_url):
    ctx = new_context(browser, site_url)
    page = ctx.new_page()
    page.goto(site_url + PAGE)
    # Clicked while Pyodide is still loading: the worker must not store one afterwards.
    page.get_by_role("button", name="清除数据").click()
    wait_ready(page)
    report = page.evaluate("window.shegongCalculator.snapshotStored")
    assert report == {"type": "snapshot", "stored": False, "error": "清除数据"}
    assert stored_entries(page) == []
    ctx.close()


def test_restore_works_offline(browser, own_server):
    ctx = new_context(browser, own_server.url)
    page = open_ready(ctx, own_server.url + PAGE)
    wait_stored(page)
    wait_for(page, "window.shegongCalculator.offlineReady", timeout=WAIT)
    page.evaluate("window.shegongCalculator.offlineReady")
    page.close()
    own_server.stop()
    ctx.set_offline(True)
    for tool in ["registration", "training"]:
        page = open_ready(ctx, own_server.url + f"calculator/{tool}/")
        assert started(page) == {"start": "snapshot", "snapshot": "restored"}
        got = page.evaluate("r => window.shegongCalculator.evaluate(r)", TRAINING["request"])
        assert (got["ok"], got["required_hours"], got["counted_hours"]) == (True, 72, 30)
        page.close()
    ctx.close()
