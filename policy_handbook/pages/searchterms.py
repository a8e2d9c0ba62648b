"""Search tokens that make Chinese recall independent of how a browser segments the query.

Pagefind splits page text into words at build time, and the browser splits the query with
Intl.Segmenter, which in Debian's Chromium cuts most Chinese into single characters
(优化营商环境 -> 优|化|营|商|环境). Where the two disagree, cards are lost (upstream issue 1237).
So every card also carries, in searchable meta fields, one token per adjacent pair of
characters (Chinese, digits, ASCII letters; the last character of a run is paired with an end
mark), written as ASCII words that no segmenter splits; static/search.js turns a query into the
same tokens, in order. A quoted search for a query's pairs then finds exactly the cards that
contain the query (the pairs are adjacent words), and a single character is a prefix of its pairs.

Text and query are read the same way first (`normalise`): NFKC (full-width digits and letters
as half-width), traditional characters as simplified (OpenCC's t2s, one character for one: the
browser gets the same table, `simplified_table`), ASCII letters in lower case.

Three fields, each with its own mark at the end of the token: the whole card (TEXT), its title
(TITLE) and its lead agencies (LEAD); search.js ranks a card whose title contains the query
before one whose lead agency does, before one that mentions it. search.js reads the tokens from
Pagefind's index itself (static/searchindex.js); outputs/searchdata.strip_fragments then takes them
out of the fragments Pagefind stores for each page (the page never shows them).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9a-z]+")  # Chinese characters, digits, letters
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
END = "\0"  # pairs with the last character of a run: every character starts a pair
# Field marks (search.js: FIELD), last in the token: a pair's title, lead and text tokens sort
# next to each other, and Pagefind closes an index chunk only after a word (the text token, whose
# list of pages is the longest, last), so the three are in one chunk, fetched once for all fields.
TEXT, TITLE, LEAD = "t", "a", "b"
LEAD_MARK = "x"  # every token starts with a letter, so that it is one ASCII word
CJK = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))


@lru_cache(maxsize=1)
def simplified_table() -> dict[str, str]:
    """Every traditional (or variant) character that OpenCC's t2s writes as one other character."""
    converter = opencc.OpenCC("t2s")
    table = {}
    for block in CJK:
        for code in block:
            char = chr(code)
            out = converter.convert(char)
            if len(out) == 1 and out != char:
                table[char] = out
    return table


def normalise(text: str) -> str:
    """How search reads text and query alike: NFKC, simplified characters, lower case."""
    table = simplified_table()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=None)  # a few thousand distinct characters: computed once each, not per pair
def _base36(number: int, width: int = 3) -> str:
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = DIGITS[rest] + out
    return out.rjust(width, "0")


@lru_cache(maxsize=1 << 18)  # the same pairs recur across cards: 27 % of a build went to encoding them
def token(pair: str, field: str = TEXT) -> str:
    """'容错' -> x, the first character's three base-36 digits, the second's, the field's mark
    (tokenFor in search.js). The tokens for the pairs a character starts share a prefix (what a
    one-character query looks up), and a pair's three fields' tokens are neighbours."""
    return LEAD_MARK + _base36(ord(pair[0])) + _base36(ord(pair[1])) + field


def search_tokens(text: str, field: str = TEXT) -> list[str]:
    """Every adjacent pair of the normalised text's runs, in order: the pairs of a phrase are
    adjacent words, so Pagefind's exact search (a quoted query) finds the phrase itself."""
    return [token(char + (run[i + 1] if i + 1 < len(run) else END), field)
            for run in RUN.findall(normalise(text)) for i, char in enumerate(run)]


def short_forms(names: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Other names a reader types for each agency: the registry's aliases show how names are
    shortened (山西省发展改革委 / 山西省发改委: 发展改革 -> 发改); each such shortening is applied
    to every name. `pairs` are (canonical name, alias); returns {name: [short forms]}."""
    rules: dict[str, str] = {}
    for name, alias in pairs:
        if len(alias) > len(name):
            name, alias = alias, name
        head = 0
        while head < min(len(name), len(alias)) and name[head] == alias[head]:
            head += 1
        tail = 0
        while tail < min(len(name), len(alias)) - head and name[-1 - tail] == alias[-1 - tail]:
            tail += 1
        long, short = name[head:len(name) - tail], alias[head:len(alias) - tail]
        if len(long) >= 2 and 0 < len(short) < len(long):
            rules.setdefault(long, short)
    out: dict[str, list[str]] = {}
    for name in names:
        forms = [name.replace(long, short) for long, short in sorted(rules.items()) if long in name]
        out[name] = sorted(set(forms) - {name})
    return out
