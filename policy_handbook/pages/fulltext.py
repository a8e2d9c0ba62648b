"""A document's full text as blocks for its page: headings, anchored measures, paragraphs.

The source text stays the provenance; its outline says which lines are headings, and each
card's source line says where its measure is anchored.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Card
from ..text.outline import read_outline


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "measure", "paragraph", "closing"
    text: str
    line: int
    level: int = 0  # headings: 2, 3 or 4
    card: Card | None = None  # measures: the card anchored here


def full_text_blocks(text: str, cards: list[Card]) -> list[Block]:
    outline = read_outline(text)
    by_line: dict[int, list[Card]] = {}
    for card in cards:  # (in reading order: a line written without breaks may hold several)
        if card.source:
            by_line.setdefault(card.source.line, []).append(card)
    heading_ranks = sorted({r.rank for r in outline.roles.values() if r.kind == "heading"})
    level = {rank: min(2 + i, 4) for i, rank in enumerate(heading_ranks)}
    blocks = []
    for line in outline.lines:
        role = outline.roles[line.number]
        on_line = by_line.get(line.number)
        if on_line:
            blocks += [Block("measure", part, line.number, card=card) for card, part in _split(line.text, on_line)]
        elif role.kind == "heading":
            blocks.append(Block("heading", line.text, line.number, level=level[role.rank]))
        elif role.kind in ("paragraph", "item", "closing"):
            blocks.append(Block("closing" if role.kind == "closing" else "paragraph", line.text, line.number))
    return blocks


_HALF_WIDTH = str.maketrans("，；：（）", ",;:()")


def _split(text: str, cards: list[Card]) -> list[tuple[Card, str]]:
    """The parts of a line that holds several measures (a page copied without line breaks), one
    per card, each from the end of the sentence before its title; the whole line for the first
    card (and a bare anchor for the others) when the titles cannot be found in order."""
    starts, end = [], 0
    folded = text.translate(_HALF_WIDTH)  # cards turn , ; : ( ) between Chinese characters full-width
    for card in cards:
        found = folded.find(card.title.translate(_HALF_WIDTH), end) if card.title else -1
        if found < 0:
            return [(cards[0], text)] + [(card, "") for card in cards[1:]]
        cut = max(text.rfind(mark, end, found) for mark in "。；;！？ \u3000") + 1
        starts.append(cut if cut > end else found)
        end = found + len(card.title)
    starts[0] = 0
    return [(card, text[start:stop]) for card, start, stop in zip(cards, starts, [*starts[1:], len(text)])]
