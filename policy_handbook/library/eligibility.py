"""Does a measure apply to a business? The matcher's rules (适用于我吗), as plain functions.

The matcher page (static/match.js) applies the same rules in the reader's browser to the data
outputs/matchdata.py writes; `match` here is the reference the tests hold it to. Pure; no I/O.

- **Where**: a measure applies in its document's region and in every region below it: a
  business registered in 偏关县 is covered by 偏关县's, 忻州市's and 山西省's measures, never by
  朔州市's (a sibling) nor by 赣州市's.
- **For whom**: a measure names its 适用对象 (beneficiaries, from content/taxonomy/). It applies
  when one of them is a type the business has, or when one of them covers every business (a
  term marked `everyone: true`, 各类市场主体); when it names none, nobody can tell from the
  handbook: it is listed apart as 可能适用，请咨询. The matcher never guesses eligibility.
- **What for**: the business's needs are topics; a measure is listed under the first chosen
  need it is about (under its own first topic when no need is chosen).
- **In force**: a measure no longer in force (已失效, 已废止, or past its `until`) never applies;
  it is listed apart (one for other types of business is only counted, as when in force).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.registry import Registry
from ..model import Card
from .library import Library
from .validity import validity_view


@dataclass(frozen=True)
class Answers:
    """What the reader said: the region the business is registered in, the 适用对象 it is
    (types, sizes and sectors alike: beneficiary names), and what it needs (topic names)."""

    region: str
    types: frozenset[str] = field(default_factory=frozenset)
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """Card ids by verdict, in the handbook's reading order, with the need each is listed under."""

    applies: tuple[tuple[str, str], ...]  # (need, card id)
    maybe: tuple[tuple[str, str], ...]  # 适用对象 unknown (or no type chosen): 可能适用，请咨询
    ended: tuple[str, ...]  # no longer in force
    other: int  # for other types of business: not listed


def covering(region: str, registry: Registry) -> tuple[str, ...]:
    """The regions whose measures apply to a business registered in `region`: itself and every
    region above it, innermost first."""
    return registry.chain(region) if region in registry.regions else ((region,) if region else ())


def applies_in(measure_region: str, region: str, registry: Registry) -> bool:
    """Whether a measure of `measure_region` covers a business registered in `region`."""
    return bool(measure_region) and measure_region in covering(region, registry)


def actionable(card: Card, overall_topics: frozenset[str]) -> bool:
    """A measure a business can act on: not a general part (指导思想, targets) of its document."""
    return card.kind != "general" and not (card.topics and set(card.topics) <= overall_topics)


def overall(library: Library) -> frozenset[str]:
    return frozenset(t.name for t in library.taxonomy.topics if t.overall)


def for_everyone(library: Library) -> frozenset[str]:
    """The 适用对象 that cover every business (各类市场主体): a measure for one applies to all."""
    return frozenset(t.name for t in library.taxonomy.beneficiaries if t.everyone)


def need_of(card: Card, needs: tuple[str, ...], order: dict[str, int]) -> str:
    """The need a measure is listed under: the first chosen need it is about, in the order of
    `order` (the taxonomy's topics that are needs; "" when it is about none); with no need
    chosen, its own first such topic."""
    mine = sorted((t for t in card.topics if t in order), key=order.__getitem__)
    if not needs:
        return mine[0] if mine else ""
    return next((t for t in mine if t in needs), "")


def match(library: Library, answers: Answers, as_of: dt.date) -> Match:
    """The reference verdict for every measure of the handbook on `as_of`."""
    skip = overall(library)
    order = {t.name: i for i, t in enumerate(library.taxonomy.topics) if t.name not in skip}
    everyone = for_everyone(library)
    applies, maybe, ended, other = [], [], [], 0
    for card in sorted(library.cards.values(), key=lambda c: library.position(c.id)):
        doc = library.documents[card.document]
        if not actionable(card, skip) or not applies_in(doc.region, answers.region, library.registry):
            continue
        need = need_of(card, answers.needs, order)
        if not need:
            continue
        for_all = bool(everyone & set(card.beneficiaries))
        known = for_all or (bool(card.beneficiaries) and bool(answers.types))
        if known and not for_all and not answers.types & set(card.beneficiaries):
            other += 1
        elif validity_view(card, doc, as_of)["tone"] == "ended":
            ended.append(card.id)
        else:
            (applies if known else maybe).append((need, card.id))
    return Match(tuple(applies), tuple(maybe), tuple(ended), other)
