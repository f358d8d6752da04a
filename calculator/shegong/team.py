"""The team page's declaration: a spreadsheet of many workers (``shegong.batch``), asked
as a file on the device, not as a JSON request.  It has no rules of its own (each row
asks the registration and training rules), so it is not one of ``api.RULES``: no
subcommand or schema of its own (``python -m shegong batch`` reads the file), and
``api.evaluate_sheet`` answers it.  Its page is built from this like every tool's.
"""

from __future__ import annotations

from .questions import Field, Page, Questions

FILE_TYPES = (".xlsx", ".csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv")

QUESTIONS = Questions(
    tool="team",
    title="团队期限与学时",
    summary="一张表格里每个人的登记期限和本期学时",
    fields=(
        Field("file", "file", "选择团队表格（.xlsx 或 .csv）", (
            "列：姓名或工号（可不填）、级别、通过考试日期、首次登记日期、再登记日期（可以有多列，或在一格里用逗号分开）、"
            "本期已获学时；.xlsx 也可以在第二个工作表“学习记录”里逐条填写（姓名或工号、形式、日期、学时、是否合格）。"
            "日期可以是 Excel 的日期格式，或写成 2024-09-10、2024/9/10、{{ date:2024-09-10 }}。"
            "CSV 可以是 UTF-8 或 GBK（Excel 在中文 Windows 上保存的格式）。"),
            required=True, choices=FILE_TYPES),
        # Kept only when ticked: the file is the reader's, and names are in it.
        Field("save", "boolean", "在本机保存（下次打开这个页面时自动载入这份表格）", saved=False),
    ),
    # openpyxl reads .xlsx here only; the other pages' snapshot holds no openpyxl, so this
    # page's would replace it on each switch between them: it makes none.
    page=Page(packages=("openpyxl",), snapshot=False, privacy=(
        "表格只在这台设备的浏览器里读取和计算，姓名等内容不会发送到任何地方。不勾选“在本机保存”时，关闭页面后什么都不留下；"
        "勾选后表格保存在这个浏览器里，点“清除数据”即可删除。")),
)
