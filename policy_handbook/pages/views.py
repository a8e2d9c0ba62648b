"""Views of the index pages: agencies, topics, deadlines, series, regions, beneficiaries.

Each view turns the library into plain data for one template; templates do no lookups.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Iterable

from .. import paths
from ..content.registry import CONTACT_KEYS
from ..library.facts import ROLE_LABELS, deadline_view
from ..library.library import Library
from ..library.validity import validity_view
from ..model import Card, Document, PartialDate
from .askinstead import issuer_contacts

LEVEL_ORDER = {"省": 0, "市": 1, "县": 2, "": 3}
STATUS_NAMES = {"past": "已过", "due-soon": "30天内到期", "upcoming": "未到期", "recurring": "定期",
                "ongoing": "长期"}


def number_label(card: Card) -> str:
    """How a card's number reads in a list: '19.' for Arabic numbers, as printed otherwise."""
    return f"{card.number}." if card.number.isdigit() else card.number


def series_title(card: Card, doc: Document) -> str:
    """“48条”之大幅放宽市场准入 第一期"""
    if card.series is None or doc.series is None:
        return ""
    label = f"{doc.series.label}之" if doc.series.label else ""
    return f"{label}{card.series.group} {card.number or f'第{card.series.issue}期'}"


def card_item(card: Card, library: Library, urls: paths.Urls) -> dict:
    doc = library.documents[card.document]
    label = number_label(card)
    if card.series is not None and doc.series is not None:
        label = f"{card.series.group} {card.number}"
    return {"id": card.id, "title": card.title, "url": urls.card(card.id), "label": label,
            "general": card.kind == "general",
            "validity": validity_view(card, doc, None)}  # stated; the reader's browser adds the dates


def by_document(card_ids: Iterable[str], library: Library, urls: paths.Urls) -> list[dict]:
    """Cards grouped by document, documents in home-page order, cards in reading order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for card_id in card_ids:
        groups[library.cards[card_id].document].append(card_id)
    return [{"document": doc, "url": urls.document(doc.id),
             "cards": [card_item(library.cards[c], library, urls)
                       for c in sorted(groups[doc.id], key=library.position)]}
            for doc in library.documents.values() if doc.id in groups]


def _page_of(name: str, library: Library, urls: paths.Urls) -> dict:
    canonical = library.registry.resolve(name) or name
    return {"name": canonical, "url": urls.term("agencies", library.slugs["agencies"][canonical])
            if canonical in library.slugs["agencies"] else ""}


def agency_link(name: str, library: Library, urls: paths.Urls) -> dict:
    """An agency as a link: its registry name and page, whether it is a collective (泛指), and the
    present-day body it became (现为) when it was renamed or merged since."""
    link = _page_of(name, library, urls)
    agency = library.registry.agencies.get(link["name"])
    return {**link, "collective": bool(agency and agency.collective),
            "successor": successor_link(link["name"], library, urls)}


def successor_link(name: str, library: Library, urls: paths.Urls) -> dict | None:
    """现为：the present-day body of a renamed one (its page when the registry has it), else None."""
    found = library.registry.successor_of.get(name)
    if found is None:
        return None
    return {**_page_of(found.present, library, urls), "year": found.year,
            "steps": [{"name": step, "year": year} for step, year in found.steps]}


def agencies_view(library: Library, urls: paths.Urls) -> dict:
    """The bodies, grouped by region (outermost first) and level, with their counts; the
    collectives (泛指：各县（市、区）人民政府, 市直各部门) apart, by region too."""
    bodies: dict[str, list[dict]] = defaultdict(list)
    collectives: dict[str, list[dict]] = defaultdict(list)
    for name, slug in library.slugs["agencies"].items():
        agency = library.registry.agencies.get(name)
        cards = library.indexes.agencies.get(name)
        group = collectives if agency and agency.collective else bodies
        group[agency.region if agency else ""].append({
            "name": name, "url": urls.term("agencies", slug), "level": agency.level if agency else "",
            "lead": len(cards.lead) if cards else 0, "shared": len(cards.shared) if cards else 0,
            "has_contact": bool(agency and agency.contact and not agency.collective),
            "successor": successor_link(name, library, urls),
            "predecessors": library.registry.predecessors(name)})

    def by_region(groups: dict[str, list[dict]]) -> list[dict]:
        ordered = sorted(groups, key=lambda r: (_region_depth(r, library), r))
        return [{"name": r or "未注明地区", "agencies": sorted(
            groups[r], key=lambda a: (LEVEL_ORDER.get(a["level"], 3), -a["lead"], a["name"]))} for r in ordered]

    return {"regions": by_region(bodies), "collectives": by_region(collectives),
            "body_count": sum(map(len, bodies.values())), "collective_count": sum(map(len, collectives.values()))}


def _region_depth(region: str, library: Library) -> int:
    return len(library.registry.chain(region)) if region else 99


def agency_view(name: str, library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    agency = library.registry.agencies.get(name)
    cards = library.indexes.agencies.get(name)
    lead, shared = (cards.lead, cards.shared) if cards else ((), ())
    mine = set(lead) | set(shared)
    ledger = [{"card": card_item(library.cards[item.card], library, urls),
               "deadline": deadline_view(item.entry, as_of)}
              for item in library.indexes.dated if item.card in mine]
    ledger += [{"card": card_item(library.cards[card_id], library, urls), "deadline": deadline_view(entry, as_of)}
               for card_id, entry in library.indexes.annual if card_id in mine]
    in_calendar = bool(ledger)  # ongoing and recurring items have no day: they are in no calendar
    ledger += [{"card": card_item(library.cards[card_id], library, urls), "deadline": deadline_view(entry, as_of)}
               for card_id, entry in library.indexes.undated if card_id in mine]
    collective = bool(agency and agency.collective)
    contact = {key: agency.contact.get(key, "") for key in CONTACT_KEYS} \
        if agency and agency.contact and not collective else {}
    successor = successor_link(name, library, urls)
    present = library.registry.agencies.get(successor["name"]) if successor else None
    slug = library.slugs["agencies"][name]
    return {"name": name, "agency": agency, "contact": contact, "collective": collective,
            "successor": successor,
            "successor_contact": {key: present.contact.get(key, "") for key in CONTACT_KEYS}
            if present and present.contact else {},
            "predecessors": [_page_of(old, library, urls) for old in library.registry.predecessors(name)],
            "subscribe": subscriptions(urls, urls.feed("agencies", slug) if cards else "",
                                       urls.calendar("agencies", slug) if in_calendar else ""),
            "aliases": agency.aliases if agency else (),
            "region_url": _region_url(agency.region if agency else "", library, urls),
            "lead": by_document(lead, library, urls), "shared": by_document(shared, library, urls),
            "lead_count": len(lead), "shared_count": len(shared), "ledger": ledger,
            "issuers": issuer_contacts([library.documents[d] for d in dict.fromkeys(
                library.cards[c].document for c in (*lead, *shared))], library, urls),
            "role_labels": ROLE_LABELS}


def subscriptions(urls: paths.Urls, feed: str, calendar: str) -> dict:
    """Links to follow a page: its Atom feed and its calendar (a webcal: address for calendar
    apps when the site has a full https address; the .ics file to download either way)."""
    webcal = "webcal://" + calendar.split("://", 1)[1] if calendar.startswith(("https://", "http://")) else ""
    return {"feed": feed, "calendar": calendar, "webcal": webcal}


def has_dated(card_ids: Iterable[str], library: Library) -> bool:
    """Whether any of these cards has a dated or yearly item (so its calendar exists)."""
    ids = set(card_ids)
    return any(i.card in ids for i in library.indexes.dated) or any(c in ids for c, _ in library.indexes.annual)


def _region_url(region: str, library: Library, urls: paths.Urls) -> str:
    slug = library.slugs["regions"].get(region)
    return urls.term("regions", slug) if slug else ""


def topics_view(library: Library, urls: paths.Urls) -> dict:
    return {"topics": [{"name": t.name, "description": t.description,
                        "url": urls.term("topics", library.slugs["topics"][t.name]),
                        "count": len(library.indexes.topics.get(t.name, ()))}
                       for t in library.taxonomy.topics]}


def term_view(kind: str, name: str, description: str, card_ids: tuple[str, ...],
              library: Library, urls: paths.Urls) -> dict:
    return {"kind": kind, "name": name, "description": description, "count": len(card_ids),
            "groups": by_document(card_ids, library, urls)}


def beneficiaries_view(library: Library, urls: paths.Urls) -> dict:
    return {"beneficiaries": [{"name": t.name, "url": urls.term("beneficiaries", library.slugs["beneficiaries"][t.name]),
                               "count": len(library.indexes.beneficiaries.get(t.name, ()))}
                              for t in library.taxonomy.beneficiaries]}


def deadlines_view(library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    """Every dated item by year and month, recurring items and time limits apart."""
    years: dict[str, dict[str, list[dict]]] = {}
    for item in library.indexes.dated:
        year, month = item.date[:4], item.date[5:7]
        years.setdefault(year, {}).setdefault(month, []).append(
            {"card": card_item(library.cards[item.card], library, urls),
             "document": library.documents[library.cards[item.card].document].title,
             "deadline": deadline_view(item.entry, as_of)})
    return {
        "as_of": as_of.isoformat(),
        "subscribe": subscriptions(urls, "", urls.calendar() if years or library.indexes.annual else ""),
        "years": [{"year": y, "months": [{"month": m, "id": f"d-{y}-{m}", "label": f"{int(y)}年{int(m)}月",
                                          "entries": items} for m, items in months.items()]}
                  for y, months in years.items()],
        "annual": [{"card": card_item(library.cards[c], library, urls), "deadline": deadline_view(e, as_of)}
                   for c, e in library.indexes.annual],
        "ongoing": [{"card": card_item(library.cards[c], library, urls), "deadline": deadline_view(e, as_of)}
                    for c, e in library.indexes.undated if e["kind"] == "ongoing"],
        "recurring": [{"card": card_item(library.cards[c], library, urls), "deadline": deadline_view(e, as_of)}
                      for c, e in library.indexes.undated if e["kind"] == "recurring"],
        "limits": [{"card": card_item(library.cards[c], library, urls), "limit": limit}
                   for c, limit in library.indexes.time_limits],
    }


def coming_up(library: Library, urls: paths.Urls, as_of: dt.date, limit: int = 5, spare: int = 15) -> list[dict]:
    """The home page's 即将到期 box: the next dated items still open, then yearly ones at their
    next date, then 办理时限 a person can act on — never a past year. `limit` are shown; `spare`
    more dated items ride along hidden, so that the reader's browser (static/status.js) can move
    the box on as days pass without a rebuild."""
    today = as_of.isoformat()

    def in_force(card_id: str) -> bool:  # a policy no longer in force has nothing coming up
        card = library.cards[card_id]
        return validity_view(card, library.documents[card.document], as_of)["tone"] != "ended"

    dated = sorted(((i.date, library.position(i.card), i.card, i.entry) for i in library.indexes.dated
                    if i.date >= today and in_force(i.card)), key=lambda i: i[:2])[:limit + spare]
    annual = sorted(((_next_occurrence(e, as_of), library.position(c), c, e) for c, e in library.indexes.annual
                     if in_force(c)), key=lambda i: i[:2])
    limits = [(c, text) for c, text in dict.fromkeys(library.indexes.time_limits) if in_force(c)]
    items = [{"group": "dated", "next": date, "card": card_item(library.cards[c], library, urls),
              "deadline": deadline_view(e, as_of)} for date, _, c, e in dated]
    items += [{"group": "annual", "next": date, "next_text": PartialDate(date).chinese(),
               "month_day": e["month_day"], "first_year": e.get("first_year") or "",
               "card": card_item(library.cards[c], library, urls), "deadline": deadline_view(e, as_of)}
              for date, _, c, e in annual]
    items += [{"group": "limit", "next": "", "card": card_item(library.cards[c], library, urls), "limit": text}
              for c, text in limits[:limit]]
    for k, item in enumerate(items):
        item["shown"] = k < limit
    return items


def _next_occurrence(entry: dict, as_of: dt.date) -> str:
    """The next date of an annual item on or after as_of (not before its first year)."""
    month, day = (int(x) for x in entry["month_day"].split("-"))
    year = max(as_of.year, entry.get("first_year") or as_of.year)
    if _yearly(year, month, day) < as_of:
        year += 1
    return _yearly(year, month, day).isoformat()


def _yearly(year: int, month: int, day: int) -> dt.date:
    """The day in that year; 29 February falls on the 28th in other years."""
    return dt.date(year, month, day if month != 2 or day < 29 or calendar.isleap(year) else 28)


def series_view(doc_id: str, library: Library, urls: paths.Urls) -> dict:
    doc = library.documents[doc_id]
    groups = library.groups_by_document[doc_id]
    return {"document": doc, "document_url": urls.document(doc_id), "count": sum(len(g.cards) for g in groups),
            "groups": [{"index": i, "name": g.name, "url": urls.group(doc_id, i),
                        "cards": [card_item(library.cards[c], library, urls) for c in g.cards]}
                       for i, g in enumerate(groups, start=1)]}


def group_view(doc_id: str, index: int, library: Library, urls: paths.Urls) -> dict:
    doc = library.documents[doc_id]
    groups = library.groups_by_document[doc_id]
    group = groups[index - 1]

    def neighbour(i: int) -> dict:
        return {"name": groups[i - 1].name, "url": urls.group(doc_id, i)}

    return {"document": doc, "series_url": urls.series(doc_id), "index": index, "name": group.name,
            "cards": [{**card_item(library.cards[c], library, urls),
                       "excerpt": library.excerpt(c)} for c in group.cards],
            "prev": neighbour(index - 1) if index > 1 else None,
            "next": neighbour(index + 1) if index < len(groups) else None}


def region_view(region: str, library: Library, urls: paths.Urls) -> dict:
    doc_ids = library.indexes.regions.get(region, ())
    agencies = sorted(name for name, a in library.registry.agencies.items() if a.region == region
                      and name in library.slugs["agencies"])
    card_ids = [c for d in doc_ids for c in library.cards_by_document[d]]
    info = library.registry.regions.get(region)
    parent = info.parent if info else ""
    return {"name": region, "level": info.level if info else "",
            "parent": {"name": parent, "url": _region_url(parent, library, urls)} if parent else None,
            "children": [{"name": r.name, "url": _region_url(r.name, library, urls)}
                         for r in library.registry.regions.values() if r.parent == region
                         and r.name in library.slugs["regions"]],
            "documents": [{"document": library.documents[d], "url": urls.document(d),
                           "count": len(library.cards_by_document[d])} for d in doc_ids],
            "agencies": [link for a in agencies if not (link := agency_link(a, library, urls))["collective"]],
            "collectives": [link for a in agencies if (link := agency_link(a, library, urls))["collective"]],
            "groups": by_document(card_ids, library, urls), "count": len(card_ids)}


def regions_view(library: Library, urls: paths.Urls) -> dict:
    return {"regions": [{"name": name, "url": urls.term("regions", slug),
                         "level": library.registry.regions[name].level if name in library.registry.regions else "",
                         "depth": len(library.registry.chain(name)),
                         "documents": len(library.indexes.regions.get(name, ()))}
                        for name, slug in sorted(library.slugs["regions"].items(),
                                                 key=lambda kv: (library.registry.chain(kv[0])[::-1]))]}


DATA_FILES = (("cards", "知识卡片", "每条措施：编号、标题、正文、责任单位、时限、主题、适用对象、出处、相关措施"),
              ("documents", "政策文件", "发文机关、文号、成文日期、地区，以及各文件的卡片"),
              ("agencies", "责任单位", "名称、别称、级别、地区、联系方式，以及牵头和参与的措施"),
              ("topics", "主题", "主题名称、说明及其卡片"))


def data_view(library: Library, urls: paths.Urls) -> dict:
    """The open data and subscriptions page: what can be downloaded or followed, and where."""
    counts = {"cards": len(library.cards), "documents": len(library.documents),
              "agencies": len(library.slugs["agencies"]), "topics": len(library.taxonomy.topics)}
    return {"files": [{"name": label, "url": urls.data(f"{key}.json"), "file": f"{key}.json", "about": about,
                       "schema": urls.data(f"schema/{key}.schema.json"), "count": counts[key]}
                      for key, label, about in DATA_FILES],
            "csv": urls.data("policy-list.csv"),
            "subscribe": subscriptions(urls, urls.feed(),
                                             urls.calendar() if library.indexes.dated or library.indexes.annual else ""),
            "topics_url": urls.section("topics"), "agencies_url": urls.section("agencies")}


def home_view(library: Library, urls: paths.Urls) -> dict:
    docs = []
    for doc in library.documents.values():
        groups = library.groups_by_document.get(doc.id, ())
        docs.append({"document": doc, "url": urls.series(doc.id) if groups else urls.document(doc.id),
                     "count": len(library.cards_by_document[doc.id]),
                     "groups": [{"name": g.name, "count": len(g.cards),
                                 "url": urls.group(doc.id, i)} for i, g in enumerate(groups, start=1)]})
    return {"documents": docs, "total": len(library.cards)}
