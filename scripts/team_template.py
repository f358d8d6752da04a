"""Writes the team page's templates (docs/assets/calculator/team-template.xlsx and .csv).

Run after changing the columns in calculator/shegong/sheets.py; commit the result.
The example rows are made up; tests/test_team.py reads the template as its clean sheet.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "calculator"))

from shegong import sheets  # noqa: E402

WORKERS = [
    # 姓名, 工号, 级别, 通过考试日期, 首次登记日期, 再登记日期, 本期已获学时
    ["示例甲", "A001", "社会工作师", "2024-06-15", "2024-09-10", "", 36],
    ["示例乙", "A002", "助理社会工作师", "2020-06-20", "2020-09-01", "2023-08-15", 72],
    ["示例丙", "A003", "高级社会工作师", "2025-06-14", "", "", ""],
]
RECORDS: list[list[object]] = []

if __name__ == "__main__":
    out = ROOT / "docs" / "assets" / "calculator"
    (out / "team-template.xlsx").write_bytes(sheets.template_xlsx(WORKERS, RECORDS))
    (out / "team-template.csv").write_bytes(sheets.template_csv(WORKERS))
    print("wrote", out / "team-template.xlsx", out / "team-template.csv")
