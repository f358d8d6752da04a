"""The ID-number check: is the number well formed before the worker blames the system?

The source article (全国社会工作信息系统, 社工注册) says that when everything is typed
correctly and the system still says "请输入正确的身份证号", the worker is not yet in the
system's 社工库 and must use [反馈] and wait for an SMS.  A worker cannot tell that from a
typing slip, so this check says which one it is:

- first the usual hidden causes on a phone keyboard are undone (full-width digits and Ｘ,
  a lower-case x, spaces and dashes) and named;
- then the number is checked as GB 11643-1999 defines it: 18 characters, the birth date in
  characters 7-14 a real day not after today, and the check character (the 18th) computed
  from the first 17.

The number is private: the answer never holds it whole, only masked (first and last
four), and the page never stores it (``saved=False``).  Messages name positions, not
digits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .explain import step
from .inputs import Reader
from .policy import Policy
from .questions import Field, Questions

STANDARD = "国家标准 GB 11643-1999（公民身份号码）"
INPUT_CHECK = "本站输入检查"
GUIDE = {"title": "账户注册", "path": "registration/account.md"}

# GB 11643-1999: the weights of characters 1-17, and the check character for each
# remainder of their weighted sum mod 11.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
LENGTH = len(WEIGHTS) + 1
OLD_LENGTH = 15  # the first-generation card's number
BIRTH = slice(6, 14)  # characters 7-14: YYYYMMDD
REGION = slice(0, 2)  # characters 1-2: the province-level code of the address code
# GB 11643-1999 takes the address code (characters 1-6) from GB/T 2260 (中华人民共和国
# 行政区划代码).  Its province-level codes, as GB/T 2260-2007 lists them (34 regions).
# Only these are checked: a county table would need a
# maintained dataset and its date, and a county code changes with every redrawn district.
PROVINCE_STANDARD = "国家标准 GB/T 2260（中华人民共和国行政区划代码）"
PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
PROVINCE_CODES = frozenset(str(c) for first, last in PROVINCE_RANGES for c in range(first, last + 1))
MAX_CHARS = 64  # far longer than any number with spaces: a paste of something else

# What a phone keyboard slips in, in the order they are undone, with the words for each.
_FULL_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_DASHES = set("-‐‑‒–—―－_")

QUESTIONS = Questions(
    tool="idcard",
    title="身份证号检查",
    summary="身份证号检查：注册时系统提示“请输入正确的身份证号”，是输错了还是要点[反馈]",
    fields=(
        Field("id_number", "text", "身份证号", required=True, saved=False,
              hint="只在这台设备上检查，不保存、不发送；结果里只显示前4位和后4位。"),
        Field("today", "date", "按哪一天检查出生日期", form=False, hint="留空就按今天。"),
    ),
    examples=(
        ("国家标准里的示例号码", {"id_number": "11010519491231002X"}),
        ("全角数字和小写x", {"id_number": "１１０１０５ １９４９１２３１ ００２x"}),
    ),
)


def mask(text: str) -> str:
    """The first and last four characters, the rest as *: 1101**********002X."""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def check_character(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


# What normalise() changed, in words (a code each).
CHANGE_WORDS = {"full_digits": "全角数字改成了半角数字", "full_x": "全角的Ｘ改成了半角的X", "lower_x": "小写的x改成了大写的X",
                "spaces": "去掉了空格", "dashes": "去掉了短横线"}


def normalise(raw: str) -> tuple[str, list[str]]:
    """The number as the system wants it, and what was changed (CHANGE_WORDS' codes)."""
    changes = []
    text = raw
    if any(c in _FULL_DIGITS for c in text):
        changes.append("full_digits")
        text = "".join(_FULL_DIGITS.get(c, c) for c in text)
    if any(c in "Ｘｘ" for c in text):
        changes.append("full_x")
        text = text.replace("Ｘ", "X").replace("ｘ", "X")
    if "x" in text:
        changes.append("lower_x")
        text = text.replace("x", "X")
    if any(c.isspace() for c in text):
        changes.append("spaces")
        text = "".join(c for c in text if not c.isspace())
    if any(c in _DASHES for c in text):
        changes.append("dashes")
        text = "".join(c for c in text if c not in _DASHES)
    return text, changes


def _shown(ch: str) -> str:
    """A character that is not a digit, as a message may show it (never a digit of the number)."""
    return f"U+{ord(ch):04X}" if not ch.isprintable() or "\ud800" <= ch <= "\udfff" else f"「{ch}」"


# A problem: its code, the positions it is about, and the values its words need.
Problem = tuple[str, list[int], dict[str, Any]]


def _characters(text: str) -> list[Problem]:
    """Characters that cannot be in a number: only digits, and X as the last of 18."""
    wrong = [(i + 1, ch) for i, ch in enumerate(text) if not (ch in "0123456789" or (ch == "X" and i == LENGTH - 1))]
    return [("characters", [p for p, _ch in wrong], {"wrong": wrong})] if wrong else []


def _region(text: str) -> list[Problem]:
    return [] if text[REGION] in PROVINCE_CODES else [("region", [1, 2], {})]


def _birth(text: str, today: dt.date) -> list[Problem]:
    digits = text[BIRTH]
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not 1 <= month <= 12:
        return [("birth_date", [11, 12], {"part": "month"})]
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return [("birth_date", [7, 8, 9, 10], {"part": "year"}) if year == 0 else ("birth_date", [13, 14], {"part": "day"})]
    return [("birth_future", list(range(7, 15)), {})] if born > today else []


def _check_digit(text: str) -> list[Problem]:
    expected = check_character(text[:LENGTH - 1])
    return [] if text[-1] == expected else [("check_digit", [LENGTH], {"expected": expected, "given": text[-1]})]


def problems_of(text: str, today: dt.date) -> list[Problem]:
    """What is wrong with a normalised number, in the order a worker should look."""
    if len(text) == OLD_LENGTH and text.isascii() and text.isdigit():
        return [("old_15", [], {})]
    out = _characters(text)
    if len(text) != LENGTH:
        out.append(("length", [], {"length": len(text)}))
    if out:
        return out
    return _region(text) + _birth(text, today) + _check_digit(text)


def _one_wrong(position: int, ch: str) -> str:
    if ch == "X":
        return f"第{position}位是X：只有最后一位（第{LENGTH}位）可以是X"
    return f"第{position}位是{_shown(ch)}，不是数字"


_BIRTH_WORDS = {"month": "第11–12位是出生月份，这里不是01到12之间的月份。", "year": "出生年份不可能是0000。",
                "day": "第13–14位是出生日，这个月没有这一天。"}
PROBLEM_WORDS = {
    "old_15": lambda: f"这是{OLD_LENGTH}位的旧号码。现在的身份证号是{LENGTH}位，请按你现在的身份证上的{LENGTH}位号码填写。",
    "characters": lambda wrong: ("；".join(_one_wrong(p, ch) for p, ch in wrong[:3]) + ("等" if len(wrong) > 3 else "")
                                 + "。身份证号由数字组成，只有最后一位可以是X。"),
    "length": lambda length: (f"共{length}位，身份证号应为{LENGTH}位：{'少了' if length < LENGTH else '多了'}"
                              f"{abs(length - LENGTH)}位。请对照身份证逐位核对。"),
    "region": lambda: "第1–2位是省级行政区代码（省、自治区、直辖市或特别行政区），这里不是任何一个省级行政区的代码，多半是输错了。",
    "birth_date": lambda part: _BIRTH_WORDS[part],
    "birth_future": lambda: "第7–14位是出生日期，这里的日期晚于今天，不可能是已经出生的人的号码。",
    "check_digit": lambda expected, given: (
        f"第{LENGTH}位（校验码）按前{LENGTH - 1}位算出来应为{expected}，你填的是{given}。"
        f"如果最后一位没有填错，那就是前{LENGTH - 1}位里有一位填错，或相邻两位颠倒了：请对照身份证逐位核对。"),
}


def evaluate(request: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    text, changes, today = _read(request, policy, today)
    return words(text, changes, problems_of(text, today), policy)


def _read(request: dict[str, Any], policy: Policy, today: dt.date) -> tuple[str, list[str], dt.date]:
    """The number as the system wants it, what was changed, and the day its birth date is checked on."""
    r = Reader(request, questions=QUESTIONS, policy=policy)
    r.reject_unknown()
    today = r.read("today") or today
    label = r.label("id_number")
    raw = request.get("id_number")
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # a number in JSON: its digits are the ID number
    # The messages never quote what was received: it is the number itself.
    if raw is None or raw == "":
        r.missing("id_number", label, "请填写这一项。")
    elif not isinstance(raw, str):
        r.bad("id_number", label, "应为文字，例如 11010519491231002X。")
    elif len(raw) > MAX_CHARS:
        r.bad("id_number", label, f"太长（超过{MAX_CHARS}个字符），不像一个身份证号。请只填写号码本身。")
    r.raise_if_errors()
    text, changes = normalise(raw)
    if not text:
        r.bad("id_number", label, "里只有空格或短横线。请填写号码本身。")
        r.raise_if_errors()
    return text, changes, today


def words(text: str, changes: list[str], found: list[Problem], policy: Policy) -> dict[str, Any]:
    masked, changed = mask(text), [CHANGE_WORDS[c] for c in changes]
    problems = [{"code": code, "positions": where, "message": PROBLEM_WORDS[code](**values)}
                for code, where, values in found]
    explanation = [
        step(("先转换手机输入法常带进来的字符：" + "、".join(changed) + "。系统里也请按转换后的写法输入。") if changed
             else "号码里没有全角数字、小写x、空格或短横线，不需要转换。", INPUT_CHECK),
        step(f"身份证号应为{LENGTH}位：前{LENGTH - 1}位是数字，第1–2位是省级行政区代码，第7–14位是出生日期（年月日），"
             f"最后一位是校验码（数字或X）。校验码由前{LENGTH - 1}位算出：各位分别乘以权重{'、'.join(map(str, WEIGHTS))}，"
             f"乘积相加后除以11，余数0到10依次对应{'、'.join(CHECK)}。", (STANDARD, PROVINCE_STANDARD)),
    ]
    if not problems:
        advice = ("号码格式正确：长度、出生日期和校验码都对。如果姓名也核对无误，系统却一直提示“请输入正确的身份证号”，"
                  "一般是系统社工库里暂时没有你的信息：点[反馈]按钮，等民政部门审核，"
                  "收到审核通过的短信后再注册账户；审核结果以民政部门的答复为准。")
        explanation.append(step(advice, policy.cite_document("system_guide")))
        summary = f"{masked}：号码格式正确。系统仍提示“请输入正确的身份证号”时，点[反馈]并等待短信通知。"
    else:
        where = "按上面说的位置" if any(p["positions"] for p in problems) else ""
        advice = f"请{where}对照身份证改正，再到系统里输入。号码格式正确之前，先不要点[反馈]。"
        explanation.append(step("号码有误：" + "".join(p["message"] for p in problems), (STANDARD, PROVINCE_STANDARD)))
        summary = f"{masked}：号码有误。{problems[0]['message']}"
    if changed:
        summary += f"（已自动转换：{'、'.join(changed)}）"
    return {
        "ok": True,
        "tool": "idcard",
        "masked": masked,
        "length": len(text),
        "changes": changed,
        "well_formed": not problems,
        "problems": problems,
        "next_step": {"text": advice, "guide": GUIDE if not problems else None},
        "summary": summary,
        "explanation": explanation,
    }
