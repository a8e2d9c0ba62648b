"""The link stage: render every card body and note with editor links resolved, and collect backlinks.

Runs after loading and before rendering pages, so an editor link to an unknown card fails the
build (with its file, line and a did-you-mean) before anything is written.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .. import paths
from ..content.load import Content
from ..errors import Diagnostics
from .library import Library
from .links import LinkTarget, RenderedBody, render_body


@dataclass(frozen=True)
class Bodies:
    cards: dict[str, str]  # card id -> body HTML
    card_notes: dict[str, str]  # card id -> notes HTML (cards with notes only)
    documents: dict[str, str]  # document id -> note HTML
    card_backlinks: dict[str, tuple[str, ...]]  # card id -> ids of cards that link to it
    document_backlinks: dict[str, tuple[str, ...]]  # document id -> ids of cards that link to it


@dataclass
class BodyCache:
    """Rendered bodies kept between builds, keyed by (text, first line). An entry stays valid while
    the cards it links to keep their titles and no document title changes; bodies with broken
    links are never kept (their hints depend on every id)."""

    document_titles: dict[str, str] = field(default_factory=dict)
    entries: dict[tuple[str, int], tuple[RenderedBody, tuple[tuple[str, str], ...]]] = field(default_factory=dict)

    def render(self, text: str, first_line: int, target: LinkTarget, used: dict) -> RenderedBody:
        key = (text, first_line)
        entry = self.entries.get(key)
        if entry is None or any(target.cards.get(card) != title for card, title in entry[1]):
            rendered = render_body(text, target, first_line)
            titles = tuple((link.target, target.cards[link.target]) for link in rendered.links if link.kind == "card")
            entry = (rendered, titles)
        if not entry[0].broken:
            used[key] = entry
        return entry[0]


def render_bodies(library: Library, urls: paths.Urls, diagnostics: Diagnostics,
                  cache: BodyCache | None = None) -> Bodies:
    target = LinkTarget({c.id: c.title for c in library.cards.values()},
                        {d.title: d.id for d in library.documents.values()}, urls.card, urls.document)
    cache = cache if cache is not None else BodyCache()
    if cache.document_titles != target.documents:
        cache.entries.clear()
        cache.document_titles = dict(target.documents)
    used: dict = {}
    cards, notes, docs = {}, {}, {}
    card_links: dict[str, set[str]] = defaultdict(set)
    doc_links: dict[str, set[str]] = defaultdict(set)
    for card in library.cards.values():
        for text, first_line, out in ((card.body, card.body_line, cards), (card.notes, card.notes_line, notes)):
            if not text:
                continue
            rendered = cache.render(text, first_line, target, used)
            out[card.id] = rendered.html
            for broken in rendered.broken:
                diagnostics.error(card.path, broken.line, broken.message, broken.hint)
            for link in rendered.links:
                if link.kind == "card" and link.target != card.id:
                    card_links[link.target].add(card.id)
                elif link.kind == "document" and link.target != card.document:
                    doc_links[link.target].add(card.id)
    for doc in library.documents.values():
        rendered = cache.render(doc.body, doc.body_line, target, used)
        docs[doc.id] = rendered.html
        for broken in rendered.broken:
            diagnostics.error(doc.path, broken.line, broken.message, broken.hint)
    cache.entries = used  # forget what no card uses any more
    return Bodies(cards, notes, docs, _in_order(card_links, library), _in_order(doc_links, library))


def check_links(content: Content, urls: paths.Urls, diagnostics: Diagnostics) -> None:
    """Report the broken editor links of what loaded, for a build that other errors stop before
    the library is made, so that they are not hidden behind those errors. A link to a card or
    document that exists but did not load is not broken: its own errors are reported."""
    cards = {c.id: c.title for c in content.cards} | {card_id: card_id for card_id in content.unloaded_cards}
    documents = {d.title: d.id for d in content.documents} | {title: "" for title in content.unloaded_documents}
    target = LinkTarget(cards, documents, urls.card, urls.document)
    texts = [(c.path, text, line) for c in content.cards
             for text, line in ((c.body, c.body_line), (c.notes, c.notes_line)) if text]
    texts += [(d.path, d.body, d.body_line) for d in content.documents]
    for path, text, line in texts:
        for broken in render_body(text, target, line).broken:
            diagnostics.error(path, broken.line, broken.message, broken.hint)


def _in_order(links: dict[str, set[str]], library: Library) -> dict[str, tuple[str, ...]]:
    return {target: tuple(sorted(sources, key=library.position)) for target, sources in links.items()}
