"""Files the search page reads besides Pagefind's bundle: the character table that lets the
browser read a query as the build read the cards (pages/searchterms.normalise); and the
fragments of that bundle cut to what a result shows."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from ..library.library import Library
from ..pages.searchterms import simplified_table

TABLE = "search/terms.json"
SIGNATURE = b"pagefind_dcd"  # what Pagefind writes before a fragment's JSON


def search_files(library: Library) -> dict[str, bytes]:
    """search/terms.json: {"from": traditional characters, "to": their simplified forms, one
    for one, for every simplified character the handbook's cards or agencies use (a character
    no card holds can match nothing either way)}."""
    used = set()
    for card in library.cards.values():
        used.update(card.title, card.body)
    for agency in library.registry.agencies.values():
        used.update(agency.name, *agency.aliases)
    pairs = sorted((t, s) for t, s in simplified_table().items() if s in used)
    table = {"from": "".join(t for t, _ in pairs), "to": "".join(s for _, s in pairs)}
    return {TABLE: json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()}


# What a result shows of its card (static/search.js resultItem): the rest of a fragment's meta
# (the search tokens, the document's date for the sort order) is taken out.
SHOWN_META = ("title", "document", "issue", "lead", "deadline", "vs", "vu")


def strip_fragments(bundle: Path) -> None:
    """Keep in every fragment of Pagefind's bundle only what a result shows: its url, its text
    and the meta it shows (SHOWN_META). Pagefind also stores there the meta fields it indexes
    (the search tokens: pages/searchfields.py, two thirds of a fragment's bytes), the card's
    filter values, its word count, and a zero-width space between every two words of the text;
    static/searchindex.js reads tokens and filters from the index files, and the page shows none
    of those. A fragment keeps its name (the index names it by Pagefind's hash). Runs after
    outputs/search.write_sorts, which reads the dates."""
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(SIGNATURE))
        meta = data.get("meta", {})
        kept = {"url": data.get("url", ""), "content": data.get("content", "").replace("\u200b", ""),
                "meta": {k: meta[k] for k in SHOWN_META if k in meta}}
        text = SIGNATURE + json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(text, compresslevel=6, mtime=0))
