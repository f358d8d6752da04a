"""The built guide pages: every procedure of the source is on a page, every page has its
依据 and 最后核对 date, the rule values are those of policy.json, and nothing from the
source's advertising tail made it in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shegong.policy import format_date_zh, load
from test_site_build import _text as text_of

ROOT = Path(__file__).resolve().parent.parent
P = load(ROOT / "calculator" / "shegong" / "policy.json")


def pu(key: str) -> str:
    return f"{P.value(key)}{P.parameters[key]['unit']}"


def route_years(origin: str) -> int:
    (years,) = [r["years"] for r in P.titles["routes"] if r["from"] == origin and r["years"]]
    return years


def built_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as its directory relative to the site ('' for home)."""
    pages = []
    for f in sorted(site_dir.rglob("index.html")):
        rel = f.parent.relative_to(site_dir).as_posix()
        if rel.startswith("search") or rel.startswith("assets"):
            continue
        pages.append("" if rel == "." else rel)
    return pages


# (page, what the source says, the words that must be on that page)
PROCEDURES = [
    ("certificate", "两种形式、同等法律效力", ["电子版", "纸质版", "同等法律效力", format_date_zh(P.value("certificate.electronic_since"))]),
    ("certificate", "注意事项三条", ["根据自己的需要选择", "因地区而异", "证书发放机构或当地人事考试部门"]),
    ("certificate/electronic", "电子证书六步下载", ["www.cpta.com.cn", "[证书查验]", "[证书下载]", "全国专业技术人员资格考试报名服务平台", "[用户注册]", "服务须知", "[同意]", "[下载]", "[查看]"]),
    ("certificate/electronic", "加注:使用场景、有效期、24小时", ["[申请证书加注]", "使用场景", "加注有效期", "[提交加注申请]", pu("certificate.annotation_hours") + "内", pu("certificate.annotation_max_days"), "本人调用"]),
    ("certificate/paper", "纸质证书现场领取与邮寄", ["现场领取", "邮寄", "民政局", "人力资源和社会保障局", "快递", "当地人事考试部门"]),
    ("registration", "全国社会工作信息系统", ["2021年3月", "信息查询", "登记申请", "证书换发", "督导管理", "项目发布"]),
    ("registration", "登记人员", ["助理社会工作师", "社会工作师", "高级社会工作师", "《中华人民共和国社会工作者职业水平证书》"]),
    ("registration", "首次登记与再登记的期限", ["首次登记", "再登记", pu("registration.first_window_years") + "内", "登记有效期 " + pu("registration.validity_years"), "有效期满前" + pu("registration.reregistration_window_months")]),
    ("registration/account", "账户注册", ["https://shgz.mca.gov.cn/SWMS/LEAP/swmss/index.html#/index", "[注册]", "姓名", "身份证号", "证书管理号"]),
    ("registration/account", "请输入正确的身份证号与反馈", ["请输入正确的身份证号", "社工库", "[反馈]", "短信通知"]),
    ("registration/profile", "基础信息", ["全部为必填项", "500KB", "一寸或两寸", "首次登记时间", "首次领取登记证书的时间", "本次填写个人信息表的时间", "登记区域", "在地方注册的区域"]),
    ("registration/profile", "工作经历", ["三区计划", "牵手计划", "“是”", "上传证明材料", "手动输入", "社会工作服务机构", "[反馈]"]),
    ("registration/profile", "个人荣誉", ["非必填项", "村（居）、街道（乡镇）、区（县）、地市、省、部"]),
    ("registration/first", "首次登记信息表", ["《社会工作者首次登记信息表》", "自动同步", "承诺声明", "[申请登记证书]"]),
    ("registration/first", "八种状态", ["未申请登记证书", "待审核", "初审通过", "初审未通过", "终审通过", "终审未通过", "首次登记已完成", "已出证"]),
    ("registration/first", "修改与查看证书", ["可以修改资料", "不可再修改", "[查看证书]", "电子登记证", "个人信息模块下方"]),
    ("registration/reregistration", "再登记", ["每" + pu("registration.validity_years"), "有效期满前" + pu("registration.reregistration_window_months"), "继续教育证明"]),
    ("registration/change", "变更业务", ["机构变更", "区域变更", "同一区域", "不在同一区域", "移交"]),
    ("registration/service-records", "服务记录", ["参与的项目及服务内容", "同步到社会工作者的账户", "[查看服务记录]", "[新增]", "红色"]),
    ("registration/continuing-education", "线上学习记录", ["[继续教育]", "网上继续教育", "课程学习", "学完时间"]),
    ("registration/continuing-education", "学时要求", [pu("training.required_hours.助理社会工作师"), pu("training.required_hours.社会工作师"), pu("training.required_hours.高级社会工作师"), "《民政部印发关于社会工作者继续教育办法的通知》"]),
    ("registration/continuing-education", "学时计算与证明", ["实际培训时间", "一次性记" + pu("training.degree_hours"), "实际授课时间", "举办单位出具", "学历（学位）证书", "单科成绩单", "面授课时表"]),
    ("registration/continuing-education", "线下学习记录", ["线下学习记录", "[新增]", "审核通过后即可获得学时"]),
    ("registration/appeal", "申诉找回密码", ["找回密码", "手机号码不能正常使用", "申诉", "姓名", "身份证号", "身份证正反面"]),
    ("titles", "天津通知、一般规则、施行与废止", ["天津市", "只适用于天津市", "直接对应", "无需换发本市职称证书", "直接申报评审或考试", format_date_zh(P.value("title.tianjin_effective")), P.documents["tianjin_titles"]["replaces"], "准入类专业技术人员职业资格与职称对应表", "水平评价类专业技术人员职业资格与职称对应表", "国务院已取消的部分专业技术人员职业资格与职称对应表"]),
    ("titles/social-work", "社会工作者证书对应职称", ["助理社会工作师", "初级职称", "社会工作师", "中级职称", "高级社会工作师", "高级职称", "这是天津市的政策"]),
    ("titles/skills", "技能与职称", [*P.titles["skill_series"], f"满{route_years('高级工')}年", f"满{route_years('技师')}年", f"满{route_years('高级技师')}年", f"满{route_years('特级技师')}年", "高级工职业技能评价", "特级技师职业技能评价", "这是天津市的政策"]),
    ("titles/digital", "数字技术工程师", ["数字经济领域技术技能人才培育项目", "技术员", "助理工程师", "工程师", "高级工程师评审", "这是天津市的政策"]),
    ("titles/foreign", "境外职业资格", ["《天津市境外职业资格认可目录》", "天津自贸试验区", "视同境内从业经历", "副高级职称", "以考代评", "这是天津市的政策"]),
    ("", "首页按情况分流", ["刚通过考试", "要登记或再登记", "算继续教育学时", "评职称"]),
    ("glossary", "术语表", ["加注", "首次登记", "再登记", "登记有效期", "三区计划", "牵手计划", "学时"]),
    ("faq", "常见问题", ["电子证书和纸质证书哪个有效", "请输入正确的身份证号"]),
    ("sources", "依据与来源", ["民发〔2009〕44号", "民发〔2009〕123号", "人社厅发〔2021〕97号", "国人部发〔2006〕71号", "第二百零一条", "第二百零二条", "第二百零三条", "www.cpta.com.cn", "shgz.mca.gov.cn"]),
]


@pytest.mark.parametrize("page,procedure,words", PROCEDURES, ids=[f"{p or 'home'}:{what}" for p, what, _ in PROCEDURES])
def test_each_procedure_of_the_source_is_on_its_page(site_dir, page, procedure, words):
    text = text_of(site_dir / page / "index.html")
    missing = [w for w in words if w not in text]
    assert not missing, f"{page or '首页'}({procedure})缺少:{missing}"


def test_every_guide_page_has_a_basis_section_and_a_last_checked_date(site_dir):
    problems = []
    for page in built_pages(site_dir):
        if page.startswith("calculator"):
            continue  # the calculator's pages are checked by the calculator's tests
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        if not re.search(r"<h2[^>]*>依据", html):
            problems.append(f"{page or '首页'}: 没有“依据”一节")
        if not re.search(r'class="sg-last-checked">(最后核对：|未与官网原文核对：[^<]*整理于)<time datetime="2026-11-27"', html):
            problems.append(f"{page or '首页'}: 没有最后核对日期")
    assert not problems


PROCEDURE_HEADINGS = ["适用对象", "办理期限", "所需材料", "办理流程", "注意事项", "常见问题", "依据"]


PROCEDURE_PAGES = sorted({p for p, _, _ in PROCEDURES if p.startswith(("certificate", "registration", "titles"))})


@pytest.mark.parametrize("page", PROCEDURE_PAGES)
def test_procedure_pages_use_the_service_guide_form(site_dir, page):
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)", html)
    assert [h for h in headings if h in PROCEDURE_HEADINGS] == PROCEDURE_HEADINGS


def test_procedure_pages_link_to_the_calculator_with_inputs(site_dir):
    expected = {
        "registration/first": "calculator/registration/?level=社会工作师&amp;passed_on=2024-09-10",
        "registration/reregistration": "calculator/registration/?level=社会工作师&amp;passed_on=2022-11-20&amp;first_registered_on=",
        "registration/continuing-education": "calculator/training/?level=社会工作师&amp;period_start=",
        "titles/skills": "calculator/title/?from=技师&amp;since=2021-07-01&amp;series=工程技术",
        "certificate/electronic": "calculator/certificate/?results_published_on=",
    }
    for page, href in expected.items():
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert href in html, page
        assert (site_dir / href.split("?")[0].replace("../", "") / "index.html").exists()


def test_nothing_from_the_advertising_tail(site_dir):
    for f in site_dir.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        for word in ("kushe800", "支付宝", "微信扫一扫", "PDF电子版资料", "免费下载"):
            assert word not in html, f"{f.relative_to(site_dir)} 含有广告内容“{word}”"


def test_no_page_loads_anything_from_a_cdn(site_dir):
    for f in site_dir.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net"):
            assert host not in html, f"{f.relative_to(site_dir)} 引用了 {host}"


SVG_NS = "{http://www.w3.org/2000/svg}"


def mermaid_fence(md: Path) -> str:
    """The one ```mermaid fence of a guide page, as written."""
    (body,) = re.findall(r"^```mermaid[^\n]*\n(.*?)^```", md.read_text(encoding="utf-8"), re.S | re.M)
    return body


def test_the_diagram_is_inline_svg_with_every_state_and_arrow_of_its_fence(site_dir):
    """registration/first's flowchart is drawn ahead of time (make diagrams) and put in
    the page as SVG text: the same states, arrows and labels as the fence in the page's
    source, with a title for screen readers and the caption under it."""
    import xml.etree.ElementTree as ET

    body = mermaid_fence(ROOT / "docs" / "registration" / "first.md")
    nodes = dict(re.findall(r'\b(\w+)\["([^"]+)"\]', body))
    arrows = re.findall(r'\b(\w+)(?:\["[^"]*"\])?\s*-->\s*(?:\|"([^"]*)"\|\s*)?(\w+)', body)
    assert len(nodes) == 8 and len(arrows) == 7  # the fence as the page describes it

    html = (site_dir / "registration" / "first" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<figure class="sg-diagram">(<svg\b.*?</svg>)<figcaption>([^<]+)</figcaption></figure>', html, re.S)
    assert m, "registration/first 没有内嵌 SVG 的流程图"
    svg = ET.fromstring(m.group(1))
    assert svg.tag == SVG_NS + "svg"
    assert not list(svg.iter(SVG_NS + "foreignObject")), "标签应是 SVG 文字,不用 foreignObject"

    rows = {"".join(t.itertext()).strip() for t in svg.iter(SVG_NS + "tspan") if "row" in t.get("class", "").split()}
    lines = [line for label in nodes.values() for line in re.split(r"<br\s*/?>", label)]
    lines += [line for _, label, _ in arrows if label for line in re.split(r"<br\s*/?>", label)]
    assert [line for line in lines if line not in rows] == [], rows
    drawn_nodes = [g for g in svg.iter(SVG_NS + "g") if "node" in g.get("class", "").split()]
    assert len(drawn_nodes) == len(nodes)
    drawn_arrows = {
        tuple(re.fullmatch(r"L_(\w+?)_(\w+?)_\d+", p.get("data-id")).groups())
        for p in svg.iter(SVG_NS + "path") if "flowchart-link" in p.get("class", "").split()
    }
    assert drawn_arrows == {(a, b) for a, _, b in arrows}

    # Accessible: an image named by its <title> (the fence's accTitle), described by
    # its <desc>; the caption says the same title.
    assert svg.get("role") == "img"
    title = svg.find(SVG_NS + "title")
    assert title is not None and svg.get("aria-labelledby") == title.get("id")
    assert title.text.strip() == m.group(2).strip()
    desc = svg.find(SVG_NS + "desc")
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert desc.text.count("→") == len(arrows)
    # The note under the diagram is still there.
    assert re.search(r"</figure>\s*<p>图中的顺序按原文列出状态的顺序画出", html)


def test_no_page_ships_or_loads_mermaid(site_dir):
    """No Mermaid JavaScript in the site, and nothing with class="mermaid" (the theme
    would fetch Mermaid from a CDN for it)."""
    assert [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*mermaid*")] == []
    for page in built_pages(site_dir):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert "mermaid.min.js" not in html, page
        assert not re.search(r'class="[^"]*\bmermaid\b', html), page
        assert "```mermaid" not in html and "language-mermaid" not in html, page


def test_the_search_index_keeps_this_fields_terms_whole(site_dir):
    """jieba with docs/jieba_user_dict.txt: 学时 must not become 教育学 / 时."""
    import json

    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    tokens = set()
    for doc in index["docs"]:
        tokens.update(re.split(index["config"]["separator"], re.sub(r"<[^>]+>", " ", doc["text"])))
    for term in ("学时", "再登记", "首次登记", "加注", "社会工作师", "助理社会工作师", "三区计划", "牵手计划", "继续教育"):
        assert term in tokens, term
    assert "教育学" not in tokens


def test_the_search_dialog_has_a_name(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-search"[^>]*role="dialog"[^>]*aria-label="[^"]+"', html)


def test_the_search_worker_keeps_a_whole_chinese_word_whole(site_dir):
    (worker,) = (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert "o<=t.length;o++)t.slice(s,o)in e" in worker.read_text(encoding="utf-8")
