"""Files the search page reads besides Pagefind's bundle: the character table that lets the
browser read a query as the build read the cards (pages/searchterms.normalise)."""
from __future__ import annotations

import json

from ..library.library import Library
from ..pages.searchterms import simplified_table

TABLE = "search/t2s.json"


def search_files(library: Library) -> dict[str, bytes]:
    """search/t2s.json: {"from": traditional characters, "to": their simplified forms}, one for
    one, for every simplified character the handbook's cards or agencies use (a character no
    card holds can match nothing either way)."""
    used = set()
    for card in library.cards.values():
        used.update(card.title, card.body)
    for agency in library.registry.agencies.values():
        used.update(agency.name, *agency.aliases)
    pairs = sorted((t, s) for t, s in simplified_table().items() if s in used)
    table = {"from": "".join(t for t, _ in pairs), "to": "".join(s for _, s in pairs)}
    return {TABLE: json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()}
