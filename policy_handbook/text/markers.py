"""The numbers that start the parts of a policy document, and the sequences they form.

Ranked from the outermost in: 第一章 > 第一节 > 第一条 > 一、 > （一） > 1. > (1) 1） > ①, and a
knowledge-card series' header “48条”之<group> 第N期. A numbered line counts only when it continues
its kind's sequence (Sequences). Pure: text in, marker out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import NUMERAL_CHARS, parse_number
from .reading import reading_form

_CN = f"[{NUMERAL_CHARS}]+"
_NUM = f"(?:{_CN}|\\d+)"
# What follows an Arabic item number: the full stop or 、, or a look-alike a typesetter or a
# converter left (﹒ small full stop, ﹑ small and ､ half-width ideographic commas; ． reads as .).
ARABIC_STOP = "[.、\ufe52\ufe51\uff64]"

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
    # （一） whose opening bracket a copy lost: 一）
    "cn_close": (5, re.compile(rf"^(?P<printed>(?P<n>{_CN})\))\s*(?P<rest>.+)$")),
    # 1. / 1、, or a task table's 序号 and its cell border: `1 | 坚持服务…`
    "arabic": (6, re.compile(rf"^(?P<printed>(?P<n>\d{{1,3}}))(?:\s?{ARABIC_STOP}|\s*\|)\s*+(?!\d)(?P<rest>.+)$")),
    "arabic_paren": (7, re.compile(r"^(?P<printed>\(\s*(?P<n>\d{1,3})\s*\))\s*(?P<rest>.+)$")),
    "arabic_close": (7, re.compile(r"^(?P<printed>(?P<n>\d{1,2})\))\s*(?!\d)(?P<rest>.+)$")),
    "circled": (8, re.compile(r"^(?P<printed>(?P<n>[\u2460-\u2473]))\s*(?P<rest>.+)$")),
}
SUBPOINT_KINDS = ("arabic_paren", "arabic_close", "circled")
# 一, / 一. (一，一．in the reading form): a section number whose 、 a copy turned into a comma or a
# full stop. Read so only in a text that prints no 一、 and numbers both 一 and 二 so.
LOOSE_CN = re.compile(rf"^(?P<printed>(?P<n>{_CN}))\s*[,.]\s*+(?![\d{NUMERAL_CHARS}])(?P<rest>.+)$")
MAX_FIRST_NUMBER = 20  # an excerpt starting mid-sequence: （四）, 7.
CELL_BORDER = re.compile(r"\s*[|｜]+$")  # a flattened table's cell ends with its border: `…见效。 |`


def strip_cell_border(text: str) -> str:
    return CELL_BORDER.sub("", text.strip()).strip()


@dataclass(frozen=True)
class Marker:
    kind: str
    rank: int
    value: int
    printed: str  # the number as printed: "19", "（四）", "第一期"
    rest: str  # the text after the number on the same line
    label: str = ""  # series only: “48条”
    group: str = ""  # series only: the group name


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
        return Marker(kind, rank, value, original("printed"), strip_cell_border(original("rest")),
                      original("label"), original("group").strip())
    return None


class Sequences:
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


def match_loose_cn(text: str) -> Marker | None:
    """A line starting 一, or 一. as a section number (see LOOSE_CN), or None."""
    m = LOOSE_CN.match(reading_form(text))
    value = parse_number(m.group("n")) if m else None
    if value is None:
        return None
    return Marker("cn", MARKERS["cn"][0], value, text[m.start("printed"):m.end("printed")],
                  strip_cell_border(text[m.start("rest"):]))


def prints_loose_cn(texts: list[str]) -> bool:
    """Whether a text numbers its sections 一, 二, (or 一. 二.) instead of 一、 二、."""
    values = {m.value for text in texts if (m := match_loose_cn(text))}
    return {1, 2} <= values and not any((m := match_marker(text)) and m.kind == "cn" for text in texts)
