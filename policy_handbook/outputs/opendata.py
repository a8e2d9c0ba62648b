"""Open data: the handbook as JSON files with their JSON Schemas, and the policy list (政策清单) as CSV.

Pure; no I/O. `data_files` returns {output path under site/: bytes}:

- data/cards.json, data/documents.json, data/agencies.json, data/topics.json: each a small header
  (schema URL, site title, home URL, notice, count) and a list of records;
- data/schema/<name>.schema.json: their JSON Schemas (draft 2020-12), made in opendata_schema.py;
  every property has a description, which is the documentation of the format;
- data/policy-list.csv: one row per measure, Chinese headers, UTF-8 with BOM, CRLF (RFC 4180);
  a cell that would start a formula (=, +, -, @, tab, CR) gets a ' in front (as_text).

The output depends only on the content and config: no build time and no deadline status (which
changes with the day), so two builds of the same content give the same bytes. Conventions: text
that is not known is "", a date or an object that is not known is null, and lists are in the
handbook's order (cards in reading order, documents in home-page order, topics in taxonomy order,
agencies by name).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

from .. import paths
from ..config import Config
from ..content.registry import CONTACT_KEYS
from ..errors import Diagnostics
from ..library.bodies import Bodies, render_bodies
from ..library.facts import ROLE_LABELS, contact_view
from ..library.library import Library
from ..library.validity import validity_view
from ..model import Card, Document
from .opendata_schema import NOTICE, schema_name, schemas

FILES = ("cards", "documents", "agencies", "topics")
CSV_NAME = "policy-list.csv"
ROLES = tuple(ROLE_LABELS)  # lead, responsible, support, mentioned
JOIN = "、"  # between the values of one CSV cell
HEADING_JOIN = " > "  # between the headings of one CSV cell (headings contain 、 themselves)
# Kind "general" (指导思想, 基本原则, 主要目标 …) states aims, not something to be done: it is in
# cards.json but not in the policy list.
CSV_KINDS = ("measure",)
CSV_COLUMNS = ("文件", "文号", "章节", "序号", "标题", "牵头单位", "责任单位", "配合单位", "时限", "主题", "效力", "链接")


def data_files(library: Library, config: Config, bodies: Bodies | None = None) -> dict[str, bytes]:
    """Every open-data file of the handbook. `bodies` (the rendered card bodies of the build) is
    reused for the plain-text version of each card; without it the bodies are rendered here."""
    urls = paths.Urls(config.base_url)
    if bodies is None:
        bodies = render_bodies(library, urls, Diagnostics())

    def out(name: str) -> str:
        return paths.url_output(urls.data(name), urls.base)

    as_of = config.as_of_date
    records = {"cards": card_records(library, urls, bodies, as_of), "documents": document_records(library, urls, as_of),
               "agencies": agency_records(library, urls), "topics": topic_records(library, urls)}
    files: dict[str, bytes] = {}
    for name, schema in schemas(urls).items():
        files[out(f"{name}.json")] = dump_records({
            "schema": urls.data(schema_name(name)), "title": config.title, "home": urls.home(),
            "notice": NOTICE, "count": len(records[name])}, name, records[name])
        files[out(schema_name(name))] = dump_json(schema)
    files[out(CSV_NAME)] = policy_list(library, urls, as_of)
    return files


def dump_json(data: object) -> bytes:
    """Deterministic JSON: keys in the order they are built, Chinese as is, a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump_records(header: dict, name: str, records: list[dict]) -> bytes:
    """A data file: the header indented, then one record per line (diffs show the records that
    changed, and the compact encoder is several times faster than an indented one)."""
    lines = ["{"] + [f"  {_COMPACT.encode(key)}: {_COMPACT.encode(value)}," for key, value in header.items()]
    lines.append(f"  {_COMPACT.encode(name)}: [")
    lines += [f"    {_COMPACT.encode(record)}," for record in records]
    if records:
        lines[-1] = lines[-1][:-1]
    lines += ["  ]", "}", ""]
    return "\n".join(lines).encode("utf-8")


# --- records ------------------------------------------------------------------------------------

def card_records(library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date) -> list[dict]:
    cards = sorted(library.cards.values(), key=lambda c: library.order[c.id])
    return [card_record(card, library, urls, bodies, as_of) for card in cards]


def validity_record(card: Card | None, doc: Document, as_of: dt.date) -> dict | None:
    """The validity that applies (the card's own, else its document's) and its status on as_of."""
    view = validity_view(card, doc, as_of)
    if not (view["stated"] or view["from"] or view["until"] or view["note"]):
        return None
    return {"status": view["status"] or None, "stated": view["stated"] or None, "whose": view["whose"],
            "from": view["from"] or None, "until": view["until"] or None,
            "replaced_by": view["replaced_by"] or None, "note": view["note"]}


def card_record(card: Card, library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date) -> dict:
    contact = contact_view(card, library.registry)
    return {
        "id": card.id,
        "url": urls.card(card.id),
        "document": card.document,
        "number": card.number,
        "title": card.title,
        "kind": card.kind,
        "series": {"group": card.series.group, "issue": card.series.issue} if card.series else None,
        "heading": list(card.heading),
        "agencies": {role: canonical(card.agencies_in(role), library) for role in ROLES},
        "deadlines": [deadline_record(entry) for entry in card.deadlines],
        "time_limits": list(card.time_limits),
        "topics": unique(card.topics),
        "beneficiaries": unique(card.beneficiaries),
        "application": application_record(card),
        "text": card.body.strip("\n"),
        "plain_text": html_text(bodies.cards.get(card.id, "")),
        "notes": card.notes.strip("\n"),
        "contact": contact or None,
        "source": {"file": card.source.file, "line": card.source.line} if card.source else None,
        "source_url": urls.measure(card.document, card.id) if card.source else None,
        "related": list(library.related.get(card.id, ())),
        "cited_by": list(bodies.card_backlinks.get(card.id, ())),
        "validity": validity_record(card, library.documents[card.document], as_of),
    }


def application_record(card: Card) -> dict | None:
    """The application details editors confirmed, every field present ("" or [] when not stated)."""
    app = card.application
    if app is None:
        return None
    return {"conditions": app.conditions, "support": list(app.support), "period": app.period,
            "method": app.method, "link": app.link, "office": app.office, "phone": app.phone,
            "materials": list(app.materials), "automatic": app.automatic, "funded": app.funded}


def canonical(names: tuple[str, ...], library: Library) -> list[str]:
    """Registry names for the names as written (aliases resolved), each once."""
    return unique(library.registry.resolve(name) or name for name in names)


def unique(items) -> list:
    """Each item once, in order (front matter may repeat a topic; the schemas say uniqueItems)."""
    return list(dict.fromkeys(items))


DEADLINE_FIELDS = ("kind", "date", "start", "end", "month_day", "first_year", "text")


def deadline_record(entry: dict) -> dict:
    """A deadline as stored, with the known fields only (in a fixed order)."""
    record = {key: entry[key] for key in DEADLINE_FIELDS if entry.get(key) is not None}
    if "first_year" in record and not isinstance(record["first_year"], int):
        del record["first_year"]  # not checked on load; anything but a year is left out
    return record


def document_records(library: Library, urls: paths.Urls, as_of: dt.date) -> list[dict]:
    return [document_record(doc, library, urls, as_of) for doc in library.documents.values()]


def document_record(doc: Document, library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    return {
        "id": doc.id,
        "url": urls.document(doc.id),
        "title": doc.title,
        "issuer": doc.issuer,
        "publisher": doc.publisher,
        "doc_number": doc.doc_number,
        "date": doc.date.iso if doc.date else None,
        "published": doc.published.iso if doc.published else None,
        "region": doc.region,
        "implements": doc.implements,
        "source_site": doc.source_site,
        "series": {"name": doc.series.name, "label": doc.series.label} if doc.series else None,
        "groups": [{"name": g.name, "cards": list(g.cards)} for g in library.groups_by_document.get(doc.id, ())],
        "inferred": unique(doc.inferred),
        "note": doc.body.strip("\n"),
        "source": doc.source or None,
        "cards": list(library.cards_by_document.get(doc.id, ())),
        "validity": validity_record(None, doc, as_of),
    }


def agency_records(library: Library, urls: paths.Urls) -> list[dict]:
    records = []
    for name in sorted(library.slugs["agencies"]):
        agency = library.registry.agencies.get(name)
        cards = library.indexes.agencies.get(name)
        contact = agency.contact if agency else {}
        records.append({
            "name": name,
            "url": urls.term("agencies", library.slugs["agencies"][name]),
            "aliases": list(agency.aliases) if agency else [],
            "level": agency.level if agency else "",
            "region": agency.region if agency else "",
            "collective": agency.collective if agency else False,
            "successor": _successor(name, library),
            "contact": {key: contact[key] for key in CONTACT_KEYS if contact.get(key)},
            "lead": list(cards.lead) if cards else [],
            "shared": list(cards.shared) if cards else [],
        })
    return records


def _successor(name: str, library: Library) -> dict | None:
    """The present-day body of a renamed one (content/successors.yaml), else None."""
    found = library.registry.successor_of.get(name)
    if found is None:
        return None
    return {"name": library.registry.resolve(found.present) or found.present, "year": found.year}


def topic_records(library: Library, urls: paths.Urls) -> list[dict]:
    return [{"name": t.name, "description": t.description,
             "url": urls.term("topics", library.slugs["topics"][t.name]),
             "cards": unique(library.indexes.topics.get(t.name, ()))}
            for t in library.taxonomy.topics]


# --- the policy list ----------------------------------------------------------------------------

def policy_list(library: Library, urls: paths.Urls, as_of: dt.date) -> bytes:
    """政策清单: one row per measure, in reading order. UTF-8 with a BOM (Excel reads Chinese
    right) and CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in sorted(library.cards.values(), key=lambda c: library.order[c.id]):
        if card.kind in CSV_KINDS:
            writer.writerow([as_text(cell) for cell in policy_row(card, library, urls, as_of)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection): these first characters.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell: str) -> str:
    """A cell a spreadsheet shows as text and never runs: one that would start a formula (even
    after blanks) gets a ' in front, as OWASP advises; other cells are left as they are."""
    return "'" + cell if cell.startswith(FORMULA_START) or cell.lstrip().startswith(FORMULA_START) else cell


def policy_row(card: Card, library: Library, urls: paths.Urls, as_of: dt.date) -> list[str]:
    doc = library.documents[card.document]
    section = card.series.group if card.series else HEADING_JOIN.join(card.heading)
    limits = [deadline_phrase(entry) for entry in card.deadlines] + list(card.time_limits)
    return [doc.title, doc.doc_number, section, card.number, card.title,
            JOIN.join(canonical(card.agencies_in("lead"), library)),
            JOIN.join(canonical(card.agencies_in("responsible"), library)),
            JOIN.join(canonical(card.agencies_in("support"), library)),
            JOIN.join(unique(limits)), JOIN.join(unique(card.topics)),
            validity_view(card, doc, as_of)["status"], urls.card(card.id)]


_YEAR = re.compile(r"\d{4}")


def deadline_phrase(entry: dict) -> str:
    """The deadline as written; a dated one written without its year ("5月底前") gets the year in
    front ("2016年5月底前"), since a row of the list is read away from its document."""
    text = entry["text"]
    iso = entry.get("date") or entry.get("start") or ""
    if entry["kind"] != "annual" and iso[:4].isdigit() and not _YEAR.search(text):
        return f"{iso[:4]}年{text}"
    return text


# --- plain text ---------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "blockquote", "pre", "table", "thead", "tbody", "hr",
           "h1", "h2", "h3", "h4", "h5", "h6"}


class _PlainText(HTMLParser):
    """The text of a rendered body: one line per paragraph, list items marked "- " or "1. ",
    table cells separated by " | "; what a reader sees, without the Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int] | None] = []  # per open list: [next number] or None (bullets)
        self.cells = 0
        self.marked = False  # a list marker was just written: the item's paragraph goes after it
        self.pre = False  # inside <pre>: every character counts

    def _break(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n") and not self.marked:
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("ul", "ol"):
            self._break()
            self.lists.append([int(dict(attrs).get("start") or 1)] if tag == "ol" else None)
        elif tag == "li":
            self._break()
            counter = self.lists[-1] if self.lists else None
            marker = f"{counter[0]}. " if counter else "- "
            if counter:
                counter[0] += 1
            self.parts.append("  " * max(len(self.lists) - 1, 0) + marker)
            self.marked = True
        elif tag == "tr":
            self._break()
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self.parts.append(" | ")
            self.cells += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._break()
            self.pre = self.pre or tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break()
        elif tag in _BLOCKS or tag in ("li", "tr"):
            self.pre = self.pre and tag != "pre"
            self._break()

    def handle_data(self, data: str) -> None:
        if not data or (not self.pre and not data.strip() and "\n" in data):
            return  # the renderer's line breaks between tags
        self.parts.append(data)
        self.marked = False


_TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The plain text of a rendered body (see _PlainText)."""
    if not html:
        return ""
    if all(tag in ("<p>", "</p>") for tag in _TAG.findall(html)):  # the common case, parsed fast
        text = unescape(_TAG.sub(lambda m: "" if m.group() == "<p>" else "\n", html))
    else:
        parser = _PlainText()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip()).strip("\n")
