"""Reading a team's spreadsheet and writing the result: .xlsx (openpyxl) and .csv.

A CSV is UTF-8 (with or without a byte-order mark) or GB18030, which is what Excel on a
Chinese Windows saves (GB18030 reads GBK and GB2312 too).  Cells are passed to the rules
as they are written, except Excel's date cells, which become ISO dates: the rules read
2024-09-10, 2024/9/10 and 2024年9月10日 themselves.

Rows are numbered as the spreadsheet shows them, so that a message can point at the cell.
The header is the row, among the first HEADER_ROWS, that names the most known columns (a
title such as "2026年度台账" often sits above it).  A merged cell's value fills every cell
it covers; a formula cell saved without its result is reported on its row, not read as
empty.  Rows are read lazily: the command line streams a large sheet.  A file that breaks
off part-way (a damaged worksheet, a CSV field past the csv module's limit) is a
SheetError wherever the reading has got to.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .inputs import InputError, closest
from .registration import QUESTIONS as _REGISTRATION

# The workers' sheet.  再登记日期 may be repeated (再登记日期2, 再登记日期(2) …), and a cell may
# hold several dates.  The registration rules' fields are the columns they declare.
FIELD_COLUMN = {f.name: f.column for f in _REGISTRATION.fields if f.column}
LEVEL, PASSED, FIRST, REREG = (FIELD_COLUMN[n] for n in ("level", "passed_on", "first_registered_on", "reregistered_on"))
NAME, ID, HOURS = "姓名", "工号", "本期已获学时"
COLUMNS = (NAME, ID, LEVEL, PASSED, FIRST, REREG, HOURS)
DATE_COLUMNS = (PASSED, FIRST, REREG)
# The learning records' sheet (an .xlsx's second sheet): one row per record.
KIND, DAY, RECORD_HOURS, QUALIFIED, APPROVED = "形式", "日期", "学时", "是否合格", "已审核通过"
RECORD_COLUMNS = (NAME, ID, KIND, DAY, RECORD_HOURS, QUALIFIED, APPROVED)
# Other spellings a coordinator's sheet may use for a column.
# Each field's form label is one (通过考试的日期), and so is a form label shared with another tool (首次登记日期).
ALIASES = {"考试通过日期": PASSED, "登记日期": FIRST,
           **{f.label: f.column for f in _REGISTRATION.fields if f.column and f.label != f.column}}

MAX_BYTES = 50 * 1024 * 1024  # an input check: a team's sheet is far smaller
HEADER_ROWS = 10  # where the header is looked for: a title or a note or two above it
_SPLIT = re.compile(r"[,，;；、\n]+|\s{1,}(?=[0-9])")
_MIDNIGHT = re.compile(r"(\S+)\s+0?0:00(:00)?\Z")
_REREG = re.compile(r"再登记日期[\s(（第]*[0-9]*[次)）]*\Z")


class SheetError(InputError):
    """The whole file cannot be read (as opposed to one bad row)."""

    def __init__(self, message: str):
        super().__init__([{"field": "file", "message": message}])


@dataclass
class Row:
    number: int  # the row number the spreadsheet shows
    values: dict[str, Any]  # column -> cell; 再登记日期 -> a list of cells
    problems: list[dict[str, Any]] = field(default_factory=list)  # cells that could not be read


class _Uncached:
    """A formula cell whose result the file does not hold (openpyxl reads it as empty)."""

    def __repr__(self) -> str:
        return "UNCACHED"


UNCACHED = _Uncached()


@dataclass
class Table:
    workers: Iterator[Row]
    records: list[Row] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)  # about the file, not a row
    columns: list[str] = field(default_factory=list)  # the known columns the sheet has


def _header(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text if text is not None else "")))


def _known(name: str, known: tuple[str, ...]) -> str | None:
    if name in known:
        return name
    if REREG in known and _REREG.fullmatch(name):
        return REREG
    alias = ALIASES.get(name)
    return alias if alias in known else None


def _columns(header: list[Any], known: tuple[str, ...], sheet: str, problems: list[dict[str, Any]],
             row: int = 1) -> list[str | None]:
    """Each position's column; an unknown name is reported with the closest known one."""
    out: list[str | None] = []
    for i, raw in enumerate(header):
        name = _header(raw)
        col = _known(name, known)
        out.append(col)
        if col is None and name:
            guess = closest(name, known + tuple(a for a, c in ALIASES.items() if c in known))
            hint = f"你是不是要写「{_known(guess, known)}」？" if guess else f"可用的列：{'、'.join(known)}。"
            problems.append({"row": row, "column": name, "message":
                             f"{sheet}第{row}行（表头）第{i + 1}列「{name}」不是认识的列名，这一列没有读入。{hint}"})
    return out


Lines = Iterator[tuple[int, list[Any]]]  # (the row number shown, its cells)


def _find_header(lines: Lines, known: tuple[str, ...]) -> tuple[int, list[Any], Lines]:
    """The header (its row number and cells) and the rows after it.  The header is the row of
    the first HEADER_ROWS naming the most known columns, the earliest of equals; rows above
    it (a title, a note) are not people."""
    first = list(itertools.islice(lines, HEADER_ROWS))
    if not first:
        return 1, [], iter(())
    named = [sum(_known(_header(c), known) is not None for c in cells) for _n, cells in first]
    at = named.index(max(named))
    number, header = first[at]
    return number, list(header), itertools.chain(first[at + 1:], lines)


def _cell(value: Any, column: str) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        if column in DATE_COLUMNS or column == DAY:
            m = _MIDNIGHT.match(value)
            value = m.group(1) if m else value
    return value


def _rows(lines: Iterable[tuple[int, list[Any]]], columns: list[str | None]) -> Iterator[Row]:
    for number, cells in lines:
        values: dict[str, Any] = {}
        problems = []
        for col, raw in zip(columns, cells):
            if col is None or raw is None or raw == "":
                continue
            if raw is UNCACHED:
                problems.append({"row": number, "column": col, "message": (
                    f"第{number}行「{col}」：这一格是公式，但文件里没有保存公式的计算结果（由其他程序生成、"
                    "没有在 Excel 里打开保存过的文件常这样），这一格没有读入。请在 Excel 里打开、保存后再选择，或把公式换成数值。")})
                continue
            value = _cell(raw, col)
            if value == "":
                continue
            if col == REREG:
                parts = [p for p in _SPLIT.split(value) if p] if isinstance(value, str) else [value]
                values.setdefault(REREG, []).extend(parts)
            elif col not in values:
                values[col] = value
        if values or problems:
            yield Row(number, values, problems)


def read(data: bytes, filename: str = "") -> Table:
    """The workers (and records) of an .xlsx or .csv file; SheetError if it cannot be read."""
    if not data:
        raise SheetError("文件是空的。请选择填好的 .xlsx 或 .csv 文件（可以先下载模板）。")
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB）。")
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError("这是旧版 Excel 的 .xls 文件，无法读取。请在 Excel 里“另存为” .xlsx 或 CSV 后再选择。")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SheetError("文件的扩展名是 .xlsx，但内容不是 Excel 工作簿（可能已损坏）。请在 Excel 里重新保存后再选择。")
    return _csv(data)


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetError("无法识别文件的编码：既不是 UTF-8，也不是 GBK/GB18030。请在 Excel 里另存为“CSV UTF-8”或 .xlsx。") from None


def _csv(data: bytes) -> Table:
    text = decode(data)
    if "\x00" in text:
        raise SheetError("文件不是文本格式的 CSV，也不是 .xlsx。请选择 .xlsx 或 .csv 文件。")
    number, header, lines = _find_header(_csv_lines(text), COLUMNS)
    problems: list[dict[str, Any]] = []
    columns = _columns(header, COLUMNS, "", problems, number)
    _require(columns, problems, number)
    return Table(_rows(lines, columns), [], problems, [c for c in columns if c])


def _csv_lines(text: str) -> Lines:
    """The CSV's rows, numbered; a row the csv module cannot read ends the file with a SheetError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        # Almost always a quote left open: the rest of the file then reads as one cell.
        raise SheetError(f"CSV 文件第{number + 1}行无法读取：有一个格子超过 {csv.field_size_limit():,} 个字符，"
                         "多半是某个引号（\"）没有配对，后面的内容都被当成了这一格。请在 Excel 里检查这一行，"
                         "或另存为 .xlsx 后再选择。") from None


# The columns every row needs (the registration rules' required questions).
REQUIRED = (LEVEL, PASSED)


def _require(columns: list[str | None], problems: list[dict[str, Any]], row: int = 1) -> None:
    for needed in REQUIRED:
        if needed not in columns:
            problems.append({"row": row, "column": needed, "message": f"表头里没有「{needed}」列。每一行都需要这一项。"})


def _xlsx(data: bytes) -> Table:
    import openpyxl  # only the page that reads spreadsheets loads it (and the CLI's batch)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = book.worksheets
        # The records sheet is read whole, before the workers: a damaged one fails here.
        second = list(_sheet_lines(book, sheets[1], "第2个工作表")) if len(sheets) > 1 else []
        number, header, lines = _find_header(_sheet_lines(book, sheets[0], "第1个工作表"), COLUMNS)
    except SheetError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file: all say the same to a reader
        raise SheetError("无法打开这个 Excel 文件（可能已损坏或有密码保护）。请在 Excel 里重新保存为 .xlsx 后再选择。") from None
    problems: list[dict[str, Any]] = []
    records: list[Row] = []
    if second:
        at, head, rest = _find_header(iter(second), RECORD_COLUMNS)
        if any(h is not None for h in head):
            cols = _columns(head, RECORD_COLUMNS, f"第2个工作表「{sheets[1].title}」", problems, at)
            records = list(_rows(rest, cols))
            problems += [p | {"message": f"第2个工作表「{sheets[1].title}」{p['message']}"} for r in records for p in r.problems]
    columns = _columns(header, COLUMNS, "", problems, number)
    _require(columns, problems, number)
    return Table(_rows(lines, columns), records, problems, [c for c in columns if c])


# A merged range as the worksheet XML lists it (after the rows): <mergeCell ref="C2:C5"/>.
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _sheet_lines(book: Any, sheet: Any, which: str) -> Lines:
    """A worksheet's rows as the file holds them, numbered, merged cells filled in.  Read with
    openpyxl's own parser (read-only mode), told to mark a formula without its result; any
    failure part-way is the file's, and named as such."""
    number = 0
    try:
        merged = _merged(sheet)
        with sheet._get_source() as src:
            parser = _parser()(src, sheet._shared_strings, data_only=True, epoch=book.epoch,
                               date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for number, cells in _filled(parser.parse(), merged):
                yield number, cells
    except Exception:
        where = f"第{number}行之后" if number else "开头"
        raise SheetError(f"{which}「{sheet.title}」已损坏，从{where}无法读取。请在 Excel 里打开并重新保存为 .xlsx 后再选择。") from None


def _parser() -> type:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UNCACHED
            return cell

    return Parser


def _merged(sheet: Any) -> list[tuple[int, int, int, int]]:
    """Each merged range (first row, first column, last row, last column), found by scanning
    the worksheet's XML, whose merged ranges follow all its rows."""
    from openpyxl.utils import column_index_from_string as col

    found: set[tuple[int, int, int, int]] = set()
    tail = b""
    with sheet._get_source() as src:
        while chunk := src.read(1 << 20):
            text = tail + chunk
            for m in _MERGE.finditer(text):
                a, r1, b, r2 = m.groups()
                found.add((int(r1), col(a.decode()), int(r2), col(b.decode())))
            tail = text[-512:]  # a tag cut by the chunk's end is whole in the next round
    return sorted(found)


def _filled(rows: Iterable[tuple[int, list[dict[str, Any]]]], merged: list[tuple[int, int, int, int]]) -> Lines:
    """Rows as lists of values; a merged range's first value in every cell it covers."""
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in merged:
        starts.setdefault(m[0], []).append(m)
    active: list[tuple[tuple[int, int, int, int], Any]] = []
    for number, cells in rows:
        values: list[Any] = [None] * (cells[-1]["column"] if cells else 0)
        for c in cells:
            values[c["column"] - 1] = c["value"]
        active = [(m, v) for m, v in active if m[2] >= number]
        active += [(m, values[m[1] - 1] if len(values) >= m[1] else None) for m in starts.get(number, ())]
        for (_r1, c1, _r2, c2), value in active:
            if value is None:
                continue
            values += [None] * (c2 - len(values))
            for i in range(c1 - 1, c2):
                values[i] = value if values[i] is None else values[i]
        yield number, values


# --- the result ------------------------------------------------------------------------

RESULT_COLUMNS = ("行号", "姓名", "工号", "级别", "阶段", "下一个期限", "期限事项", "剩余天数", "本期开始", "本期结束",
                  "本期要求学时", "已计入学时", "还差学时", "标记", "问题")
FLAG_ZH = {"overdue": "逾期", "due_soon": "30天内到期", "hours_short": "学时不足", "error": "输入有误"}


# A cell starting with one of these is read by Excel as a formula: a name typed as
# "=HYPERLINK(…)" must come back as the text it was, never as something that runs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def result_row(w: dict[str, Any]) -> list[Any]:
    """One worker's line of the result, dates as ISO text (the .xlsx writer makes them dates)."""
    return [_as_text(v) for v in (
        w["row"], w["name"], w["id"], w["level"], w["stage_zh"], w["deadline"], w["deadline_label"],
        w["days_left"], w["period_start"], w["period_end"], w["hours_required"], w["hours_counted"],
        w["hours_remaining"], "、".join(FLAG_ZH[f] for f in w["flags"]),
        "；".join(p["message"] for p in w["problems"]))]


def write_csv(workers: Iterable[dict[str, Any]], out: io.TextIOBase | None = None) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly."""
    buf = out or io.StringIO(newline="")
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(RESULT_COLUMNS)
    for worker in workers:
        w.writerow(["" if v is None else v for v in result_row(worker)])
    return b"" if out else buf.getvalue().encode("utf-8")


def write_xlsx(workers: Iterable[dict[str, Any]], target: Any = None) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("结果")
    bold = Font(bold=True)
    head = []
    for name in RESULT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    dates = {RESULT_COLUMNS.index(c) for c in ("下一个期限", "本期开始", "本期结束")}
    try:
        for worker in workers:
            row = result_row(worker)
            cells = []
            for i, v in enumerate(row):
                if i in dates and v:
                    cell = WriteOnlyCell(sheet, value=dt.date.fromisoformat(v))
                    cell.number_format = "yyyy-mm-dd"
                    cells.append(cell)
                else:
                    cells.append(v)
            sheet.append(cells)
    except BaseException:
        # The rows broke off (the input did): finish the sheet's own temporary file, or
        # openpyxl's writer complains on stderr when it is collected.  The caller drops it.
        sheet.close()
        raise
    buf = target or io.BytesIO()
    book.save(buf)
    return b"" if target else buf.getvalue()


def template_xlsx(workers: list[list[Any]], records: list[list[Any]]) -> bytes:
    """The template: the workers' columns with example rows, and a records sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(list(COLUMNS))
    for row in workers:
        # Real date cells, as Excel makes them when a date is typed.
        sheet.append([dt.date.fromisoformat(v) if i in (3, 4, 5) and v else v for i, v in enumerate(row)])
        for cell in sheet[sheet.max_row][3:6]:
            cell.number_format = "yyyy-mm-dd"
    second = book.create_sheet("学习记录")
    second.append(list(RECORD_COLUMNS))
    for row in records:
        second.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def template_csv(workers: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(workers)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
