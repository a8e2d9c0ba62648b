"""Files the search page reads besides Pagefind's bundle: the character table that lets the
browser read a query as the build read the cards (pages/searchterms.normalise); and the
fragments of that bundle without the search tokens, which the page never shows."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from ..library.library import Library
from ..pages.searchterms import LEAD, TEXT, TITLE, simplified_table

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


def strip_tokens(bundle: Path) -> None:
    """Take the search tokens (meta fields TEXT, TITLE, LEAD: pages/searchfields.py) out of every
    fragment in Pagefind's bundle: Pagefind indexes meta fields and also stores them in the
    fragment a result loads, where they were two thirds of its bytes. static/searchindex.js reads
    the tokens from the index chunks; nothing reads them from a fragment. A fragment keeps its
    name (the index names it by Pagefind's hash), and is written again only when it had tokens."""
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw.removeprefix(SIGNATURE))
        meta = data.get("meta", {})
        if not {TEXT, TITLE, LEAD} & meta.keys():
            continue
        data["meta"] = {k: v for k, v in meta.items() if k not in (TEXT, TITLE, LEAD)}
        text = SIGNATURE + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(text, compresslevel=6, mtime=0))
