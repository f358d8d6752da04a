"""The two tools whose input is private, driven through their pages at phone width:
the ID-number check and the photo check and fix.

The ID number and the photo must never be stored or sent: every request is recorded
(URL and body), and after a check localStorage, the URL and every Cache Storage entry
(the site's offline copy and the Python memory snapshot, bytes included) are searched
for the number.  The test photos are made here, by the browser's canvas; the rotated one
gets an EXIF orientation tag spliced in as an APP1 segment.
"""

from __future__ import annotations

import struct

import pytest

from shegong.idcard import check_character
from support.browser import WAIT, axe_violations, new_context, open_tool, press_until, settled, stored, wait_for
from support.photo import make_image, pick

# A number made up for the test (not the page's example), with its right check character.
NUMBER = "11010819800101123" + check_character("11010819800101123")


@pytest.fixture(scope="module")
def ctx(browser, site_url):
    c = new_context(browser, site_url, accept_downloads=True)  # 390 px wide, as a phone
    c.bodies = []
    c.on("request", lambda r: c.bodies.append(r.post_data or ""))
    yield c
    assert c.request_log.foreign() == []
    c.close()


@pytest.fixture(scope="module")
def tab(ctx):
    p = ctx.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    assert p.errors == []
    p.close()


def answer(page):
    return page.inner_text("#sg-answer")


def fill_and_settle(page, selector, text, expect):
    page.fill(selector, text)
    wait_for(page, "t => document.querySelector('#sg-answer').textContent.includes(t)", arg=expect, timeout=WAIT)
    settled(page, "ok")


# --- 身份证号检查 ------------------------------------------------------------------------


def test_idcard_answers_each_case_masked(tab, site_url):
    page = tab
    open_tool(page, site_url, "idcard")
    settled(page, "empty")  # nothing in the field until the reader types (issue 22)
    assert page.input_value("#sg-id_number") == ""
    field = page.locator("#sg-id_number")
    assert field.get_attribute("autocomplete") == "off" and field.get_attribute("spellcheck") == "false"

    fill_and_settle(page, "#sg-id_number", NUMBER, "号码格式正确")
    masked = NUMBER[:4] + "*" * 10 + NUMBER[-4:]
    assert masked in answer(page)
    result = page.inner_text("#sg-result")
    assert "[反馈]" in result and NUMBER not in result and NUMBER not in answer(page)
    assert page.locator("#sg-result a[href$='registration/account/']").count() == 1

    wrong = NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")
    fill_and_settle(page, "#sg-id_number", wrong, "号码有误")
    # The answer says what is wrong, once: the result under it does not say it again.
    assert "第18位" in answer(page) and "第18位" not in page.inner_text("#sg-result")

    full = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in NUMBER).replace("X", "ｘ")
    fill_and_settle(page, "#sg-id_number", full, "全角数字改成了半角数字")
    fill_and_settle(page, "#sg-id_number", NUMBER[:15], "号码有误")
    assert "15位" in answer(page) + page.inner_text("#sg-result")
    fill_and_settle(page, "#sg-id_number", NUMBER, "号码格式正确")
    assert axe_violations(page) == []


def test_idcard_number_is_never_kept_or_sent(tab, ctx):
    """After the checks above: nothing of the number in storage, the URL, any cache or any request."""
    page = tab
    assert NUMBER in page.input_value("#sg-id_number")
    assert stored(page, "idcard") is None
    local = page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert NUMBER not in local and NUMBER[:15] not in local
    assert NUMBER not in page.url
    # Every cache (the site's offline copy, the snapshot): keys, and the bodies' bytes.
    wait_for(page, "window.shegongCalculator.offlineReady.then(r => r.ok)", timeout=WAIT)
    found = page.evaluate(
        """async (n) => {
            const out = {keys: 0, hits: []};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const req of await cache.keys()) {
                    out.keys++;
                    if (req.url.includes(n)) out.hits.push(req.url);
                    if (name !== 'shegong-snapshot' && !/\\.html$|\\/$/.test(new URL(req.url).pathname)) continue;
                    const bytes = new Uint8Array(await (await cache.match(req)).arrayBuffer());
                    let text = '';
                    for (let i = 0; i < bytes.length; i += 65536) text += String.fromCharCode(...bytes.subarray(i, i + 65536));
                    if (text.includes(n) || text.includes(n.slice(0, 17))) out.hits.push(name + ' ' + req.url);
                }
            }
            return out;
        }""",
        NUMBER,
    )
    assert found["keys"] > 0 and found["hits"] == []
    assert not [u for u in ctx.request_log.urls if NUMBER[:15] in u]
    assert not [b for b in ctx.bodies if NUMBER[:15] in b]

    # A reload shows an empty field, not the number; 清除数据 has nothing of it to clear.
    page.reload()
    settled(page, "empty")
    assert page.input_value("#sg-id_number") == ""
    page.click("#sg-clear")
    wait_for(page, "document.querySelector('#sg-cleared').textContent !== ''")
    assert page.input_value("#sg-id_number") == ""
    assert stored(page, "idcard") is None


def test_without_scripts_enter_does_not_put_the_number_in_a_url(browser, site_url):
    """With scripts off (or failed), Enter in the form would submit it as a GET: the
    page's policy (form-action 'none') refuses, so the number never reaches a URL."""
    ctx = browser.new_context(locale="zh-CN", java_script_enabled=False, bypass_csp=False)
    urls = []
    ctx.on("request", lambda r: urls.append(r.url))
    page = ctx.new_page()
    page.goto(site_url + "calculator/idcard/")
    page.fill("#sg-id_number", NUMBER)
    page.focus("#sg-id_number")
    with page.expect_console_message(lambda m: "form-action" in m.text, timeout=WAIT):
        page.keyboard.press("Enter")
    assert page.url == site_url + "calculator/idcard/"
    assert not [u for u in urls if NUMBER[:15] in u]
    ctx.close()


def test_idcard_by_keyboard(tab):
    page = tab
    page.evaluate("document.activeElement.blur()")
    press_until(page, "#sg-id_number", limit=60)
    page.keyboard.type("11010519491231002x")
    page.keyboard.press("Enter")
    wait_for(page, "document.querySelector('#sg-answer').textContent.includes('小写的x')", timeout=WAIT)


# --- 证件照检查 --------------------------------------------------------------------------

def with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """``jpeg`` with an EXIF APP1 segment (one IFD entry: Orientation) right after SOI."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    body = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's SOF segment."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise AssertionError("no SOF segment")


@pytest.fixture(scope="module")
def photo(ctx, site_url):
    p = ctx.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    open_tool(p, site_url, "photo")
    settled(p, "ok")
    yield p
    assert p.errors == []
    p.close()


def fields(page):
    return [page.input_value(f"#sg-{n}") for n in ("file_bytes", "width", "height", "format")]


def downloaded(page) -> tuple[str, bytes]:
    with page.expect_download() as dl:
        page.click("#sg-photo-download")
    return dl.value.suggested_filename, open(dl.value.path(), "rb").read()


def test_a_large_photo_is_cropped_and_compressed(photo, ctx):
    page = photo
    before = len(ctx.request_log.urls)
    big = make_image(page, 2400, 3200, noise=True)
    assert len(big) > 1_000_000
    pick(page, "IMG_0001.jpg", "image/jpeg", big)
    assert fields(page) == [str(len(big)), "2400", "3200", "JPEG"]
    assert "需处理" in page.inner_text("#sg-result")
    name, data = downloaded(page)
    assert name == "证件照-一寸.jpg"
    target = page.evaluate("window.shegongCalculator.evaluate({tool: 'photo', size: '一寸'})")
    assert data[:2] == b"\xff\xd8" and len(data) <= target["fit_bytes"]
    assert jpeg_size(data) == (target["target"]["width_px"], target["target"]["height_px"])
    assert f"{len(data):,}" in page.inner_text("#sg-photo-out-info")
    assert "2400×3200" in page.inner_text("#sg-photo-original-info")
    # No request while the photo was read, cropped, encoded and saved.
    assert [u for u in ctx.request_log.urls[before:] if not u.startswith("blob:")] == []
    # Its details are not kept; the chosen size is.
    assert stored(page, "photo") == '{"size":"一寸"}'
    # Nor the photo: no cache holds a blob or data URL, and no cached body (the engine's
    # memory snapshot included) holds a piece of the original or of the fixed photo.
    wait_for(page, "window.shegongCalculator.offlineReady.then(r => r.ok)", timeout=WAIT)
    found = page.evaluate(
        """async ([a, b]) => {
            const has = (bytes, piece) => {
                outer: for (let i = bytes.indexOf(piece[0]); i !== -1; i = bytes.indexOf(piece[0], i + 1)) {
                    for (let j = 1; j < piece.length; j++) if (bytes[i + j] !== piece[j]) continue outer;
                    return true;
                }
                return false;
            };
            const out = {keys: 0, hits: []};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const req of await cache.keys()) {
                    out.keys++;
                    if (/^(blob|data):/.test(req.url)) out.hits.push(req.url);
                    const bytes = new Uint8Array(await (await cache.match(req)).arrayBuffer());
                    if (has(bytes, a) || has(bytes, b)) out.hits.push(name + ' ' + req.url);
                }
            }
            return out;
        }""",
        [list(big[4096:4128]), list(data[-64:-32])],
    )
    assert found["keys"] > 0 and found["hits"] == []


def test_the_frame_moves_by_keyboard_and_by_dragging(photo):
    page = photo
    frame = lambda: [int(v) for v in page.get_attribute("#sg-crop", "data-frame").split(",")]  # noqa: E731
    x, y, w, h = frame()
    assert w < 2400 or h < 3200
    page.focus("#sg-crop")
    page.keyboard.press("+")
    x, y, w2, _h = frame()
    assert w2 < w
    page.keyboard.press("ArrowDown")
    assert frame()[1] > y
    box = page.locator("#sg-crop").bounding_box()
    before = frame()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 40, box["y"] + box["height"] / 2 - 40, steps=4)
    page.mouse.up()
    after = frame()
    assert after[0] < before[0] and after[1] < before[1]
    # The buttons do the same for a reader who cannot drag or use arrow keys.
    page.click("#sg-photo-fix button[data-key='ArrowRight']")
    assert frame()[0] > after[0]
    # Two-inch: the frame takes the new shape, the file its name.
    page.select_option("#sg-size", "两寸")
    wait_for(page, "document.querySelector('#sg-photo-download').textContent.includes('两寸')", timeout=WAIT)
    assert axe_violations(page) == []


def test_a_small_photo_is_enlarged_with_a_warning(photo):
    page = photo
    page.select_option("#sg-size", "一寸")
    pick(page, "small.jpg", "image/jpeg", make_image(page, 200, 280))
    assert "像素" in page.inner_text("#sg-result") and "需处理" in page.inner_text("#sg-result")
    wait_for(page, "document.querySelector('#sg-photo-status').textContent.includes('不够清晰')", timeout=WAIT)


def test_a_rotated_photo_is_turned_by_its_exif_orientation(photo):
    page = photo
    # Stored 400×300, left red and right blue; orientation 6 shows it turned clockwise:
    # 300×400, red on top.
    pick(page, "rotated.jpg", "image/jpeg", with_orientation(make_image(page, 400, 300), 6))
    assert fields(page)[1:3] == ["300", "400"]
    top, bottom = page.evaluate("""() => {
        const c = document.querySelector('#sg-photo-out'), g = c.getContext('2d');
        return [g.getImageData(c.width / 2, 5, 1, 1).data, g.getImageData(c.width / 2, c.height - 5, 1, 1).data]
            .map(d => [...d].slice(0, 3));
    }""")
    assert top[0] > 150 and top[2] < 100, top  # red
    assert bottom[2] > 150 and bottom[0] < 100, bottom  # blue


def test_a_png_becomes_a_jpeg(photo):
    page = photo
    pick(page, "photo.png", "image/png", make_image(page, 600, 840, "image/png"))
    assert fields(page)[3] == "PNG"
    assert "PNG格式" in page.inner_text("#sg-result")
    name, data = downloaded(page)
    assert name == "证件照-一寸.jpg" and data[:2] == b"\xff\xd8"


def test_a_file_that_is_not_an_image_gets_a_clear_error(photo):
    page = photo
    pick(page, "简历.jpg", "image/jpeg", "这不是图片,是一份文字。".encode() * 20, state="errors")
    assert fields(page)[3] == "其他文件"
    assert "不是图片" in page.inner_text("#sg-photo-file-error")
    assert "不是图片" in page.inner_text("[data-error-for='format']")
    assert page.locator("#sg-photo-fix").is_hidden()
    assert axe_violations(page) == []
    page.click("#sg-clear")
    settled(page, "ok")
    assert page.input_value("#sg-photo-file") == "" and fields(page) == ["", "", "", ""]
