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
    by_line = {c.source.line: c for c in cards if c.source}
    heading_ranks = sorted({r.rank for r in outline.roles.values() if r.kind == "heading"})
    level = {rank: min(2 + i, 4) for i, rank in enumerate(heading_ranks)}
    blocks = []
    for line in outline.lines:
        role = outline.roles[line.number]
        card = by_line.get(line.number)
        if card is not None:
            blocks.append(Block("measure", line.text, line.number, card=card))
        elif role.kind == "heading":
            blocks.append(Block("heading", line.text, line.number, level=level[role.rank]))
        elif role.kind in ("paragraph", "item", "closing"):
            blocks.append(Block("closing" if role.kind == "closing" else "paragraph", line.text, line.number))
    return blocks
