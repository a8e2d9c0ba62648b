"""The text of a source file, whatever its format: .txt, .html/.htm, .docx, .pdf.

One small reader per format turns the file's bytes into lines of text, one paragraph a line
(a table row is one line, its cells separated by a space), the way the .txt sources are written:
- .txt: UTF-8 (with or without BOM) or GB18030 (sourcefile.decode);
- .html/.htm: a page saved from a government site; readability-lxml finds the article body,
  so navigation, related links and footers are dropped;
- .docx: python-docx, paragraphs and tables in the order they stand;
- .pdf: the text layer, read by pdfminer.six (which keeps CJK text and reading order as
  printed); a printed line that runs to the right margin is joined with the next one unless
  that one starts indented (so a paragraph is one line again); the page furniture is left out:
  page numbers, and running headers and footers (a line set apart at the same edge of most
  pages, its numbers aside), found from the pages' layout, not from a list of words, so that a
  measure running over a page break reads as one paragraph; a PDF without a text layer (a scan)
  is an error saying what to do.

The source file stays as it is (the provenance). The text read from a file that is not .txt is
kept beside it as `<name>.txt` (text_name), written by import: cards point at lines of that
text, and the build reads it rather than the original, so a document's page and its cards
always come from the same text. Editors may correct it; import keeps their corrections
(importer/kepttext.py).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from .sourcefile import SourceDecodeError, decode

TEXT_SUFFIX = ".txt"
SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


class SourceFormatError(SourceDecodeError):
    """A source file that cannot be read as text: the message names the file, the hint what to do."""

    def __init__(self, message: str, hint: str, line: int = 0):
        super().__init__(message)
        self.hint = hint
        self.line = line


def readable(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def text_name(name: str) -> str:
    """The file that holds the text import read from `name`: itself for .txt, else `<name>.txt`."""
    return name if name.lower().endswith(TEXT_SUFFIX) else name + TEXT_SUFFIX


def read_file(path: Path) -> str:
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise SourceFormatError(f"导入读不了 {name} 这种格式（{suffix or '没有扩展名'}）",
                                f"把它另存为以下格式之一：{'、'.join(SUFFIXES)}")
    text = reader(data, name)
    return text if reader is _txt else _tidy(text)  # a .txt is read as it is: its lines are the cards' lines


def _tidy(text: str) -> str:
    """Lines without trailing blanks, no more than one empty line in a row, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def _txt(data: bytes, name: str) -> str:
    try:
        return decode(data, name)
    except SourceDecodeError as exc:
        try:
            data.decode("utf-8")
            line = 0
        except UnicodeDecodeError as bad:
            line = data[:bad.start].count(b"\n") + 1
        raise SourceFormatError(str(exc), exc.hint, line) from None


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _page_text(data: bytes, name: str) -> str:
    """UTF-8 when the bytes are UTF-8 (a saved page may keep a stale charset label), else the
    declared charset (GB2312 and GBK read as GB18030, their superset), else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "gb18030"
    encoding = "gb18030" if encoding in ("gb2312", "gbk", "utf-8", "utf8") else encoding
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return decode(data, name)


def _html(data: bytes, name: str) -> str:
    from lxml import html
    from readability import Document

    page = _XML_DECLARATION.sub("", _page_text(data, name), count=1)  # lxml refuses one in a str
    if not page.strip():
        raise SourceFormatError(f"{name} 是空的", "从网站上重新保存这个网页")
    try:
        article = Document(page).summary(html_partial=True)
        tree = html.fragment_fromstring(article, create_parent="div")
    except Exception as exc:  # readability and lxml fail in many ways on a damaged page
        raise SourceFormatError(f"{name} 无法作为网页读取（{type(exc).__name__}: {exc}）",
                                "从网站上重新保存这个网页，或把它的文字复制到一个 .txt 文件里") from None
    for cut in tree.xpath("//script|//style"):
        cut.drop_tree()
    return _block_text(tree)


_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
           "article", "blockquote", "pre", "ul", "ol", "dd", "dt", "center"}


_SPACES = re.compile(r"[ \t\r\n\xa0]+")  # as a browser shows them: one space


def _block_text(tree) -> str:
    """The text of an HTML tree, a line per block element (p, div, li, table row, br)."""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if tag in ("td", "th"):
            parts.append(" ")
        if element.text and tag:
            parts.append(_SPACES.sub(" ", element.text))
        for child in element:
            walk(child)
            if child.tail:
                parts.append(_SPACES.sub(" ", child.tail))
        if block:
            parts.append("\n")

    walk(tree)
    return "\n".join(line.strip(" ") for line in "".join(parts).split("\n"))


def _docx(data: bytes, name: str) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a damaged file fails anywhere in the zip, XML or package reader
        raise SourceFormatError(f"{name} 无法作为 Word 文档读取（{type(exc).__name__}: {exc}）",
                                "用 Word 或 WPS 打开它，重新保存为 .docx（旧的 .doc 也要另存为 .docx）") from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:  # a merged cell appears once per column it spans
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                lines.append(" ".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf(data: bytes, name: str) -> str:
    from pdfminer.high_level import extract_pages

    try:
        pages = [_page_lines(page) for page in extract_pages(io.BytesIO(data))]
    except Exception as exc:  # pdfminer raises its own classes (and others) for encrypted or broken files
        raise SourceFormatError(f"{name} 无法作为 PDF 读取（{type(exc).__name__}: {exc}）",
                                "重新下载，或索取文字版（Word 或网页）") from None
    ocr = (f"先做文字识别（OCR，例如 ocrmypdf --language chi_sim {name} out.pdf），再添加识别结果，"
           "或索取文字版（Word、网页或带文字层的 PDF）")
    text = "".join(line.text for page in pages for line in page.lines)
    if not text.strip():
        raise SourceFormatError(f"{name} 没有文字层：它是扫描的图片，导入从中找不到文字", ocr)
    if text.count(UNREADABLE) > 0.3 * len("".join(text.split())):
        raise SourceFormatError(f"{name} 的文字层读不出来：它的字体没有说明每个字形是哪个字", ocr)
    furniture = _page_furniture(pages)
    return _paragraphs([line for page, drop in zip(pages, furniture) for line in _printed_lines(page, drop)])


_CID = re.compile(r"\(cid:\d+\)")  # how pdfminer shows a glyph its font maps to no character
UNREADABLE = "\ufffd"
_PARAGRAPH_END = tuple("。；;：:！？!?”）)】")
_PAGE_NUMBER = re.compile(r"^[\s\-—–－_]*(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)[\s\-—–－_]*$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    y0: float  # pdfminer's coordinates: y grows upwards from the page's foot
    x1: float
    y1: float


@dataclass(frozen=True)
class _Page:
    width: float
    height: float
    lines: tuple[_Line, ...]  # in pdfminer's reading order


def _page_lines(page) -> _Page:
    from pdfminer.layout import LTTextContainer, LTTextLine

    lines = tuple(_Line(_CID.sub(UNREADABLE, line.get_text().rstrip("\n")).rstrip(), line.x0, line.y0, line.x1, line.y1)
                  for box in page if isinstance(box, LTTextContainer)
                  for line in box if isinstance(line, LTTextLine) and line.get_text().strip())
    return _Page(page.width, page.height, lines)


def _edges(page: _Page) -> set[int]:
    """The lines set apart at the top or the foot of a page (running headers, footers, page
    numbers): up to 3 lines above the first gap wider than the page's usual space between lines,
    and likewise at the foot, as long as the body keeps at least as many lines as they have."""
    order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].y1)
    rows = [order[0]] if order else []
    for i in order[1:]:  # lines side by side (cells, a header in two parts) count as one row
        if page.lines[i].y1 < page.lines[rows[-1]].y0 + 1:
            rows.append(i)
    spaces = [page.lines[a].y0 - page.lines[b].y1 for a, b in zip(rows, rows[1:])]
    heights = sorted(page.lines[i].y1 - page.lines[i].y0 for i in rows)
    if len(rows) < 3 or not heights:
        return set()
    usual = max(sorted(spaces)[len(spaces) // 2], 0.0) + heights[len(heights) // 2] * 0.8
    edges: set[int] = set()
    for ends, gaps in ((rows, spaces), (rows[::-1], spaces[::-1])):
        for n, gap in enumerate(gaps[:3], start=1):
            if gap > usual and n * 2 <= len(rows):
                same_row = {i for i in order if any(abs(page.lines[i].y1 - page.lines[r].y1) < 1 for r in ends[:n])}
                edges |= same_row
                break
    return edges


def _page_furniture(pages: list[_Page]) -> list[set[int]]:
    """Per page, the lines that are not the document's text: at a page's edge (_edges), a page
    number, or a line that stands at the same place at the same edge of most pages (a running
    header or footer, such as the document's short title or its issuer; numbers in it may change
    from page to page). The same words elsewhere on a page (the title under page 1's top margin)
    are text."""
    edges = [_edges(page) for page in pages]
    places: dict[tuple[str, bool], list[tuple[int, int, float]]] = {}
    for n, (page, found) in enumerate(zip(pages, edges)):
        for i in found:
            line = page.lines[i]
            key = _DIGITS.sub("#", "".join(line.text.split())), line.y0 > page.height / 2
            places.setdefault(key, []).append((n, i, line.y0 / page.height))
    out: list[set[int]] = [set() for _ in pages]
    for spots in places.values():
        usual = sorted(y for _, _, y in spots)[len(spots) // 2]
        same = [(n, i) for n, i, y in spots if abs(y - usual) < 0.01]
        if len({n for n, _ in same}) >= 2 and len({n for n, _ in same}) * 2 >= len(pages):
            for n, i in same:
                out[n].add(i)
    for page, found, drop in zip(pages, edges, out):
        drop |= {i for i in found if _PAGE_NUMBER.match(page.lines[i].text)}
        drop |= {i for i, line in enumerate(page.lines)  # a page number in the margin, set apart or not
                 if (line.y1 < page.height * 0.12 or line.y0 > page.height * 0.88) and _PAGE_NUMBER.match(line.text)}
    return out


def _printed_lines(page: _Page, drop: set[int]) -> list[tuple[str, bool, bool]]:
    """A page's lines in reading order as (text, runs to the right margin, starts indented),
    without its furniture."""
    found = [line for i, line in enumerate(page.lines) if i not in drop]
    if not found:
        return []
    left = min(line.x0 for line in found)
    right = page.width - left  # the right margin mirrors the left one, as in GB/T 9704 layouts
    out = []
    for line in found:
        text = line.text
        width = line.x1 - line.x0
        size = max(width / len(text) if len(text) >= 10 else line.y1 - line.y0, 1.0)  # a character's width
        # Line breaking rules keep a closing mark off a line's start: a full line can end 2 characters short.
        # A word or number kept whole can leave more, but then the line does not end a sentence.
        short = right - line.x1
        full = short <= 2.5 * size or (short <= 6 * size and not text.endswith(_PARAGRAPH_END))
        out.append((text, full, line.x0 > left + 0.8 * size))
    return out


def _paragraphs(lines: list[tuple[str, bool, bool]]) -> str:
    """One paragraph a line: a printed line that runs to the right margin goes on in the next
    one, unless that one starts indented (a new paragraph)."""
    out: list[str] = []
    joining = False
    for text, full, indented in lines:
        if joining and not indented and out:
            last = out[-1]
            space = " " if last[-1:].isascii() and last[-1:].isalnum() and text[:1].isascii() and text[:1].isalnum() else ""
            out[-1] = last + space + text.lstrip()
        else:
            out.append(text)
        joining = full
    return "\n".join(out)


_READERS = {".txt": _txt, ".html": _html, ".htm": _html, ".docx": _docx, ".pdf": _pdf}
