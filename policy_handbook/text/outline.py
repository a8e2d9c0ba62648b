"""The outline of a policy document: its headings, numbered items and paragraphs.

Policy documents of this genre number their parts with a small set of conventions, ranked
from the outermost in: 第一章 > 第一节 > 一、 > （一） > 1. > (1). A knowledge-card series
instead repeats a header such as “48条”之<group> 第N期. This module recognises those
conventions in any text (never by file name), keeps a numbered line only when it continues
a sequence, and returns a tree. It is pure: text in, outline out.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .garbled import is_garbled, split_garbled
from .markers import (_CN, _NUM, ARABIC_STOP, MARKERS, SUBPOINT_KINDS, Marker, Sequences, match_loose_cn, match_marker,
                      prints_loose_cn, strip_cell_border)
from .reading import reading_form
from .tables import TableHeader, find_header, read_row


# Typesetting codes such as 〖JP2〗, and private-use characters left by typesetting software.
ARTIFACT = re.compile(r"〖[^〗]{0,20}〗|[\ue000-\uf8ff]")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?$")
CN_DATE_LINE = re.compile(r"^[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月([一二三四五六七八九十]{1,3}日)?$")
CLOSING_START = re.compile(r"^(抄送|抄报|印发)[:：]")
SENTENCE_PUNCT = re.compile(r"[。；;，,：:！？]")
GENERAL_HEADING = re.compile(r"(总体要求|指导思想|基本原则|主要原则|目标任务|总体目标|工作目标|总则)")
CONNECTIVE_END = ("的", "和", "与", "及", "、", "暨")
MAX_HEADING_CHARS = 40
RUN_TOGETHER_CHARS = 300  # a line this long with numbered items inside is a page copied as one line
RUN_TOGETHER_SPLIT = re.compile(
    rf"(?:[。;；)）】]\s*|\s+)(?=第\s*{_NUM}\s*条\s|{_CN}、|\(\s*{_CN}\s*\)|\d{{1,3}}{ARABIC_STOP}(?!\d))")
TABLE_HEAD = re.compile(r"^序\s*号")  # a task table's header starts with its 序号 column
CONTINUING_SPLIT = re.compile(
    rf"[。;；)）】]\s*(?=第\s*{_NUM}\s*条\s|{_CN}、|\(\s*{_CN}\s*\)|\d{{1,3}}{ARABIC_STOP}(?!\d)|\(\s*\d{{1,3}}\s*\))")
BARE_NUMBER = re.compile(r"^(\d{1,3})\s*\|?$")  # a 序号 cell, with its border when the table has them
NOTICE_CUE = re.compile(r"印发给你们|现印发|现将.{0,80}(印发|下达|分解)")
NOTE_OPENERS = ("(", "（", "〔", "[", "【")
FIELD_LINE = re.compile(r"^\S{2,8}[:：]")  # 责任单位：… 牵头单位:…
ATTRIBUTION = re.compile(r"牵头|责任单位|责任部门|配合单位|主责|负责")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str  # cleaned: outer white space and typesetting artifacts removed


@dataclass
class Node:
    marker: Marker | None  # None for the document root
    line: int
    heading_extra: list[str] = field(default_factory=list)  # subtitle lines under a heading
    paragraphs: list[Line] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The heading as printed, continuation lines joined."""
        if self.marker is None:
            return ""
        m = self.marker
        if m.kind == "series":
            return f"{m.label}之{m.group}"
        sep = "" if m.kind in ("cn_paren", "cn_close", "arabic_paren") else ("、" if m.kind == "cn" else
                                                                  "." if m.kind == "arabic" else " ")
        return f"{m.printed}{sep}{m.rest}".strip()


@dataclass(frozen=True)
class LineRole:
    """What each source line is, for rendering the full text of a document."""

    kind: str  # "heading", "item", "paragraph", "boilerplate", "closing", "blank"
    rank: int = 0


@dataclass
class Outline:
    root: Node
    roles: dict[int, LineRole]
    lines: list[Line]
    boilerplate: list[str]  # repeated header/footer lines that are not card text
    dropped: list[tuple[int, str]] = field(default_factory=list)  # numbered lines read as no item


def clean_line(raw: str) -> str:
    return ARTIFACT.sub("", raw).strip().strip("\u3000\ufeff").strip()


def split_lines(text: str) -> list[Line]:
    return [Line(i, clean_line(raw)) for i, raw in enumerate(text.splitlines(), start=1)]


def find_boilerplate(lines: list[Line]) -> set[str]:
    """Short unnumbered lines that repeat three or more times: a series' header and footer (not
    a task table's cells, which repeat too: 全年 |)."""
    counts = Counter(ln.text for ln in lines if ln.text and "|" not in ln.text)
    return {text for text, n in counts.items()
            if n >= 3 and len(text) <= MAX_HEADING_CHARS and not SENTENCE_PUNCT.search(text)
            and match_marker(text) is None}


def find_closing(lines: list[Line]) -> int:
    """The line number where the closing block (signature, date, 抄送) starts, or past the end."""
    end = len(lines) + 1
    for ln in lines:
        if CLOSING_START.match(ln.text):
            return ln.number
    texts = [ln for ln in lines if ln.text]
    if texts and DATE_LINE.match(texts[-1].text):
        end = texts[-1].number
        if len(texts) > 1 and _is_signature(texts[-2].text):
            end = texts[-2].number
    return end


def _is_signature(text: str) -> bool:
    return len(text) <= MAX_HEADING_CHARS and not SENTENCE_PUNCT.search(text) and match_marker(text) is None


def find_notice_end(lines: list[Line], closing_from: int) -> tuple[int, int]:
    """(first, last) line of the issuing notice's numbered requests, or (0, 0).

    A notice that prints the plan (现印发给你们, 现将…下达给你们) ends at its date line; when
    numbered lines follow that date, those before it are the notice's requests, not measures.
    """
    cue = 0
    for ln in lines:
        if ln.number >= closing_from:
            break
        if not cue and NOTICE_CUE.search(reading_form(ln.text)):
            cue = ln.number
        elif cue and (DATE_LINE.match(ln.text) or CN_DATE_LINE.match(ln.text)):
            later = any(match_marker(x.text) for x in lines if ln.number < x.number < closing_from)
            return (cue, ln.number) if later else (0, 0)
    return 0, 0


def split_run_together(text: str, document_chars: int = 0) -> list[str]:
    """A line holding several numbered items (a page copied as one paragraph): a number after
    。, ；, a closing bracket or a space starts a new item. Only a long line that holds a third
    of the document is read so; an ordinary paragraph keeps its inline (一)…；(二)…."""
    if len(text) < max(RUN_TOGETHER_CHARS, document_chars / 3):
        return _split_continuing(text)
    starts = [m.end() for m in RUN_TOGETHER_SPLIT.finditer(reading_form(text))]
    if len(starts) < 2:
        return [text]
    return _cut(text, starts)


def _split_continuing(text: str) -> list[str]:
    """A numbered line whose next items follow after its 。, ； or closing bracket
    (`1.降低用地成本。…。2.降低用电成本。…`): a number of the line's own kind that goes on its
    sequence starts a new item. Other numbers inside (a 1. item's (一)…；(二)…) stay."""
    first = match_marker(text)
    if first is None or first.kind == "series":
        return [text]
    starts, expected = [], first.value + 1
    for m in CONTINUING_SPLIT.finditer(reading_form(text)):
        following = match_marker(text[m.end():])
        if following and following.kind == first.kind and following.value == expected:
            starts.append(m.end())
            expected += 1
    return _cut(text, starts) if starts else [text]


def _cut(text: str, starts: list[int]) -> list[str]:
    bounds = [0, *starts, len(text)]
    return [part for i in range(len(bounds) - 1) if (part := text[bounds[i]:bounds[i + 1]].strip())]


def read_outline(text: str) -> Outline:
    lines = split_lines(text)
    boilerplate = find_boilerplate(lines)
    closing_from = find_closing(lines)
    notice = find_notice_end(lines, closing_from)
    chars = sum(len(ln.text) for ln in lines)
    root = Node(marker=None, line=0)
    stack: list[Node] = []
    sequences = Sequences()
    roles: dict[int, LineRole] = {}
    dropped: list[tuple[int, str]] = []
    taken: set[int] = set()
    garbled = is_garbled(text)
    loose = prints_loose_cn([ln.text for ln in lines if ln.number < closing_from])
    table_from = next((ln.number for ln in lines if TABLE_HEAD.match(reading_form(ln.text))), len(lines) + 1)
    header = find_header([(ln.number, ln.text) for ln in lines if ln.number < closing_from])
    for index, ln in enumerate(lines):
        if ln.number in taken:
            continue
        if not ln.text:
            roles[ln.number] = LineRole("blank")
            continue
        if ln.number >= closing_from:
            roles[ln.number] = LineRole("closing")
            continue
        if ln.text in boilerplate:
            roles[ln.number] = LineRole("boilerplate")
            continue
        cell = _table_cell(lines, index, closing_from, sequences, table_from)
        if cell is not None:
            taken.add(cell[1])
            roles[cell[1]] = LineRole("item", cell[0].rank)
            pieces = [(cell[0], ln.text)]
        else:
            pieces = _table_row(ln, header, sequences) or _garbled_pieces(ln, garbled) or [
                (match_marker(part) or (loose and match_loose_cn(part)) or None, part)
                for part in split_run_together(ln.text, chars)]
        for marker, part in pieces:
            if marker and notice[0] < ln.number < notice[1]:
                dropped.append((ln.number, f"“{marker.printed}”读作印发通知里的要求，不是措施"))
                marker = None
            elif marker and not sequences.accepts(marker):
                dropped.append((ln.number, f"“{marker.printed}”接不上前面的编号"))
                marker = None
            if marker:
                sequences.record(marker)
                while stack and stack[-1].marker.rank >= marker.rank:
                    stack.pop()
                node = Node(marker=marker, line=ln.number)
                (stack[-1] if stack else root).children.append(node)
                stack.append(node)
                roles[ln.number] = LineRole("item", marker.rank)
                continue
            current = stack[-1] if stack else root
            if _continues_heading(current, part):
                current.heading_extra.append(part)
                roles.setdefault(ln.number, LineRole("heading", current.marker.rank))
            else:
                current.paragraphs.append(Line(ln.number, part))
                roles.setdefault(ln.number, LineRole("paragraph"))
    _mark_headings(root, roles, _measure_levels(root))
    return Outline(root, roles, lines, sorted(boilerplate), dropped)


def _table_cell(lines: list[Line], index: int, closing_from: int,
                sequences: "Sequences", table_from: int) -> tuple[Marker, int] | None:
    """A task table flattened to text: a line holding only its 序号 (`1`, `1 |`) starts the task
    on the next line. A bare number counts only below the table's 序号 header: elsewhere it is
    a page number. (marker, the task's line number) or None."""
    number = BARE_NUMBER.match(reading_form(lines[index].text))
    if not number or ("|" not in number.group(0) and lines[index].number < table_from):
        return None
    following = next((x for x in lines[index + 1:] if x.text), None)
    if following is None or following.number >= closing_from or match_marker(following.text):
        return None
    rank = MARKERS["arabic"][0]
    marker = Marker("arabic", rank, int(number.group(1)), lines[index].text[:number.end(1)],
                    strip_cell_border(following.text))
    return (marker, following.number) if sequences.accepts(marker) else None


def _table_row(ln: Line, header: TableHeader | None, sequences: Sequences) -> list[tuple[Marker | None, str]]:
    """A row of a table flattened to one line per row (tables.py): its task as the item, the
    cells after it as its paragraph; a row whose 序号 does not go on is left to the sequence check,
    which keeps it as a paragraph and reports it. Empty when the line is no row."""
    row = read_row(ln.text, header) if header is not None and ln.number > header.line else None
    if row is None:
        return []
    marker = Marker("arabic", MARKERS["arabic"][0], row.value, row.printed, row.task)
    return [(marker, ""), (None, row.rest)] if sequences.accepts(marker) else [(marker, ln.text)]


def _garbled_pieces(ln: Line, garbled: bool) -> list[tuple[Marker | None, str]]:
    """In a text with garbled punctuation (garbled.py), the items of a line that starts with no
    number of the usual kinds; empty otherwise."""
    return split_garbled(ln.text) if garbled and match_marker(ln.text) is None else []


def _continues_heading(node: Node, text: str) -> bool:
    """A short line right after a heading, with no sentence in it, is its subtitle or tail."""
    m = node.marker
    return (m is not None and m.kind != "series" and not node.paragraphs and not node.children
            and "。" not in m.rest and len(text) <= MAX_HEADING_CHARS
            and not SENTENCE_PUNCT.search(text))


def _mark_headings(node: Node, roles: dict[int, LineRole], levels: tuple[int, int | None]) -> None:
    for child in node.children:
        if not is_measure(child, levels):
            roles[child.line] = LineRole("heading", child.marker.rank)
            _mark_headings(child, roles, levels)


def is_general_heading(text: str) -> bool:
    """A heading that is 总体要求, 指导思想, 总则 … (not one that lists 工作目标 among other
    things), in any script and spacing (第一章 總 則)."""
    return GENERAL_HEADING.match(re.sub(r"\s+", "", reading_form(text))) is not None


def _states(node: Node) -> bool:
    """A numbered leaf that states something itself: a series issue, or a sentence."""
    m = node.marker
    return m is not None and not node.children and (m.kind == "series" or "。" in m.rest)


def _measure_levels(root: Node) -> tuple[int, int | None]:
    """(the top numbered level, the deepest level of items that state a sentence or None).
    Where no item states a sentence (headings over prose), the deepest level of such an item
    under a numbered heading stands for it: a top-level section with prose is then no measure."""
    ranks, stating, under = [], [], []

    def visit(node: Node) -> None:
        for child in node.children:
            if child.marker.kind not in ("chapter", "section"):
                ranks.append(child.marker.rank)
            if _states(child):
                stating.append(child.marker.rank)
            elif node.marker is not None and not child.children and child.paragraphs:
                under.append(child.marker.rank)
            visit(child)
    visit(root)
    deepest = stating or under
    return (min(ranks) if ranks else 0), (max(deepest) if deepest else None)


def folds_subpoints(node: Node) -> bool:
    """Sub-points (1) ① 1） followed by one attribution note on a line of its own are the body
    of the item above them; a sub-point that carries its own attribution is a measure."""
    kids = node.children
    if not kids or any(k.children or k.marker.kind not in SUBPOINT_KINDS for k in kids):
        return False
    note = kids[-1].paragraphs[-1].text if kids[-1].paragraphs else ""
    if not (note.startswith(NOTE_OPENERS) or FIELD_LINE.match(reading_form(note))) \
            or not ATTRIBUTION.search(reading_form(note)):
        return False
    own = [" ".join([k.marker.rest, *(p.text for p in k.paragraphs)]) for k in kids[:-1]]
    own.append(" ".join([kids[-1].marker.rest, *(p.text for p in kids[-1].paragraphs[:-1])]))
    return not any(ATTRIBUTION.search(reading_form(text)) for text in own)


def is_measure(node: Node, levels: tuple[int, int | None] = (0, None)) -> bool:
    """A measure is a numbered item that states something: a series issue, a sentence, or a
    line without 。 followed by prose or field lines (责任单位：…) at its level and no deeper
    numbering. A top-level section with prose is no measure when the measures stand below it."""
    m = node.marker
    if m is None:
        return False
    if _states(node) or folds_subpoints(node):
        return True
    if node.children or not node.paragraphs or m.kind in ("chapter", "section"):
        return False
    top, deepest = levels
    return not (m.rank == top and deepest is not None and deepest > m.rank)


def heading_parts(node: Node) -> list[str]:
    """A heading and its subtitle lines; a line ending in 的/和/与 continues onto the next."""
    parts = [node.heading]
    for extra in node.heading_extra:
        if parts[-1].endswith(CONNECTIVE_END):
            parts[-1] += extra
        else:
            parts.append(extra)
    return parts


def walk_measures(node: Node, ancestors: tuple[Node, ...] = (), levels: tuple[int, int | None] | None = None):
    """Yield (measure node, its ancestors) in document order."""
    levels = _measure_levels(node) if levels is None else levels
    for child in node.children:
        if is_measure(child, levels):
            yield child, ancestors
        else:
            yield from walk_measures(child, ancestors + (child,), levels)
