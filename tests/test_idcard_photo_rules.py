"""The idcard and photo rules beyond the named cases: every kind of slip in an ID number,
the number never in an answer, and the photo fields' input checks."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from shegong import evaluate
from shegong.idcard import check_character, mask

TODAY = "2026-01-01"


def idcard(number):
    return evaluate({"tool": "idcard", "id_number": number, "today": TODAY})


def codes(res):
    return [p["code"] for p in res["problems"]]


def test_each_slip_is_named_by_position():
    assert codes(idcard("1101051949123100X2")) == ["characters"]
    assert "第17位是X" in idcard("1101051949123100X2")["problems"][0]["message"]
    many = idcard("11010519A9BCDE002X")["problems"][0]
    assert many["positions"] == [9, 11, 12, 13, 14] and many["message"].count("第") == 3 and "等" in many["message"]
    assert "U+0007" in idcard("1101051949123100\x072")["problems"][0]["message"]
    zero = "11010500000101123"
    assert idcard(zero + check_character(zero))["problems"][0]["positions"] == [7, 8, 9, 10]
    feb30 = "11010519490230123"
    assert idcard(feb30 + check_character(feb30))["problems"][0]["positions"] == [13, 14]
    assert codes(idcard("1101051949123100212")) == ["length"] and "多了1位" in idcard("1101051949123100212")["summary"]


def test_a_number_in_json_is_read_as_its_digits():
    assert idcard(110105194912310021)["problems"][0]["code"] == "check_digit"


def test_input_that_is_no_number_is_refused_without_quoting_it():
    for value, says in [(None, "缺少"), ("", "缺少"), (["1101"], "应为文字"), ("1" * 65, "太长"), (" - －", "只有空格")]:
        res = idcard(value)
        assert not res["ok"] and res["errors"][0]["field"] == "id_number" and says in res["errors"][0]["message"]
    assert "1" * 20 not in json.dumps(idcard("1" * 65), ensure_ascii=False)


def test_mask_keeps_at_most_the_first_and_last_four():
    assert mask("1234") == "****" and mask("123456789") == "1234*6789"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from(["", " ", "-"]))
def test_the_answer_never_holds_the_number(first17, sep):
    number = first17 + check_character(first17)
    res = idcard(first17[:6] + sep + first17[6:] + number[-1])
    text = json.dumps(res, ensure_ascii=False)
    assert number not in text and first17 not in text and number[4:14] not in text
    assert res["masked"] == number[:4] + "*" * 10 + number[-4:]


def test_photo_format_is_read_in_any_case_and_an_unknown_one_is_named():
    assert evaluate({"tool": "photo", "size": "一寸", "format": "jpeg"})["file"]["format"] == "JPEG"
    for bad in ("BMP", 7):
        res = evaluate({"tool": "photo", "size": "一寸", "format": bad})
        assert res["errors"][0]["field"] == "format" and "无法识别" in res["errors"][0]["message"]


def test_heic_says_how_to_export_it():
    res = evaluate({"tool": "photo", "size": "一寸", "format": "HEIC", "width": 295, "height": 413, "file_bytes": 400000})
    assert res["ready"] is True and "导出为 JPEG" in res["checks"][-1]["text"] and "建议" in res["summary"]
    partial = evaluate({"tool": "photo", "size": "一寸", "file_bytes": 1000})
    assert partial["ready"] is True and "符合系统的大小要求" in partial["summary"]


def test_the_guide_an_idcard_answer_names_exists():
    """Guides are named by their docs/ source, as 我的时间表 names them (ui.guideHref)."""
    from shegong.idcard import GUIDE
    from support.rulecases import ROOT

    assert (ROOT / "docs" / GUIDE["path"]).is_file()


def test_the_province_code_is_one_of_gb_t_2260s_34():
    """Characters 1-2: GB/T 2260's province-level codes 11-15, 21-23, 31-37, 41-46, 50-54,
    61-65, 71, 81, 82.  Any other pair is named as a slip, before the check digit."""
    from shegong.idcard import PROVINCE_CODES, check_character

    expected = {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82}
    assert PROVINCE_CODES == {str(c) for c in expected} and len(PROVINCE_CODES) == 34
    for code in range(100):
        first17 = f"{code:02d}0105194912310{0:02d}"
        number = first17 + check_character(first17)
        r = evaluate({"tool": "idcard", "id_number": number, "today": "2026-01-01"})
        codes = [p["code"] for p in r["problems"]]
        assert codes == ([] if code in expected else ["region"]), (code, codes)
