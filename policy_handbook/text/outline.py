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

from .numerals import NUMERAL_CHARS, parse_number
from .reading import reading_form

_CN = f"[{NUMERAL_CHARS}]+"
_NUM = f"(?:{_CN}|\\d+)"

# kind -> (rank, pattern). Lower rank = outer level. Matched against the reading form
# (reading.py: simplified characters, half-width digits and brackets), which allows spaces
# inside a label as PDF extraction leaves them: `( 二)`, `第 3 条`.
MARKERS: dict[str, tuple[int, re.Pattern[str]]] = {
    "series": (0, re.compile(
        rf"^(?P<label>[“\"《][^”\"》]{{1,20}}[”\"》])之(?P<group>\S.{{0,40}}?)\s*"
        rf"(?P<printed>第(?P<n>{_NUM})期)$")),
    "chapter": (1, re.compile(rf"^(?P<printed>第\s*(?P<n>{_NUM})\s*章)\s*(?P<rest>.*)$")),
    "section": (2, re.compile(rf"^(?P<printed>第\s*(?P<n>{_NUM})\s*节)\s*(?P<rest>.*)$")),
    # an article: 第一条 and a space (第一条主线… is prose)
    "article": (3, re.compile(rf"^(?P<printed>第\s*(?P<n>{_NUM})\s*条)\s+(?P<rest>\S.*)$")),
    "cn": (4, re.compile(rf"^(?P<printed>(?P<n>{_CN}))\s*、\s*(?P<rest>.+)$")),
    "cn_paren": (5, re.compile(rf"^(?P<printed>\(\s*(?P<n>{_CN})\s*\))\s*(?P<rest>.+)$")),
    "arabic": (6, re.compile(r"^(?P<printed>(?P<n>\d{1,3}))\s?[.、]\s*(?!\d)(?P<rest>.+)$")),
    "arabic_paren": (7, re.compile(r"^(?P<printed>\(\s*(?P<n>\d{1,3})\s*\))\s*(?P<rest>.+)$")),
    "arabic_close": (7, re.compile(r"^(?P<printed>(?P<n>\d{1,2})\))\s*(?!\d)(?P<rest>.+)$")),
    "circled": (8, re.compile(r"^(?P<printed>(?P<n>[\u2460-\u2473]))\s*(?P<rest>.+)$")),
}
SUBPOINT_KINDS = ("arabic_paren", "arabic_close", "circled")

# Typesetting codes such as 〖JP2〗, and private-use characters left by typesetting software.
ARTIFACT = re.compile(r"〖[^〗]{0,20}〗|[\ue000-\uf8ff]")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?$")
CLOSING_START = re.compile(r"^(抄送|抄报|印发)[:：]")
SENTENCE_PUNCT = re.compile(r"[。；;，,：:！？]")
GENERAL_HEADING = re.compile(r"(总体要求|指导思想|基本原则|主要原则|目标任务|总体目标|工作目标|总则)")
CONNECTIVE_END = ("的", "和", "与", "及", "、", "暨")
MAX_HEADING_CHARS = 40
MAX_FIRST_NUMBER = 20  # an excerpt starting mid-sequence: （四）, 7.


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str  # cleaned: outer white space and typesetting artifacts removed


@dataclass(frozen=True)
class Marker:
    kind: str
    rank: int
    value: int
    printed: str  # the number as printed: "19", "（四）", "第一期"
    rest: str  # the text after the number on the same line
    label: str = ""  # series only: “48条”
    group: str = ""  # series only: the group name


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
        sep = "" if m.kind in ("cn_paren", "arabic_paren") else ("、" if m.kind == "cn" else
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


def clean_line(raw: str) -> str:
    return ARTIFACT.sub("", raw).strip().strip("\u3000\ufeff").strip()


def split_lines(text: str) -> list[Line]:
    return [Line(i, clean_line(raw)) for i, raw in enumerate(text.splitlines(), start=1)]


def find_boilerplate(lines: list[Line]) -> set[str]:
    """Short unnumbered lines that repeat three or more times: a series' header and footer."""
    counts = Counter(ln.text for ln in lines if ln.text)
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


def match_marker(text: str) -> Marker | None:
    """The number a line starts with, read in the reading form; printed and rest as printed."""
    reading = reading_form(text)
    for kind, (rank, pattern) in MARKERS.items():
        m = pattern.match(reading)
        if not m:
            continue
        n = m.group("n")
        value = ord(n) - 0x245F if kind == "circled" else parse_number(n)
        if value is None:
            continue

        def original(name: str) -> str:
            return text[m.start(name):m.end(name)] if m.groupdict().get(name) is not None else ""
        return Marker(kind, rank, value, original("printed"), original("rest").strip(),
                      original("label"), original("group").strip())
    return None


class _Sequences:
    """Accept a numbered line when it continues its kind's sequence, restarts at 1, repeats
    the number just before it (a repeat gets a card of its own), or is the first of its kind
    (an excerpt may start at （四））."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], int] = {}

    def accepts(self, m: Marker) -> bool:
        key = (m.kind, m.group if m.kind == "series" else "")
        previous = self.last.get(key)
        if previous is None:
            return m.value == 1 or m.value <= MAX_FIRST_NUMBER
        return m.value in (1, previous, previous + 1)

    def record(self, m: Marker) -> None:
        self.last[(m.kind, m.group if m.kind == "series" else "")] = m.value


def read_outline(text: str) -> Outline:
    lines = split_lines(text)
    boilerplate = find_boilerplate(lines)
    closing_from = find_closing(lines)
    root = Node(marker=None, line=0)
    stack: list[Node] = []
    sequences = _Sequences()
    roles: dict[int, LineRole] = {}
    for ln in lines:
        if not ln.text:
            roles[ln.number] = LineRole("blank")
            continue
        if ln.number >= closing_from:
            roles[ln.number] = LineRole("closing")
            continue
        if ln.text in boilerplate:
            roles[ln.number] = LineRole("boilerplate")
            continue
        marker = match_marker(ln.text)
        if marker and sequences.accepts(marker):
            sequences.record(marker)
            while stack and stack[-1].marker.rank >= marker.rank:
                stack.pop()
            node = Node(marker=marker, line=ln.number)
            (stack[-1] if stack else root).children.append(node)
            stack.append(node)
            roles[ln.number] = LineRole("item", marker.rank)
            continue
        current = stack[-1] if stack else root
        if _continues_heading(current, ln.text):
            current.heading_extra.append(ln.text)
            roles[ln.number] = LineRole("heading", current.marker.rank)
        else:
            current.paragraphs.append(ln)
            roles[ln.number] = LineRole("paragraph")
    _mark_headings(root, roles)
    return Outline(root, roles, lines, sorted(boilerplate))


def _continues_heading(node: Node, text: str) -> bool:
    """A short line right after a heading, with no sentence in it, is its subtitle or tail."""
    m = node.marker
    return (m is not None and m.kind != "series" and not node.paragraphs and not node.children
            and "。" not in m.rest and len(text) <= MAX_HEADING_CHARS
            and not SENTENCE_PUNCT.search(text))


def _mark_headings(node: Node, roles: dict[int, LineRole]) -> None:
    for child in node.children:
        if not is_measure(child):
            roles[child.line] = LineRole("heading", child.marker.rank)
        _mark_headings(child, roles)


def is_general_heading(text: str) -> bool:
    """总体要求, 指导思想, 总则 … in any script and spacing (第一章 總 則)."""
    return GENERAL_HEADING.search(re.sub(r"\s+", "", reading_form(text))) is not None


def is_measure(node: Node) -> bool:
    """A measure is a numbered leaf that states something: a series issue, or a sentence."""
    m = node.marker
    if m is None or node.children:
        return False
    return m.kind == "series" or "。" in m.rest


def heading_parts(node: Node) -> list[str]:
    """A heading and its subtitle lines; a line ending in 的/和/与 continues onto the next."""
    parts = [node.heading]
    for extra in node.heading_extra:
        if parts[-1].endswith(CONNECTIVE_END):
            parts[-1] += extra
        else:
            parts.append(extra)
    return parts


def walk_measures(node: Node, ancestors: tuple[Node, ...] = ()):
    """Yield (measure node, its ancestors) in document order."""
    for child in node.children:
        if is_measure(child):
            yield child, ancestors
        else:
            yield from walk_measures(child, ancestors + (child,))
