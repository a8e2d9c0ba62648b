"""The link stage: render every card body and note with editor links resolved, and collect backlinks.

Runs after loading and before rendering pages, so an editor link to an unknown card fails the
build (with its file, line and a did-you-mean) before anything is written.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import paths
from .errors import Diagnostics
from .library import Library
from .links import LinkTarget, render_body


@dataclass(frozen=True)
class Bodies:
    cards: dict[str, str]  # card id -> body HTML
    card_notes: dict[str, str]  # card id -> notes HTML (cards with notes only)
    documents: dict[str, str]  # document id -> note HTML
    card_backlinks: dict[str, tuple[str, ...]]  # card id -> ids of cards that link to it
    document_backlinks: dict[str, tuple[str, ...]]  # document id -> ids of cards that link to it


def render_bodies(library: Library, urls: paths.Urls, diagnostics: Diagnostics) -> Bodies:
    target = LinkTarget({c.id: c.title for c in library.cards.values()},
                        {d.title: d.id for d in library.documents.values()}, urls.card, urls.document)
    cards, notes, docs = {}, {}, {}
    card_links: dict[str, set[str]] = defaultdict(set)
    doc_links: dict[str, set[str]] = defaultdict(set)
    for card in library.cards.values():
        for text, first_line, out in ((card.body, card.body_line, cards), (card.notes, card.notes_line, notes)):
            if not text:
                continue
            rendered = render_body(text, target, first_line)
            out[card.id] = rendered.html
            for broken in rendered.broken:
                diagnostics.error(card.path, broken.line, broken.message, broken.hint)
            for link in rendered.links:
                if link.kind == "card" and link.target != card.id:
                    card_links[link.target].add(card.id)
                elif link.kind == "document" and link.target != card.document:
                    doc_links[link.target].add(card.id)
    for doc in library.documents.values():
        rendered = render_body(doc.body, target, doc.body_line)
        docs[doc.id] = rendered.html
        for broken in rendered.broken:
            diagnostics.error(doc.path, broken.line, broken.message, broken.hint)
    return Bodies(cards, notes, docs, _in_order(card_links, library), _in_order(doc_links, library))


def _in_order(links: dict[str, set[str]], library: Library) -> dict[str, tuple[str, ...]]:
    return {target: tuple(sorted(sources, key=library.position)) for target, sources in links.items()}
