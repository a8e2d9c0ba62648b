"""Alias proposals: registry entries that look like one body, and names printed with a converter's
raw brackets, reported to the editor as warnings (never merged: the editor decides in agencies.yaml).

Each warning stands at the line of the entry to fold, names the other entry's line and the cards
that use each name, and says how to accept (aliases:) or reject (distinct_from:) the proposal.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..errors import Diagnostic
from ..model import Card
from .agencynames import NameEntry, Proposal, clean_form, is_garbled, proposals, strip_region
from .registry import AGENCIES_FILE, Registry

SHOWN = f"content/{AGENCIES_FILE}"
CARDS_SHOWN = 3  # card files named per entry; more are counted


def name_entries(registry: Registry, uses: dict[str, list[str]]) -> list[NameEntry]:
    """The registry's entries to compare; a body and the one it became (successors.yaml) are two."""
    prefixes = [p for p, _ in registry.region_prefixes()]
    related: dict[str, set[str]] = defaultdict(set)
    for old, found in registry.successor_of.items():
        for step, _ in found.steps:
            new = registry.resolve(step) or step
            related[old].add(new)
            related[new].add(old)
    return [NameEntry(a.name, tuple(dict.fromkeys(strip_region(n, prefixes) for n in (a.name, *a.aliases))),
                      a.region, a.collective, frozenset({*a.distinct_from, *related[a.name]}),
                      len(uses.get(a.name, ())), a.line, bool(a.contact))
            for a in registry.agencies.values()]


def card_uses(registry: Registry, cards: Iterable[Card]) -> dict[str, list[str]]:
    """Canonical name -> the card files that name it, in order."""
    uses: dict[str, list[str]] = defaultdict(list)
    for card in cards:
        for name in dict.fromkeys(registry.resolve(n) or n for _, names in card.agencies for n in names):
            uses[name].append(card.path)
    return uses


def _where(name: str, uses: dict[str, list[str]]) -> str:
    paths = uses.get(name, [])
    if not paths:
        return "没有卡片用到"
    shown = "、".join(paths[:CARDS_SHOWN])
    return f"见 {shown}" + (f" 等 {len(paths)} 张卡片" if len(paths) > CARDS_SHOWN else "")


def proposal_warning(p: Proposal, registry: Registry, uses: dict[str, list[str]]) -> Diagnostic:
    keep, fold = registry.agencies[p.keep], registry.agencies[p.fold]
    moved = [fold.name, *fold.aliases]
    return Diagnostic(
        SHOWN, fold.line,
        f"“{fold.name}”（{_where(fold.name, uses)}）和第 {keep.line} 行的“{keep.name}”"
        f"（{_where(keep.name, uses)}）像是同一个单位：{p.reason}",
        f"如果是，删掉第 {fold.line} 行这一条{'（联系方式移到另一条）' if fold.contact else ''}，"
        f"在“{keep.name}”那一条写上 aliases: [{', '.join([*keep.aliases, *moved])}]"
        f"（卡片里的写法不用改）；如果不是，在这一条写上 distinct_from: [{keep.name}]", "warning")


def garbled_warning(name: str, registry: Registry, uses: dict[str, list[str]]) -> Diagnostic:
    agency = registry.agencies[name]
    clean = clean_form(name)
    if agency.collective:  # its other spellings are the same entry by rule
        hint = f"把 name 改成“{clean}”（别的括号、繁简写法自动算作同一个，卡片里的写法不用改）"
    else:
        aliases = ", ".join([name, *(a for a in agency.aliases if a != clean)])
        hint = f"把 name 改成“{clean}”，原来的写法放进 aliases: [{aliases}]（卡片里的写法不用改）"
    return Diagnostic(SHOWN, agency.line, f"“{name}”（{_where(name, uses)}）的括号是原文排版留下的写法",
                      hint, "warning")


def alias_warnings(registry: Registry, cards: Iterable[Card]) -> list[Diagnostic]:
    """Every proposal for the registry as it stands, in file order."""
    uses = card_uses(registry, cards)
    pairs = proposals(name_entries(registry, uses))
    found = [proposal_warning(p, registry, uses) for p in pairs]
    folded = {p.fold for p in pairs}
    found += [garbled_warning(name, registry, uses) for name in registry.agencies
              if is_garbled(name) and name not in folded]
    return sorted(found)
