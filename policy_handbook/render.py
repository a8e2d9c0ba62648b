"""Jinja rendering: one explicit view per page kind; returns {output path: bytes}. No I/O."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import paths
from .config import Config
from .fulltext import full_text_blocks
from .facts import agencies_view, contact_view, deadline_view
from .library import Library
from .markdown import render_markdown
from .model import Card, Document


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["markdown"] = render_markdown
    return env


def number_label(card: Card) -> str:
    """How a card's number reads in a list: '19.' for Arabic numbers, as printed otherwise."""
    return f"{card.number}." if card.number.isdigit() else card.number


def series_title(card: Card, doc: Document) -> str:
    """“48条”之大幅放宽市场准入 第一期"""
    if card.series is None or doc.series is None:
        return ""
    label = f"{doc.series.label}之" if doc.series.label else ""
    return f"{label}{card.series.group} {card.number or f'第{card.series.issue}期'}"


def card_view(card: Card, library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    doc = library.documents[card.document]
    prev, nxt = library.neighbours(card.id)

    def link(other: Card) -> dict:
        return {"title": other.title, "url": urls.card(other.id),
                "label": series_title(other, doc) or number_label(other)}

    return {
        "card": card,
        "document": doc,
        "series_title": series_title(card, doc),
        "number_label": number_label(card),
        "body_html": render_markdown(card.body),
        "document_url": urls.document(doc.id),
        "measure_url": urls.measure(doc.id, card.id) if card.source else urls.document(doc.id),
        "prev": link(prev) if prev else None,
        "next": link(nxt) if nxt else None,
        "position": library.cards_by_document[doc.id].index(card.id) + 1,
        "count": len(library.cards_by_document[doc.id]),
        "agency_roles": agencies_view(card, library.registry),
        "deadlines": [deadline_view(d, as_of) for d in card.deadlines],
        "contact": contact_view(card, library.registry),
        "notes_html": render_markdown(card.notes) if card.notes else "",
    }


def document_view(doc: Document, library: Library, urls: paths.Urls) -> dict:
    cards = library.cards_of(doc.id)
    text = library.sources.get(doc.source, "")
    return {
        "document": doc,
        "note_html": render_markdown(doc.body),
        "blocks": full_text_blocks(text, cards) if text else [],
        "cards": [{"card": c, "url": urls.card(c.id), "label": series_title(c, doc) or number_label(c)}
                  for c in cards],
        "groups": [{"name": g.name, "cards": [library.cards[c] for c in g.cards]}
                   for g in library.groups_by_document.get(doc.id, ())],
        "card_url": urls.card,
    }


def home_view(library: Library, urls: paths.Urls) -> dict:
    docs = []
    for doc in library.documents.values():
        groups = library.groups_by_document.get(doc.id, ())
        docs.append({"document": doc, "url": urls.document(doc.id),
                     "count": len(library.cards_by_document[doc.id]),
                     "groups": [{"name": g.name, "count": len(g.cards),
                                 "url": urls.card(g.cards[0])} for g in groups]})
    return {"documents": docs, "total": len(library.cards)}


def render_site(library: Library, config: Config) -> dict[str, bytes]:
    """Every page of the site, keyed by its path under site/."""
    env = make_environment(config.templates_path)
    urls = paths.Urls(config.base_url)
    common = {"site": config, "urls": urls}
    pages: dict[str, bytes] = {}

    def page(out: str, template: str, view: dict) -> None:
        pages[out] = env.get_template(template).render(**common, **view).encode("utf-8")

    page("index.html", "home.html", home_view(library, urls))
    for doc in library.documents.values():
        page(paths.document_output(doc.id), "document.html", document_view(doc, library, urls))
    for card in library.cards.values():
        page(paths.card_output(card.id), "card.html", card_view(card, library, urls, config.as_of_date))
    page("404.html", "404.html", {})
    return pages
