"""Atom feeds of cards, sitemap.xml and robots.txt, as {output path under site/: bytes}. Pure; no I/O.

Feeds (Atom 1.0, RFC 4287), built with xml.etree.ElementTree:

- the whole handbook at Urls.feed(), one per topic of the taxonomy (an empty feed for a topic
  without cards, so every topic page can link to its feed) and one per agency with cards (lead
  or shared: library.indexes.agencies) at Urls.feed("topics" | "agencies", slug);
- newest first, at most FEED_LIMIT (50) entries a feed: a card's date is its document's
  `published` date, else its `date`; a date known only to the year or month counts from the
  first day of it ("2016" -> 2016-01-01, "2016-05" -> 2016-05-01), at midnight Beijing time
  (+08:00); a document without any date counts as UNDATED (1970-01-01), so its cards come last.
  Cards of the same date keep the handbook's reading order;
- with a history (library/history.py: the repository's history), an entry's `updated` is the day
  of its card's last change when that is later (`published` stays the document's date), and
  entries are ordered by it: readers see an edited measure as updated;
- `updated` of a feed is its newest entry's date (UNDATED for an empty feed), never the time of
  the build: the same content gives the same bytes;
- characters XML 1.0 forbids (control characters, U+FFFE …) are left out of every text and
  attribute (xml_text), so a feed or sitemap always parses, whatever the content holds.

Ids (atom:id) are `urn:uuid:` names (uuid5) of the handbook's title and the card id (a feed: the
title and the topic or agency name). They do not depend on base_url, so moving the site or
switching between a path and a full-URL base never makes readers show every card again as new;
card ids are never reused (README), and the title tells two handbooks apart. Renaming the
handbook (config.yaml `title`) changes every id, once.

URLs come from paths.Urls: with a full-URL base_url (https://example.org/handbook/) every link
is absolute; with a path base (/ or /handbook/) links are root paths, which feed readers resolve
against the feed's own address. Ids are absolute either way, so the feed stays valid Atom; the
sitemap and robots.txt, though, only mean something with a full-URL base (see site_files).
"""
from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from html import unescape
from html.parser import HTMLParser

from .. import paths
from ..config import Config
from ..library.history import History
from ..library.library import Library
from ..library.links import LinkTarget, render_body
from ..library.validity import validity_view
from ..model import Card, PartialDate
from ..pages.views import number_label, series_title

FEED_LIMIT = 50  # newest entries in each feed
SUMMARY_LENGTH = 200  # characters of a card's plain text in an entry's summary
UNDATED = "1970-01-01"  # the date of a card whose document has no date at all
TIME = "T00:00:00+08:00"  # a card's date is a day; Atom wants a moment: midnight in China
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Fixed for ever: every id below is a uuid5 name in this namespace.
ID_NAMESPACE = uuid.UUID("3b0e6b1c-4f43-5a8e-9d4f-6f6c6963792d")
# Characters XML 1.0 does not allow at all (not even as &#…;): C0 controls but tab, newline and
# CR, lone surrogates, U+FFFE and U+FFFF. ElementTree writes them as they are: ill-formed XML.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 forbids (invisible anyway), so a feed always parses."""
    return _NOT_XML.sub("", text)


def handbook_uuid(config: Config, *parts: str) -> uuid.UUID:
    """A stable UUID for something of this handbook: the same title and parts, the same UUID."""
    return uuid.uuid5(ID_NAMESPACE, "\n".join((config.title, *parts)))


def is_absolute(base_url: str) -> bool:
    return "://" in base_url


def padded_date(date: PartialDate | None) -> str:
    """'2016' -> '2016-01-01', '2016-05' -> '2016-05-01'; no date -> UNDATED."""
    if date is None:
        return UNDATED
    year, month, day = (date.iso.split("-") + ["01", "01"])[:3]
    return f"{year}-{month}-{day}"


def card_date(card: Card, library: Library) -> str:
    """The day a card appeared: its document's published date, else its date (ISO, padded)."""
    doc = library.documents[card.document]
    return padded_date(doc.published or doc.date)


def updated_date(card: Card, library: Library, history: History | None) -> str:
    """The day a card last changed: its last change in the history when later than card_date."""
    changed = history.updated(card.path) if history is not None else ""
    return max(card_date(card, library), changed)


def entry_title(card: Card, library: Library) -> str:
    """As the card page's og:title: '降低企业用电成本｜“48条”之… 第一期' or '…｜<document> （三）'."""
    doc = library.documents[card.document]
    place = series_title(card, doc) or f"{doc.title} {number_label(card)}"
    return f"{card.title}｜{place}"


class _Text(HTMLParser):
    """The text of rendered HTML, blocks separated by a space."""

    BLOCKS = {"p", "li", "br", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(card: Card, target: LinkTarget, length: int = SUMMARY_LENGTH, html: str | None = None) -> str:
    """The start of a card's text without markup: editor links read as their text. `html`: the
    body as the link stage rendered it (the same call), else it is rendered here."""
    parser = _Text()
    parser.feed(render_body(card.body, target, card.body_line).html if html is None else html)
    parser.close()
    text = " ".join(unescape("".join(parser.parts)).split())
    return text if len(text) <= length else text[:length] + "…"


def newest_first(card_ids: Iterable[str], library: Library, history: History | None = None) -> list[str]:
    """Newest first (by updated_date); cards of the same day in the handbook's reading order."""
    dated = sorted(((updated_date(library.cards[c], library, history), library.position(c), c)
                    for c in set(card_ids)),
                   key=lambda item: item[1])
    dated.sort(key=lambda item: item[0], reverse=True)  # stable: reading order kept within a day
    return [c for _, _, c in dated]


def feed_files(library: Library, config: Config, history: History | None = None,
               bodies: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Every Atom feed: {output path under site/: bytes}; entries dated by `history` when given.
    `bodies`: card id -> body HTML as the link stage rendered it (library/bodies.py), not rendered again."""
    urls = paths.Urls(config.base_url)
    target = LinkTarget({c.id: c.title for c in library.cards.values()},
                        {d.title: d.id for d in library.documents.values()}, urls.card, urls.document)
    made: dict[str, ET.Element] = {}

    def entry(card_id: str) -> ET.Element:
        """A card's entry, made once and put in every feed it is in (ElementTree keeps no parent)."""
        if card_id not in made:
            made[card_id] = _entry(library.cards[card_id], library, config, urls, target, history,
                                   None if bodies is None else bodies.get(card_id, ""))
        return made[card_id]

    feeds = [(urls.feed(), urls.home(), config.title, config.description, ("feed",), tuple(library.cards))]
    for topic in library.taxonomy.topics:
        slug = library.slugs["topics"][topic.name]
        feeds.append((urls.feed("topics", slug), urls.term("topics", slug), f"{config.title} · {topic.name}",
                      topic.description, ("feed", "topics", topic.name), library.indexes.topics.get(topic.name, ())))
    for name, cards in library.indexes.agencies.items():
        slug = library.slugs["agencies"][name]
        feeds.append((urls.feed("agencies", slug), urls.term("agencies", slug), f"{config.title} · {name}",
                      "", ("feed", "agencies", name), cards.lead + cards.shared))
    files = {}
    for url, page, title, subtitle, key, card_ids in feeds:
        entries = newest_first(card_ids, library, history)[:FEED_LIMIT]
        root = _feed(url, page, title, subtitle, key, entries, library, config, history)
        root.extend(entry(card_id) for card_id in entries)
        files[paths.url_output(url, urls.base)] = _xml(root)
    return files


def _xml(root: ET.Element) -> bytes:
    """Elements are made with plain names and the root carries xmlns: ElementTree's own default
    namespace option refuses plain attribute names, and register_namespace is global state."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def _feed(url: str, page: str, title: str, subtitle: str, key: tuple[str, ...], entries: list[str],
          library: Library, config: Config, history: History | None = None) -> ET.Element:
    """A feed's own elements, without its entries."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": xml_text(config.lang)})
    _sub(root, "id", handbook_uuid(config, *key).urn)
    _sub(root, "title", title)
    if subtitle:
        _sub(root, "subtitle", subtitle)
    _sub(root, "link", rel="self", type="application/atom+xml", href=url)
    _sub(root, "link", rel="alternate", type="text/html", href=page)
    _sub(root, "updated", (updated_date(library.cards[entries[0]], library, history) if entries else UNDATED) + TIME)
    _sub(_sub(root, "author"), "name", config.title)  # for entries without an issuer
    return root


def _entry(card: Card, library: Library, config: Config, urls: paths.Urls, target: LinkTarget,
           history: History | None = None, html: str | None = None) -> ET.Element:
    doc = library.documents[card.document]
    entry = ET.Element("entry")
    _sub(entry, "id", handbook_uuid(config, "card", card.id).urn)
    title = entry_title(card, library)
    validity = validity_view(card, doc, config.as_of_date)
    marked = validity["tone"] in ("ended", "pending", "changed")  # a reader of the feed sees it first
    _sub(entry, "title", f"【{validity['status']}】{title}" if marked else title)
    _sub(entry, "link", rel="alternate", type="text/html", href=urls.card(card.id))
    _sub(entry, "link", rel="related", type="text/html", href=urls.document(doc.id), title=doc.title)
    _sub(entry, "updated", updated_date(card, library, history) + TIME)
    if history is not None and history.dated:
        _sub(entry, "published", card_date(card, library) + TIME)
    if doc.issuer:
        _sub(_sub(entry, "author"), "name", doc.issuer)
    for topic in card.topics:
        if topic in library.slugs["topics"] and is_absolute(urls.base):
            _sub(entry, "category", term=topic, scheme=urls.section("topics"))
        else:
            _sub(entry, "category", term=topic)
    if validity["status"]:
        _sub(entry, "category", term=validity["status"], label=f"效力：{validity['status']}")
    # A series card's title names its issue, not its document: the summary does.
    source = "" if doc.title in title else f"（《{doc.title}》）"
    _sub(entry, "summary", plain_text(card, target, html=html) + source, type="text")
    return entry


def site_files(pages: Iterable[str], config: Config) -> dict[str, bytes]:
    """sitemap.xml (sitemaps.org 0.9) listing every HTML page once, and robots.txt.

    `pages` are output paths under site/ ("cards/x/index.html" -> <base>cards/x/); 404.html and
    anything not HTML are left out. The sitemap protocol wants absolute URLs, so the sitemap is
    only useful with a full-URL base_url; robots.txt allows everything and names the sitemap
    then. Crawlers read robots.txt only at a host's root, so it matters only for a site served
    there (a base of https://example.org/, not https://example.org/handbook/)."""
    urls = paths.Urls(config.base_url)
    locs = sorted({urls.base + (page[: -len("index.html")] if page == "index.html" or page.endswith("/index.html")
                                else page)
                   for page in pages if page.endswith(".html") and page != "404.html"})
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for loc in locs:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = xml_text(loc)
    sitemap = urls.base + "sitemap.xml"
    robots = "User-agent: *\nAllow: /\n" + (f"\nSitemap: {sitemap}\n" if is_absolute(urls.base) else "")
    return {"sitemap.xml": _xml(root),
            "robots.txt": robots.encode("utf-8")}
