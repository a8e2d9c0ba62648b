"""A contact table (咨询联系表) as offices publish it, read into one row per unit.

Offices publish these as spreadsheets (.xlsx) or CSV saved from one: a title row or two above the
header (“朔州市惠企政策咨询联系表”), a header row whose words vary (电话 / 联系电话 / 咨询电话,
单位 / 单位名称 / 部门, 地址 / 办公地址, 邮箱 / 电子邮箱, 办公时间 / 工作时间), a 序号 column,
section rows (“一、市直部门”), a unit's cell merged over the rows of its several numbers (blank
in a CSV), and notes under the table (注：…). Each row keeps its line (the spreadsheet's row
number) so that every problem is reported where the editor will look. Pure reading: file in,
rows out; matching the units to the registry is the importer's (importer/contacts.py).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics
from .reading import reading_form
from .sourcefile import SourceDecodeError, decode

# Each field and the header words it is published under, in the reading form (simplified,
# half-width), without spaces and without a bracketed remark (联系电话（区号0349）).
HEADERS = {
    "unit": ("单位", "单位名称", "部门", "部门名称", "部门单位", "责任单位", "咨询单位", "受理单位",
             "机构", "机构名称", "科室", "名称"),
    "person": ("联系人", "咨询联系人", "联系人姓名", "负责人"),
    "phone": ("电话", "联系电话", "咨询电话", "办公电话", "电话号码", "咨询热线", "热线电话",
              "联系方式", "固定电话"),
    "address": ("地址", "办公地址", "联系地址", "通讯地址", "办公地点", "地点", "单位地址"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "邮件"),
    "website": ("网址", "网站", "门户网站", "网站地址", "网页"),
    "hours": ("办公时间", "工作时间", "咨询时间", "受理时间", "服务时间"),
}
FIELD_NAMES = {"person": "联系人", "phone": "电话", "address": "地址", "email": "邮箱",
               "website": "网址", "hours": "办公时间"}
HEADER_ROWS = 15  # the header is searched for in the first rows (a title, a note above it)
SUFFIXES = (".csv", ".xlsx")
_REMARK = re.compile(r"[(（][^)）]*[)）]")
_SPACE = re.compile(r"\s+")
# A row that is no unit: a section heading (一、市直部门, （一）), a note or a total under the table.
_NOT_A_UNIT = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|"
                         r"注[：:]|备注|说明|合计|总计|附[：:])")
# Values joined when a unit has several rows (a number per line of business).
JOINERS = {"phone": "、", "person": "、", "email": "、"}


@dataclass(frozen=True)
class ContactRow:
    line: int  # the row's line in the CSV, or its row number in the sheet
    unit: str  # as written
    fields: dict[str, str] = field(default_factory=dict, hash=False)  # field -> value, only the filled ones
    lines: tuple[int, ...] = ()  # every line it was read from (a merged unit spans several)


@dataclass(frozen=True)
class ContactTable:
    shown: str  # the file as messages name it
    header_line: int
    columns: dict[str, str]  # field -> the header as written
    title: str  # the rows above the header, joined (where the table says whose it is)
    rows: tuple[ContactRow, ...]


class TableReadError(Exception):
    def __init__(self, message: str, hint: str, line: int = 0):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def header_key(text: str) -> str:
    return _REMARK.sub("", _SPACE.sub("", reading_form(text))).lower().rstrip(":：")


_FIELD_OF = {header_key(word): name for name, words in HEADERS.items() for word in words}


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0 (a phone number typed as a number), one line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub(" ", str(value)).strip()


def read_contact_table(path: Path, shown: str, diagnostics: Diagnostics) -> ContactTable | None:
    """The table's rows; None with an error reported when the file cannot be read as one."""
    try:
        grid = _read_grid(path)
        return _table(grid, shown, diagnostics)
    except TableReadError as exc:
        diagnostics.error(shown, exc.line, exc.message, exc.hint)
        return None


def _read_grid(path: Path) -> list[tuple[int, list[str]]]:
    """(line, cells) of every row of the file, merged cells filled down."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise TableReadError("不能读取旧的 .xls 格式", "在 Excel 或 WPS 里把它另存为 .xlsx（或 .csv），再导入")
    if suffix not in SUFFIXES:
        raise TableReadError(f"不认识的文件类型“{path.suffix or path.name}”", "联系表要是 .xlsx 或 .csv 文件")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableReadError("找不到这个文件", "检查文件名和所在的文件夹") from None
    except OSError as exc:
        raise TableReadError(f"无法读取这个文件（{exc.strerror}）", "检查文件的权限") from None
    return _xlsx_grid(data) if suffix == ".xlsx" else _csv_grid(data, path.name)


def _csv_grid(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        text = decode(data, name)
    except SourceDecodeError as exc:
        raise TableReadError(str(exc), exc.hint) from None
    sample = "\n".join(text.split("\n")[:HEADER_ROWS])
    delimiter = max((",", "\t", "，", ";"), key=sample.count)  # Excel's CSV, a tab-separated export
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, start = [], 1
    try:
        for cells in reader:
            rows.append((start, [cell_text(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TableReadError(f"CSV 写法有误（{exc}）", "在 Excel 或 WPS 里打开它，再另存为 CSV", reader.line_num) from None
    return rows


def _xlsx_grid(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet that has a header row (else the first sheet); a cell merged over several
    rows of one column is read in each of them, a title merged across columns only once."""
    import zipfile

    from openpyxl import load_workbook  # only this command needs it
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)  # a formula's last computed value
    except (zipfile.BadZipFile, InvalidFileException, LookupError, ValueError, TypeError, AttributeError,
            SyntaxError, OSError) as exc:  # a damaged workbook fails in openpyxl in these ways (XML: SyntaxError)
        raise TableReadError(f"这不是能读取的 .xlsx 文件（{type(exc).__name__}）",
                             "在 Excel 或 WPS 里打开它，另存为 .xlsx（或 .csv），再导入") from None
    grids = []
    for sheet in book.worksheets:
        values = {(cell.row, cell.column): cell_text(cell.value)
                  for row in sheet.iter_rows() for cell in row if cell.value is not None}
        for merged in sheet.merged_cells.ranges:
            if merged.min_col == merged.max_col:
                top = values.get((merged.min_row, merged.min_col), "")
                for row in range(merged.min_row + 1, merged.max_row + 1):
                    values[(row, merged.min_col)] = top
        width = max((c for _, c in values), default=0)
        height = max((r for r, _ in values), default=0)
        grids.append([(r, [values.get((r, c), "") for c in range(1, width + 1)]) for r in range(1, height + 1)])
    return next((g for g in grids if _find_header(g) is not None), grids[0] if grids else [])


def _find_header(grid: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int]] | None:
    """(index in grid, field -> column) of the first row naming a unit column and a contact column."""
    for index, (_, cells) in enumerate(grid[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for col, text in enumerate(cells):
            name = _FIELD_OF.get(header_key(text))
            if name and name not in columns:
                columns[name] = col
        if "unit" in columns and len(columns) >= 2:
            return index, columns
    return None


def _table(grid: list[tuple[int, list[str]]], shown: str, diagnostics: Diagnostics) -> ContactTable:
    found = _find_header(grid)
    if found is None:
        raise TableReadError(
            f"前 {HEADER_ROWS} 行里找不到表头",
            "表头一行要有“单位”（或单位名称、部门）一列，和电话、地址、邮箱、网址、办公时间中的至少一列", 1)
    index, columns = found
    header_line, header_cells = grid[index]
    title = " ".join(c for _, cells in grid[:index] for c in cells if c)
    rows: list[ContactRow] = []
    previous: ContactRow | None = None  # the unit a blank (merged) unit cell continues
    for line, cells in grid[index + 1:]:
        def at(name: str) -> str:
            col = columns.get(name)
            return cells[col] if col is not None and col < len(cells) else ""
        unit = at("unit")
        values = {name: at(name) for name in columns if name != "unit" and at(name)}
        if not unit and not values:
            continue  # a blank row
        if unit and _NOT_A_UNIT.match(unit):
            previous = None
            continue
        if not unit:
            if previous is None:
                diagnostics.warning(shown, line, "这一行有联系方式，但没有写单位",
                                    "在“单位”一列写上单位名称（合并单元格的，写在第一行）")
                continue
            rows[-1] = previous = _merge(previous, values, line)
            continue
        if previous is not None and unit == previous.unit:  # merged in the sheet, or repeated
            rows[-1] = previous = _merge(previous, values, line)
            continue
        if not values:
            diagnostics.warning(shown, line, f"“{unit}”没有填写任何联系方式",
                                "在这一行填上电话等，或删掉这一行")
            previous = None
            continue
        previous = ContactRow(line, unit, values, (line,))
        rows.append(previous)
    columns_written = {name: header_cells[col] for name, col in columns.items()}
    return ContactTable(shown, header_line, columns_written, title, tuple(rows))


def _merge(row: ContactRow, values: dict[str, str], line: int) -> ContactRow:
    return ContactRow(row.line, row.unit, merge_fields(row.fields, values), (*row.lines, line))


def merge_fields(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """Both rows' values: a unit's second number is added to its first (0349-1、0349-2)."""
    merged = dict(old)
    for name, value in new.items():
        parts = merged[name].split(JOINERS.get(name, "；")) if merged.get(name) else []
        if value not in parts:
            merged[name] = JOINERS.get(name, "；").join([*parts, value])
    return merged
