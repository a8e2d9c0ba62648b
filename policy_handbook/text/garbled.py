"""Text whose punctuation a converter garbled: `、` `,` `.` `。` and spaces stand for each other.

Such a text (a page run through a bad converter, often as one line) still numbers its parts, but
`一,` stands both for `一、` and for `（一）` (the brackets are lost), and the separator after a
heading may be a comma, a full stop or a space (`三 土壤污染防治行动 到2020年`). It is recognised by
full stops between Chinese characters (`出发点.不断改善`) in a text that prints no `一、` at all.
Its numbers are read as a careful reader restores them: a number counts only where its sequence
goes on (`一` `二` `三`), and a `一` right after a heading with nothing of its own (`二,工作目标,`)
starts the level below it. An item's title is its text up to the first stop or space.
"""
from __future__ import annotations

import re

from .markers import _CN, MARKERS, Marker
from .numerals import parse_number
from .reading import reading_form

HAN = "\u4e00-\u9fff"
GARBLED_STOP = re.compile(rf"(?<=[{HAN}])\.(?=[{HAN}])")
MIN_GARBLED_STOPS = 3
STANDARD_CN = re.compile(rf"(?:^|[。；;\s]){_CN}\s*、")
CANDIDATE = re.compile(rf"(?:^|(?<=[、,.。;；\s]))(?P<n>{_CN})[,\s]\s*(?=[{HAN}])")
TITLE_END = re.compile(r"[\s.。]")
TRAILING = ",、，"
MAX_HEADING_CHARS = 12  # `工作目标,`: a heading with nothing of its own before the level below it

Piece = tuple[Marker | None, str]


def is_garbled(text: str) -> bool:
    reading = reading_form(text)
    return len(GARBLED_STOP.findall(reading)) >= MIN_GARBLED_STOPS and not STANDARD_CN.search(reading)


def _numbers(reading: str) -> list[tuple[int, int, int, int]]:
    """(start, end, value, level) of each number that goes on a sequence: level 0 for 一, 二 …,
    1 for the level below, opened by a 一 right after a bare heading."""
    found: list[tuple[int, int, int, int]] = []
    top = sub = None
    for m in CANDIDATE.finditer(reading):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        if found:
            heading = reading[found[-1][1]:m.start()].strip().rstrip(TRAILING + ".")
            bare = found[-1][3] == 0 and len(heading) <= MAX_HEADING_CHARS and not TITLE_END.search(heading)
        else:
            bare = False
        if sub is not None and value == sub + 1 or value == 1 and bare:
            sub, level = value, 1
        elif (top is None and value == 1) or (top is not None and value == top + 1):
            top, sub, level = value, None, 0
        else:
            continue
        found.append((m.start(), m.end(), value, level))
    return found


def split_garbled(text: str) -> list[Piece]:
    """The line's numbered items, each as (marker, "") followed by (None, the rest of its text),
    and the text before the first as (None, text). Empty when no number goes on a sequence."""
    reading = reading_form(text)
    numbers = _numbers(reading)
    if not numbers:
        return []
    pieces: list[Piece] = []
    if text[:numbers[0][0]].strip():
        pieces.append((None, text[:numbers[0][0]].strip()))
    for i, (start, end, value, level) in enumerate(numbers):
        stop = numbers[i + 1][0] if i + 1 < len(numbers) else len(text)
        own = text[end:stop]
        cut = TITLE_END.search(reading_form(own))
        title, rest = (own[:cut.start()], own[cut.end():]) if cut else (own, "")
        kind = "cn" if level == 0 else "cn_paren"
        printed = text[start:start + len(re.match(_CN, reading[start:]).group(0))]
        pieces.append((Marker(kind, MARKERS[kind][0], value, printed, title.strip().rstrip(TRAILING)), ""))
        if rest.strip():
            pieces.append((None, rest.strip()))
    return pieces
