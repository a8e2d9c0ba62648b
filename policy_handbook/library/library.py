"""The library: every document and card, ordered and indexed by id. Pure; no I/O."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..content.load import Content
from ..content.registry import Registry
from ..content.taxonomy import Taxonomy
from ..model import Card, Document
from .indexes import Indexes, build_indexes
from .slugs import slugs


@dataclass(frozen=True)
class SeriesGroup:
    name: str
    cards: tuple[str, ...]  # card ids in issue order


@dataclass(frozen=True)
class Library:
    documents: dict[str, Document]  # in home-page order
    cards: dict[str, Card]
    cards_by_document: dict[str, tuple[str, ...]]  # in reading order
    groups_by_document: dict[str, tuple[SeriesGroup, ...]]  # series documents only
    sources: dict[str, str]
    registry: Registry
    taxonomy: Taxonomy
    indexes: Indexes
    slugs: dict[str, dict[str, str]]  # "agencies" | "topics" | "regions" | "beneficiaries" -> name -> slug
    order: dict[str, int]  # card id -> its place in the handbook's reading order
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    backlinks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # card or document id -> card ids

    def position(self, card_id: str) -> int:
        return self.order[card_id]

    def excerpt(self, card_id: str, length: int = 80) -> str:
        """The start of a card's text, without Markdown escapes, for lists."""
        text = " ".join(self.cards[card_id].body.split()).replace("\\", "")
        return text if len(text) <= length else text[:length] + "…"

    def index_in_document(self, card_id: str) -> int:
        """0-based place of a card in its document's reading order (documents are contiguous
        in the global order, so no search is needed)."""
        order = self.cards_by_document[self.cards[card_id].document]
        return self.order[card_id] - self.order[order[0]]

    def neighbours(self, card_id: str) -> tuple[Card | None, Card | None]:
        """The previous and next card in the card's document (or series)."""
        order = self.cards_by_document[self.cards[card_id].document]
        i = self.index_in_document(card_id)
        prev = self.cards[order[i - 1]] if i > 0 else None
        nxt = self.cards[order[i + 1]] if i + 1 < len(order) else None
        return prev, nxt

    def cards_of(self, document_id: str) -> list[Card]:
        return [self.cards[c] for c in self.cards_by_document.get(document_id, ())]


def _natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _reading_key(card: Card) -> tuple:
    return (card.source.line if card.source else math.inf, _natural(card.id))


def _document_key(doc: Document) -> tuple:
    # Newest first; documents with no date last; then by id for a stable order.
    return (-(int(doc.date.iso.replace("-", "").ljust(8, "0")) if doc.date else 0), doc.id)


def build_library(content: Content) -> Library:
    documents = {d.id: d for d in sorted(content.documents, key=_document_key)}
    by_doc: dict[str, list[Card]] = {d: [] for d in documents}
    for card in content.cards:
        by_doc[card.document].append(card)
    ordered: dict[str, tuple[str, ...]] = {}
    groups: dict[str, tuple[SeriesGroup, ...]] = {}
    for doc_id, cards in by_doc.items():
        cards.sort(key=_reading_key)
        if documents[doc_id].series is not None:
            series_groups = _series_groups(cards)
            groups[doc_id] = series_groups
            ordered[doc_id] = tuple(c for g in series_groups for c in g.cards) + \
                tuple(c.id for c in cards if c.series is None)
        else:
            ordered[doc_id] = tuple(c.id for c in cards)
    order = {card_id: i for i, card_id in enumerate(c for ids in ordered.values() for c in ids)}
    indexes = build_indexes(content.cards, documents.values(), content.registry, order)
    return Library(documents, {c.id: c for c in content.cards}, ordered, groups, content.sources,
                   content.registry, content.taxonomy, indexes, _slugs(content, indexes), order)


def _slugs(content: Content, indexes: Indexes) -> dict[str, dict[str, str]]:
    return {
        "agencies": slugs(set(content.registry.agencies) | set(indexes.agencies)),
        "topics": slugs(content.taxonomy.topic_names()),
        "beneficiaries": slugs(content.taxonomy.beneficiary_names()),
        "regions": slugs(indexes.regions),
    }


def _series_groups(cards: list[Card]) -> tuple[SeriesGroup, ...]:
    """Groups in order of first appearance; cards within a group by issue number."""
    names: list[str] = []
    members: dict[str, list[Card]] = {}
    for card in cards:
        if card.series is None:
            continue
        if card.series.group not in members:
            names.append(card.series.group)
            members[card.series.group] = []
        members[card.series.group].append(card)
    return tuple(SeriesGroup(n, tuple(c.id for c in sorted(members[n], key=lambda c: (c.series.issue, c.id))))
                 for n in names)
