"""Views of what changed: the history block of a card or document page and the 最近更新 page.

Comparisons are lists of (kind, text) segments that templates show escaped inside <del>/<ins>:
no text of a card reaches a page unescaped.
"""
from __future__ import annotations

from .. import paths
from ..library.history import Entry, History, compare, recent
from ..library.library import Library
from ..model import Card, Document


def _entry(entry: Entry, detail: bool = True) -> dict:
    return {"date": entry.date, "summary": entry.summary,
            "title": compare(*entry.title) if detail and entry.title else [],
            "body": compare(*entry.body) if detail and entry.body else []}


def card_history(card: Card, history: History) -> dict:
    """"更新于" (the date of the card file's last change, "" outside git) and its history."""
    path = card.path
    return {"updated": history.updated(path), "dated": history.dated,
            "entries": [_entry(e) for e in history.of(path)]}


def document_history(doc: Document, library: Library, history: History, limit: int = 10) -> dict:
    """A document page shows its own changes and its cards' (each named), newest first."""
    own = [(e, None) for e in history.of(doc.path)]
    cards = [(e, library.cards[c]) for c in library.cards_by_document[doc.id]
             for e in history.of(library.cards[c].path)]
    entries = sorted(own + cards, key=lambda item: item[0].date, reverse=True)[:limit]
    return {"updated": next((e.date for e, _ in entries if e.date), ""), "dated": history.dated,
            "entries": [{**_entry(e, detail=False), "label": c.title if c else "本文件"} for e, c in entries]}


def recent_view(library: Library, history: History, urls: paths.Urls) -> dict:
    """The latest changes across the handbook, newest first, each linked to its page."""
    pages = {c.path: (c.title, urls.card(c.id), "卡片") for c in library.cards.values()}
    pages.update((d.path, (d.title, urls.document(d.id), "文件")) for d in library.documents.values())
    items = [{**_entry(e, detail=False), "title": pages[e.path][0], "url": pages[e.path][1],
              "kind": pages[e.path][2]}
             for e in recent(History({p: h for p, h in history.files.items() if p in pages}))]
    return {"items": items, "dated": history.dated}
