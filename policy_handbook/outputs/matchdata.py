"""match/measures.json: what the matcher page (适用于我吗, static/match.js) needs of every measure.

One small file, built with the site, read by the reader's browser: no server, no login. For each
measure a business can act on: id, title, url, region, 适用对象, topics, lead agencies, whom to
ask (the card's or a lead agency's contact from the registry; else its document's issuer and the
public hotline set in config), its dated deadlines and undated ones as written, and its validity
as stated (the browser completes statuses from today's date, as static/status.js does). The
rules that use them are library/eligibility.py's. Deterministic: no build date, keys in order.
"""
from __future__ import annotations

import datetime as dt
import json

from .. import paths
from ..config import Config
from ..library.eligibility import actionable, covering, for_everyone, overall
from ..library.facts import ROLE_LABELS, contact_view, deadline_view
from ..library.library import Library
from ..library.validity import stated_for
from ..model import Card
from ..pages.matchform import DATA_FILE

DATED = ("due", "target", "start", "period")


def match_files(library: Library, config: Config) -> dict[str, bytes]:
    urls = paths.Urls(config.base_url)
    data = match_data(library, urls, public_hotline(config), config.as_of_date)
    path = paths.url_output(urls.section("match"), urls.base).rsplit("/", 1)[0] + "/" + DATA_FILE
    return {path: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}


def public_hotline(config: Config) -> str:
    """The hotline readers may call when a measure names no contact (config's `public_hotline`)."""
    return config.public_hotline.strip()


def match_data(library: Library, urls: paths.Urls, hotline: str, as_of: dt.date) -> dict:
    """The file's content (`as_of` only for the wording of deadlines, never their status).
    Empty fields of a measure are left out; agencies' pages are listed once, by name."""
    skip = overall(library)
    cards = sorted((c for c in library.cards.values() if actionable(c, skip)), key=lambda c: library.position(c.id))
    docs = {c.document for c in cards}
    regions = dict.fromkeys([*library.registry.regions, *(library.documents[d].region for d in docs)])
    measures = [measure(card, library, urls, as_of) for card in cards]
    named = sorted({name for m in measures for name in m.get("lead", ())})
    return {
        "hotline": hotline,
        "topics": [t.name for t in library.taxonomy.topics if not t.overall],
        "everyone": sorted(for_everyone(library)),
        "covering": {r: list(covering(r, library.registry)) for r in regions if r},
        "documents": {d.id: {"title": d.title, "issuer": d.issuer, "url": urls.document(d.id)}
                      for d in library.documents.values() if d.id in docs},
        "agencies": {n: urls.term("agencies", library.slugs["agencies"][n]) if n in library.slugs["agencies"] else ""
                     for n in named},
        "measures": measures,
    }


def measure(card: Card, library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    """One measure; `role` is there only when its agencies are 责任单位 rather than 牵头单位."""
    doc = library.documents[card.document]
    validity, _ = stated_for(card, doc)
    entries = [deadline_view(d, as_of) for d in card.deadlines]
    registry = library.registry
    role = "lead" if card.agencies_in("lead") else "responsible"
    found = {
        "id": card.id, "title": card.title, "url": urls.card(card.id), "document": doc.id,
        "region": doc.region, "for": list(card.beneficiaries), "topics": list(card.topics),
        "lead": list(dict.fromkeys(registry.resolve(n) or n for n in card.agencies_in(role))),
        "role": ROLE_LABELS[role] if role != "lead" else "",
        "contact": {k: v for k, v in contact_view(card, registry).items() if v},
        "dates": [{"date": e["iso"], "when": e["when"], "kind": e["kind_label"]}
                  for e in entries if e["kind"] in DATED and e["iso"]],
        "undated": [e["when"] for e in entries if e["kind"] not in DATED or not e["iso"]],
        "validity": {k: v for k, v in (("stated", validity.status), ("from", validity.start),
                                       ("until", validity.until)) if v} if validity else {},
    }
    return {k: v for k, v in found.items() if v or k in ("for", "topics")}
