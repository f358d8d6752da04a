"""Answers that answer, and facts said the way the sources allow (issue 14).

The FAQ's answers open with the answer (yes, no, or that the documents do not say),
the questions readers ask are there with the source's words, the glossary sets the
exam certificate apart from the registration certificate, and a page that rests on
text not checked against the official original says so instead of a 最后核对 date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.build import built_pages
from support.build import text as text_of

NOT_SAID = "文件没有写明，以当地"


def answers(site_dir: Path, page: str) -> dict[str, str]:
    """Question → answer text of a page's definition-list questions."""
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    pairs = re.findall(r"<dt><strong>(.*?)</strong></dt>\s*<dd>(.*?)</dd>", html, re.S)
    return {re.sub(r"<[^>]+>", "", q): re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", a)) for q, a in pairs}


# question (as on the page) → how its answer must begin, and words it must contain
FAQ = {
    "必须登记吗？": ("要办理", ["登记人员", "文件没有写明"]),
    "哪个日期算“通过考试”？": (NOT_SAID, ["最早"]),
    "首次登记时间填哪天？": ("", ["首次领取登记证书的时间", "本次填写个人信息表的时间"]),
    "找不到自己的机构怎么办？": ("点击[反馈]", ["民政部门", "手动输入"]),
    "没有中国人事考试网的账号怎么办？": ("可以", ["[用户注册]", "全国专业技术人员资格考试报名服务平台"]),
    "学时能不能结转到下一期？": (NOT_SAID, ["每一登记有效期内", "本站读作"]),
    "审核要多久？": ("原文没有说明", ["第七条", "30个工作日", "没有与官方文本核对"]),
    "纸质证书丢了或者没去领，怎么办？": (NOT_SAID, ["未经官方文件确认", "电子证书"]),
    "日期是怎么算的？": ("按《中华人民共和国民法典》", ["本站的读法"]),
    "能把指南打印出来带去办事吗？": ("能", ["A4"]),
}


def test_the_faq_answers_first_and_has_the_questions_people_ask(site_dir):
    found = answers(site_dir, "faq")
    problems = []
    for q, (start, words) in FAQ.items():
        if q not in found:
            problems.append(f"没有问题“{q}”")
            continue
        if not found[q].startswith(start):
            problems.append(f"“{q}”的回答没有以“{start}”开头:{found[q][:30]}")
        problems += [f"“{q}”的回答缺少“{w}”" for w in words if w not in found[q]]
    assert problems == []


def test_the_reregistration_page_says_whether_short_hours_are_enough(site_dir):
    a = answers(site_dir, "registration/reregistration")["学时不够能再登记吗？"]
    assert a.startswith("按文件不能") and "继续教育证明" in a and NOT_SAID in a
    text = text_of(site_dir / "registration" / "reregistration" / "index.html")
    assert "登记有效期届满之日" in text and "本站的读法" in text


def test_the_glossary_sets_the_two_certificates_apart(site_dir):
    text = text_of(site_dir / "glossary" / "index.html")
    m = re.search(r"职业水平证书与登记证书.*?三区计划", text)
    assert m and "人事考试部门" in m.group(0) and "民政部门" in m.group(0) and "电子登记证" in m.group(0)
    m = re.search(r"三区计划、牵手计划 (.*?) 机构变更", text)
    assert m and "原文没有说明" in m.group(1)


def test_the_first_registration_deadline_runs_from_passing_the_exam(site_dir):
    text = text_of(site_dir / "certificate" / "index.html")
    assert "从通过考试算起，不是从领到纸质证书算起" in text.replace(" ", "")
    first = text_of(site_dir / "registration" / "first" / "index.html")
    assert "完全民事行为能力" in first and "恪守职业道德" in first  # 第五条 on the page


def test_the_electronic_certificate_is_not_promised_right_after_the_results(site_dir):
    text = text_of(site_dir / "certificate" / "electronic" / "index.html")
    assert "成绩发布后即可" not in text
    assert "过一段时间" in text and "未经官方文件确认" in text


def test_sources_name_every_kind_of_document_and_no_repository_path(site_dir):
    text = text_of(site_dir / "sources" / "index.html")
    assert "calculator/shegong/policy.json" not in text and "本站的政策数据文件" in text
    for words in ("全国社会工作信息系统（中国社会工作信息网）的操作说明", "中国人事考试网的电子证书下载步骤",
                  "《社会工作者职业水平评价暂行规定》", "人社部规〔2018〕2号"):
        assert words in text, words
    html = (site_dir / "sources" / "index.html").read_text(encoding="utf-8")
    assert "<th>日期</th>" in html and "施行日期" not in html


@pytest.mark.parametrize("phrase", ["未与官网原文核对", "未与官方文本核对", "没有与官方文本核对"])
def test_no_last_checked_date_beside_text_that_was_not_checked(site_dir, phrase):
    for page in built_pages(site_dir):
        if page.startswith("calculator"):
            continue
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", html, re.S).group(0)
        body = article.split('class="sg-last-checked"')[0]
        if phrase in body:
            assert "最后核对：" not in article, f"{page or '首页'}:写着“{phrase}”,却显示最后核对日期"
            assert re.search(r'class="sg-last-checked">未与官网原文核对：', article), page
