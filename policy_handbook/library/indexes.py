"""Indexes over the cards: by agency, topic, beneficiary, region and date. Pure; ids, not objects."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..content.registry import Registry
from ..model import Card, Document
from ..text.deadlines import UNDATED_KINDS

SHARED_ROLES = ("responsible", "support", "mentioned")


@dataclass(frozen=True)
class AgencyCards:
    lead: tuple[str, ...]  # card ids the agency leads
    shared: tuple[str, ...]  # card ids it is responsible for, supports, or is mentioned in


@dataclass(frozen=True)
class DatedItem:
    """One dated entry of one card, placed on the timeline by its date (a period by its end)."""

    date: str  # ISO: the date the item is placed at
    card: str
    entry: dict


@dataclass(frozen=True)
class Indexes:
    agencies: dict[str, AgencyCards]  # canonical name -> its cards
    topics: dict[str, tuple[str, ...]]
    beneficiaries: dict[str, tuple[str, ...]]
    regions: dict[str, tuple[str, ...]]  # region -> document ids of that region or below it
    dated: tuple[DatedItem, ...]  # in date order
    annual: tuple[tuple[str, dict], ...]  # (card id, entry) of recurring items
    undated: tuple[tuple[str, dict], ...]  # (card id, entry) of ongoing and recurring ones (长期坚持, 每季度)
    time_limits: tuple[tuple[str, str], ...]  # (card id, limit as written)


def build_indexes(cards: Iterable[Card], documents: Iterable[Document], registry: Registry,
                  order: dict[str, int]) -> Indexes:
    """`order` gives each card id its position in reading order, for stable listings."""
    cards = sorted(cards, key=lambda c: order[c.id])
    lead: dict[str, list[str]] = defaultdict(list)
    shared: dict[str, list[str]] = defaultdict(list)
    topics: dict[str, list[str]] = defaultdict(list)
    beneficiaries: dict[str, list[str]] = defaultdict(list)
    dated, annual, undated, limits = [], [], [], []
    for card in cards:
        for name in card.agencies_in("lead"):
            _add(lead[registry.resolve(name) or name], card.id)
        for role in SHARED_ROLES:
            for name in card.agencies_in(role):
                canonical = registry.resolve(name) or name
                if not lead.get(canonical) or lead[canonical][-1] != card.id:  # cards come one by one
                    _add(shared[canonical], card.id)
        for topic in card.topics:
            topics[topic].append(card.id)
        for who in card.beneficiaries:
            beneficiaries[who].append(card.id)
        for entry in card.deadlines:
            if entry["kind"] == "annual":
                annual.append((card.id, entry))
            elif entry["kind"] in UNDATED_KINDS:
                undated.append((card.id, entry))
            else:
                dated.append(DatedItem(entry.get("end") or entry["date"], card.id, entry))
        limits += [(card.id, limit) for limit in card.time_limits]
    names = sorted(set(lead) | set(shared))
    return Indexes(
        agencies={n: AgencyCards(tuple(lead.get(n, ())), tuple(shared.get(n, ()))) for n in names},
        topics={k: tuple(v) for k, v in topics.items()},
        beneficiaries={k: tuple(v) for k, v in beneficiaries.items()},
        regions=_regions(documents, registry),
        dated=tuple(sorted(dated, key=lambda d: (d.date, order[d.card], d.entry["text"]))),
        annual=tuple(sorted(annual, key=lambda a: (a[1]["month_day"], order[a[0]]))),
        undated=tuple(sorted(undated, key=lambda u: (u[1]["kind"], order[u[0]]))),
        time_limits=tuple(limits))


def _add(ids: list[str], card_id: str) -> None:
    if not ids or ids[-1] != card_id:  # a card's names are added together: a repeat is the last one
        ids.append(card_id)


def _regions(documents: Iterable[Document], registry: Registry) -> dict[str, tuple[str, ...]]:
    """Each region's documents, including those of the regions below it."""
    found: dict[str, list[str]] = defaultdict(list)
    for doc in documents:
        for region in registry.chain(doc.region):
            found[region].append(doc.id)
    return {region: tuple(ids) for region, ids in found.items()}
