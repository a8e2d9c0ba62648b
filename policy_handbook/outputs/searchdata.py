"""Files the search page reads besides Pagefind's bundle: the character table that lets the
browser read a query as the build read the cards (pages/searchterms.normalise), and the names
of the lead agencies (a query none of them holds needs no lookup of lead agencies)."""
from __future__ import annotations

import json

from ..library.library import Library
from ..pages.searchfields import agency_names
from ..pages.searchterms import normalise, simplified_table

TABLE = "search/terms.json"


def search_files(library: Library) -> dict[str, bytes]:
    """search/terms.json: {"from": traditional characters, "to": their simplified forms, one
    for one, for every simplified character the handbook's cards or agencies use (a character
    no card holds can match nothing either way); "lead": every name (aliases and short forms
    too) of an agency that leads a measure, normalised}."""
    used = set()
    for card in library.cards.values():
        used.update(card.title, card.body)
    for agency in library.registry.agencies.values():
        used.update(agency.name, *agency.aliases)
    pairs = sorted((t, s) for t, s in simplified_table().items() if s in used)
    leads = {library.registry.resolve(n) or n for card in library.cards.values() for n in card.agencies_in("lead")}
    table = {"from": "".join(t for t, _ in pairs), "to": "".join(s for _, s in pairs),
             "lead": sorted({normalise(name) for name in agency_names(sorted(leads), library)})}
    return {TABLE: json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()}
