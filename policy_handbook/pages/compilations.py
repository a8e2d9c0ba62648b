"""Printable compilations (汇编): every measure of a document, or of a topic, on one page.

A document's compilation follows its reading order, in parts by series group (a series) or by
the headings above its measures; a topic's groups its measures by document, documents in
home-page order. Both end with a contact table (咨询联系表) of every agency the measures name,
read from the agency registry; where an agency has no contact, the table says whom the reader can
ask instead (the issuing office, the public hotline: askinstead.py). The page is styled for A4 by
static/print.css.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial

from .. import paths
from ..library.bodies import Bodies
from ..library.facts import card_agencies, contact_view, deadline_view
from ..library.library import Library
from ..library.validity import validity_view
from ..model import Card, Document
from . import views
from .askinstead import issuer_contacts

TEMPLATE = "compilation.html"
# How the contact table names an agency's part in the measures, strongest first.
ROLE_SHORT = {"lead": "牵头", "responsible": "负责", "support": "配合", "mentioned": "提及"}
MAX_HEADING_LEVEL = 4


def plan_compilations(page: Callable, library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date) -> None:
    """Add a compilation page per document and per topic through plan_site's `page` helper.

    Both show their cards in full (`cards=`). The document's compilation also shows its series
    groups and order (`doc:<id>`); a topic's shows each of its documents' order (`doc:<id>` of each)."""
    for doc in library.documents.values():
        page(urls.compilation("documents", doc.id), TEMPLATE,
             partial(document_compilation_view, doc.id, library, urls, bodies, as_of),
             cards=library.cards_by_document[doc.id], deps=(f"doc:{doc.id}",))
    for topic in library.taxonomy.topics:
        cards = library.indexes.topics.get(topic.name, ())
        docs = dict.fromkeys(library.cards[c].document for c in cards)
        page(urls.compilation("topics", library.slugs["topics"][topic.name]), TEMPLATE,
             partial(topic_compilation_view, topic.name, library, urls, bodies, as_of),
             cards=cards, deps=[f"doc:{d}" for d in docs])


def document_compilation_view(doc_id: str, library: Library, urls: paths.Urls, bodies: Bodies,
                              as_of: dt.date) -> dict:
    doc = library.documents[doc_id]
    cards = library.cards_of(doc_id)
    if doc_id in library.groups_by_document:
        label = f"{doc.series.label}之" if doc.series and doc.series.label else ""
        keyed = [((f"{label}{c.series.group}",) if c.series else ("其他",), c) for c in cards]
    else:
        keyed = [(c.heading, c) for c in cards]
    parts = []
    previous: tuple[str, ...] = ()
    for key, card in keyed:
        if not parts or key != previous:
            shared = _common_prefix(previous, key)
            headings = [{"text": text, "level": min(2 + i, MAX_HEADING_LEVEL), "url": "", "byline": ""}
                        for i, text in enumerate(key) if i >= shared]
            parts.append({"headings": headings, "measures": []})
            previous = key
        measure = _measure(card, doc, library, urls, bodies, as_of, with_heading=False)
        if card.series is not None:  # under its group's heading, “第三期” says enough
            measure["toc_label"] = card.number or f"第{card.series.issue}期"
        parts[-1]["measures"].append(measure)
    return {
        "kind": "document",
        "title": f"《{doc.title}》措施汇编",
        "document": doc,
        "lede": "",
        "back": {"label": "返回文件页", "url": urls.document(doc_id)},
        "crumbs": [("首页", urls.home()), (doc.title, urls.document(doc_id)), ("措施汇编", None)],
        "count": len(cards),
        "document_count": 1,
        "parts": parts,
        "agencies": contact_rows(cards, library, urls),
        "issuers": issuer_contacts([doc], library, urls),
        "as_of": as_of.isoformat(),
        "as_of_label": _chinese_date(as_of),
    }


def topic_compilation_view(topic: str, library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date) -> dict:
    term = next(t for t in library.taxonomy.topics if t.name == topic)
    card_ids = sorted(library.indexes.topics.get(topic, ()), key=library.position)
    by_doc: dict[str, list[Card]] = {}
    for card_id in card_ids:
        card = library.cards[card_id]
        by_doc.setdefault(card.document, []).append(card)
    parts = []
    for doc in library.documents.values():
        if doc.id not in by_doc:
            continue
        parts.append({"headings": [{"text": doc.title, "level": 2, "url": urls.document(doc.id),
                                    "byline": _byline(doc)}],
                      "measures": [_measure(c, doc, library, urls, bodies, as_of, with_heading=True)
                                   for c in by_doc[doc.id]]})
    topic_url = urls.term("topics", library.slugs["topics"][topic])
    return {
        "kind": "topic",
        "title": f"主题汇编：{topic}",
        "document": None,
        "lede": term.description,
        "back": {"label": "返回主题页", "url": topic_url},
        "crumbs": [("首页", urls.home()), ("主题", urls.section("topics")), (topic, topic_url), ("主题汇编", None)],
        "count": len(card_ids),
        "document_count": len(parts),
        "parts": parts,
        "agencies": contact_rows([library.cards[c] for c in card_ids], library, urls),
        "issuers": issuer_contacts([library.documents[d] for d in by_doc], library, urls),
        "as_of": as_of.isoformat(),
        "as_of_label": _chinese_date(as_of),
    }


def _measure(card: Card, doc: Document, library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date,
             with_heading: bool) -> dict:
    issue = views.series_title(card, doc)
    return {
        "id": card.id,
        "label": issue or views.number_label(card),
        "toc_label": views.card_item(card, library, urls)["label"],  # “组名 第三期” for a series card
        # In a topic's compilation the headings above a measure are not shown as parts.
        "heading": list(card.heading) if with_heading and not issue else [],
        "title": card.title,
        "general": card.kind == "general",
        "validity": validity_view(card, doc, as_of),  # a printout says too whether it is still in force
        "body_html": bodies.cards.get(card.id, ""),
        "notes_html": bodies.card_notes.get(card.id, ""),
        "url": urls.card(card.id),
        "roles": [{"label": role["label"],
                   "agencies": [views.agency_link(a["name"], library, urls) for a in role["agencies"]]}
                  for role in card_agencies(card, library.registry)],
        "deadlines": [deadline_view(d, as_of) for d in card.deadlines],
        "time_limits": list(card.time_limits),
        # A contact an editor wrote on the card itself; agencies' contacts are in the table.
        "contact": contact_view(card, library.registry) if card.contact else {},
    }


def contact_rows(cards: Iterable[Card], library: Library, urls: paths.Urls) -> list[dict]:
    """Every agency the cards name: its part in them (牵头 3 条、配合 1 条) and its registry
    contact, "" where unknown. Agencies that lead come first, then by first appearance."""
    counts: dict[str, dict[str, int]] = {}
    for card in cards:
        for role, names in card.agencies:
            for name in dict.fromkeys(library.registry.resolve(n) or n for n in names):
                roles = counts.setdefault(name, {})
                roles[role] = roles.get(role, 0) + 1
    rank = list(ROLE_SHORT)
    first = {name: i for i, name in enumerate(counts)}
    rows = []
    for name in sorted(counts, key=lambda n: (min(rank.index(r) for r in counts[n]), first[n])):
        agency = library.registry.agencies.get(name)
        contact = agency.contact if agency and not agency.collective else {}
        link = views.agency_link(name, library, urls)
        present = library.registry.agencies.get(link["successor"]["name"]) if link["successor"] else None
        if not contact and present:  # renamed since: whom to ask today
            contact = present.contact
        shown = {key: str(contact.get(key) or "").strip() for key in ("phone", "address", "website", "hours")}
        rows.append({**link,
                     "roles": "、".join(f"{ROLE_SHORT[r]} {counts[name][r]} 条" for r in rank if r in counts[name]),
                     **shown, "has_contact": bool(shown["phone"] or shown["address"] or shown["website"]),
                     "collective": bool(agency and agency.collective)})
    return rows


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _byline(doc: Document) -> str:
    parts = [doc.issuer, doc.doc_number, doc.date.chinese() if doc.date else ""]
    return " · ".join(p for p in parts if p)


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
