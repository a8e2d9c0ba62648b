"""Search tokens that make Chinese recall independent of how a browser segments the query.

Pagefind splits page text into words at build time, and the browser splits the query with
Intl.Segmenter, which in Debian's Chromium cuts most Chinese into single characters
(优化营商环境 -> 优|化|营|商|环境). Where the two disagree, cards are lost (upstream issue 1237).
So every card also carries, in a searchable meta field, one token per character and per pair
of adjacent characters (Chinese and digits), written as ASCII words that no segmenter splits;
static/search.js turns a query into the same tokens. A query then finds exactly the cards that
contain all its adjacent pairs: as good as a phrase search for 2–6 character terms.
"""
from __future__ import annotations

import re

RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9]+")  # Chinese characters and digits
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int, width: int = 4) -> str:
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = DIGITS[rest] + out
    return out.rjust(width, "0")


def token(chars: str) -> str:
    """'容错' -> 'g' + four base-36 digits per character (the same as tokenFor in search.js)."""
    return "g" + "".join(_base36(ord(c)) for c in chars)


def search_tokens(text: str) -> list[str]:
    """Every character and adjacent pair of the text's runs, once each, in order of appearance."""
    seen: dict[str, None] = {}
    for run in RUN.findall(text):
        for i, char in enumerate(run):
            seen.setdefault(token(char))
            if i + 1 < len(run):
                seen.setdefault(token(run[i:i + 2]))
    return list(seen)
