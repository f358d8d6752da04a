"""Every procedure of the source article (lines 1–81), the page that explains it, and the
words that must be on that page; rule values come from policy.json, as on the pages."""

from __future__ import annotations

from shegong.policy import format_date_zh, load
from support.build import ROOT

P = load(ROOT / "calculator" / "shegong" / "policy.json")


def pu(key: str) -> str:
    return f"{P.value(key)}{P.parameters[key]['unit']}"


def route_years(origin: str) -> int:
    (years,) = [r["years"] for r in P.routes() if r["from"] == origin and r["years"]]
    return years


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


