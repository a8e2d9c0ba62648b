"""What a change touches: compare the last good build with the new one and pick the pages to
re-render. Pure; no I/O.

A page's plan names what it shows (render.PagePlan): cards in full, cards as list items, and
other deps. A rebuild diffs its inputs, not the file events that triggered it, so a missed or
duplicated event cannot leave a page stale:

- a card changes when anything in its file or its rendered text and notes changes;
- a card's item (how lists show it: title, number, series place, kind, document) when one of
  those changes, or the card appears or goes;
- "page:<id>" when what only the card's own page shows changes: its neighbours, place and
  count in its document, related cards, backlinks;
- "doc:<id>" when a document's note, its cards or their order, its series groups or its
  backlinks change;
- "all" (the summary pages: home, lists, deadlines) when any of those change.

Anything that many pages read (a document's metadata, agencies, taxonomy, source texts, URLs
of terms) re-renders every page; so does a change of template that every page uses. A page is
re-rendered when its deps before or after the change meet what changed, so a card that leaves a
topic is taken off the topic's page as surely as it is added to its new one; a page whose set
of cards changed is re-rendered too.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Environment, meta

from ..library.bodies import Bodies
from ..library.library import Library
from ..model import Card, Document

@dataclass(frozen=True)
class PageDeps:
    """What a rendered page was made from (a render.PagePlan without its view)."""

    template: str
    cards: frozenset[str]
    items: frozenset[str]
    deps: frozenset[str]


@dataclass(frozen=True)
class Changes:
    cards: set[str]  # cards changed in any way
    items: set[str]  # cards whose list item changed
    deps: set[str]  # "page:<id>", "doc:<id>", "all"


def changed(old: Library, old_bodies: Bodies, new: Library, new_bodies: Bodies) -> Changes | None:
    """What changed between two builds; None when every page must be re-rendered."""
    if (old.registry != new.registry or old.taxonomy != new.taxonomy or old.sources != new.sources
            or old.slugs != new.slugs or _metadata(old.documents) != _metadata(new.documents)):
        return None
    cards, items, dirty = set(), set(), set()
    same_order = {d for d, ids in new.cards_by_document.items() if old.cards_by_document.get(d) == ids}
    for card_id in old.cards.keys() | new.cards.keys():
        before, after = old.cards.get(card_id), new.cards.get(card_id)
        if (before != after or old_bodies.cards.get(card_id) != new_bodies.cards.get(card_id)
                or old_bodies.card_notes.get(card_id) != new_bodies.card_notes.get(card_id)):
            cards.add(card_id)
            if _item(before) != _item(after):
                items.add(card_id)
        if _context_changed(card_id, before, after, old, old_bodies, new, new_bodies, same_order):
            dirty.add(f"page:{card_id}")
    for doc_id in new.documents:
        if (old.cards_by_document.get(doc_id) != new.cards_by_document.get(doc_id)
                or old.groups_by_document.get(doc_id) != new.groups_by_document.get(doc_id)
                or old_bodies.documents.get(doc_id) != new_bodies.documents.get(doc_id)
                or old_bodies.document_backlinks.get(doc_id) != new_bodies.document_backlinks.get(doc_id)):
            dirty.add(f"doc:{doc_id}")
    if dirty or cards:
        dirty.add("all")
    return Changes(cards, items, dirty)


def _item(card: Card | None) -> tuple | None:
    """What a list shows of a card (views.card_item)."""
    return card and (card.title, card.number, card.series, card.kind, card.document)


def _metadata(documents: Mapping[str, Document]) -> list:
    """Documents without their notes (a note shows on its own page only), in home-page order."""
    return [dataclasses.replace(d, body="", body_line=0) for d in documents.values()]


def _context_changed(card_id: str, before: Card | None, after: Card | None, old: Library, old_bodies: Bodies,
                     new: Library, new_bodies: Bodies, same_order: set[str]) -> bool:
    """Whether the card's own page shows other surroundings (quick when its document's order
    is unchanged: then only related cards and backlinks can differ)."""
    if before is None or after is None or before.document != after.document or after.document not in same_order:
        return _page_context(old, old_bodies, card_id) != _page_context(new, new_bodies, card_id)
    return ((old.related is not new.related and old.related.get(card_id) != new.related.get(card_id))
            or old_bodies.card_backlinks.get(card_id) != new_bodies.card_backlinks.get(card_id))


def _page_context(library: Library, bodies: Bodies, card_id: str) -> tuple | None:
    """What a card's own page shows of its surroundings."""
    if card_id not in library.cards:
        return None
    prev, nxt = library.neighbours(card_id)
    return (prev and prev.id, nxt and nxt.id, library.index_in_document(card_id),
            len(library.cards_by_document[library.cards[card_id].document]),
            library.related.get(card_id), bodies.card_backlinks.get(card_id))


def template_uses(env: Environment, sources: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """For each template, itself and every template it extends, includes or imports, transitively.
    A template that does not parse uses nothing else (its own error is reported when rendered)."""
    direct: dict[str, set[str]] = {}
    for name, source in sources.items():
        try:
            direct[name] = {t for t in meta.find_referenced_templates(env.parse(source)) if t}
        except Exception:  # a syntax error: rendering reports it with its line
            direct[name] = set()
    uses = {}
    for name in sources:
        seen, todo = {name}, [name]
        while todo:
            for used in direct.get(todo.pop(), ()):
                if used not in seen:
                    seen.add(used)
                    todo.append(used)
        uses[name] = frozenset(seen)
    return uses


def changed_templates(old: Mapping[str, str], new: Mapping[str, str]) -> set[str]:
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def pages_to_render(plans: Mapping, before: Mapping[str, PageDeps] | None, changes: Changes | None,
                    templates: set[str], uses: Mapping[str, frozenset[str]]) -> list[str]:
    """The output paths to render: all of them on a first build or a global change; otherwise new
    pages, pages whose template (or a template it uses) changed, pages whose set of cards changed,
    and pages that show something that changed."""
    if before is None or changes is None:
        return list(plans)
    touched = {name for name, used in uses.items() if used & templates} | templates
    selected = []
    for out, plan in plans.items():
        old = before.get(out)
        if (old is None or plan.template in touched or plan.template != old.template
                or plan.cards != old.cards or plan.items != old.items
                or not changes.cards.isdisjoint(plan.cards) or not changes.items.isdisjoint(plan.items)
                or not changes.deps.isdisjoint(plan.deps) or not changes.deps.isdisjoint(old.deps)):
            selected.append(out)
    return selected
