"""Open data: the handbook as JSON files with their JSON Schemas, and the policy list (政策清单) as CSV.

Pure; no I/O. `data_files` returns {output path under site/: bytes}:

- data/cards.json, data/documents.json, data/agencies.json, data/topics.json: each a small header
  (schema URL, site title, home URL, notice, count) and a list of records;
- data/schema/<name>.schema.json: their JSON Schemas (draft 2020-12), made from the dicts below;
  every property has a description, which is the documentation of the format;
- data/policy-list.csv: one row per measure, Chinese headers, UTF-8 with BOM, CRLF (RFC 4180).

The output depends only on the content and config: no build time and no deadline status (which
changes with the day), so two builds of the same content give the same bytes. Conventions: text
that is not known is "", a date or an object that is not known is null, and lists are in the
handbook's order (cards in reading order, documents in home-page order, topics in taxonomy order,
agencies by name).
"""
from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

from . import paths
from .bodies import Bodies, render_bodies
from .config import Config
from .errors import Diagnostics
from .facts import ROLE_LABELS, contact_view
from .library import Library
from .model import Card, Document
from .registry import CONTACT_KEYS, LEVELS
from .schema import DEADLINE_KINDS

FILES = ("cards", "documents", "agencies", "topics")
CSV_NAME = "policy-list.csv"
NOTICE = "内容整理自公开发布的政策文件，以原文为准"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ROLES = tuple(ROLE_LABELS)  # lead, responsible, support, mentioned
JOIN = "、"  # between the values of one CSV cell
HEADING_JOIN = " > "  # between the headings of one CSV cell (headings contain 、 themselves)
# Kind "general" (指导思想, 基本原则, 主要目标 …) states aims, not something to be done: it is in
# cards.json but not in the policy list.
CSV_KINDS = ("measure",)
CSV_COLUMNS = ("文件", "文号", "章节", "序号", "标题", "牵头单位", "责任单位", "配合单位", "时限", "主题", "链接")


def data_files(library: Library, config: Config, bodies: Bodies | None = None) -> dict[str, bytes]:
    """Every open-data file of the handbook. `bodies` (the rendered card bodies of the build) is
    reused for the plain-text version of each card; without it the bodies are rendered here."""
    urls = paths.Urls(config.base_url)
    if bodies is None:
        bodies = render_bodies(library, urls, Diagnostics())

    def out(name: str) -> str:
        return paths.url_output(urls.data(name), urls.base)

    records = {"cards": card_records(library, urls, bodies), "documents": document_records(library, urls),
               "agencies": agency_records(library, urls), "topics": topic_records(library, urls)}
    files: dict[str, bytes] = {}
    for name, schema in schemas(urls).items():
        files[out(f"{name}.json")] = dump_records({
            "schema": urls.data(schema_name(name)), "title": config.title, "home": urls.home(),
            "notice": NOTICE, "count": len(records[name])}, name, records[name])
        files[out(schema_name(name))] = dump_json(schema)
    files[out(CSV_NAME)] = policy_list(library, urls)
    return files


def schema_name(name: str) -> str:
    return f"schema/{name}.schema.json"


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

def card_records(library: Library, urls: paths.Urls, bodies: Bodies) -> list[dict]:
    cards = sorted(library.cards.values(), key=lambda c: library.order[c.id])
    return [card_record(card, library, urls, bodies) for card in cards]


def card_record(card: Card, library: Library, urls: paths.Urls, bodies: Bodies) -> dict:
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
        "text": card.body.strip("\n"),
        "plain_text": html_text(bodies.cards.get(card.id, "")),
        "notes": card.notes.strip("\n"),
        "contact": contact or None,
        "source": {"file": card.source.file, "line": card.source.line} if card.source else None,
        "source_url": urls.measure(card.document, card.id) if card.source else None,
        "related": list(library.related.get(card.id, ())),
        "cited_by": list(bodies.card_backlinks.get(card.id, ())),
    }


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


def document_records(library: Library, urls: paths.Urls) -> list[dict]:
    return [document_record(doc, library, urls) for doc in library.documents.values()]


def document_record(doc: Document, library: Library, urls: paths.Urls) -> dict:
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
            "contact": {key: contact[key] for key in CONTACT_KEYS if contact.get(key)},
            "lead": list(cards.lead) if cards else [],
            "shared": list(cards.shared) if cards else [],
        })
    return records


def topic_records(library: Library, urls: paths.Urls) -> list[dict]:
    return [{"name": t.name, "description": t.description,
             "url": urls.term("topics", library.slugs["topics"][t.name]),
             "cards": unique(library.indexes.topics.get(t.name, ()))}
            for t in library.taxonomy.topics]


# --- the policy list ----------------------------------------------------------------------------

def policy_list(library: Library, urls: paths.Urls) -> bytes:
    """政策清单: one row per measure, in reading order. UTF-8 with a BOM (Excel reads Chinese
    right) and CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in sorted(library.cards.values(), key=lambda c: library.order[c.id]):
        if card.kind in CSV_KINDS:
            writer.writerow(policy_row(card, library, urls))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def policy_row(card: Card, library: Library, urls: paths.Urls) -> list[str]:
    doc = library.documents[card.document]
    section = card.series.group if card.series else HEADING_JOIN.join(card.heading)
    limits = [deadline_phrase(entry) for entry in card.deadlines] + list(card.time_limits)
    return [doc.title, doc.doc_number, section, card.number, card.title,
            JOIN.join(canonical(card.agencies_in("lead"), library)),
            JOIN.join(canonical(card.agencies_in("responsible"), library)),
            JOIN.join(canonical(card.agencies_in("support"), library)),
            JOIN.join(unique(limits)), JOIN.join(unique(card.topics)), urls.card(card.id)]


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


# --- schemas ------------------------------------------------------------------------------------

def _text(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _ids(description: str) -> dict:
    return {"type": "array", "description": description, "uniqueItems": True,
            "items": {"$ref": "#/$defs/id"}}


def _texts(description: str, **extra) -> dict:
    return {"type": "array", "description": description, "items": {"type": "string", "minLength": 1}, **extra}


def _record(description: str, properties: dict, optional: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "description": description, "additionalProperties": False,
            "required": [key for key in properties if key not in optional], "properties": properties}


def _nullable(schema: dict) -> dict:
    """The schema or null (the description stays outside, so tools show it either way)."""
    description = schema.pop("description")
    return {"description": description, "anyOf": [schema, {"type": "null"}]}


_ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _deadline_schema() -> dict:
    def day(description: str) -> dict:
        return _text(description, pattern=_ISO_DAY, format="date")

    text = _text("The phrase as written in the document (原文写法), such as 2019年底前.", minLength=1)
    dated = [kind for kind, keys in DEADLINE_KINDS.items() if keys == ("date",)]
    return {
        "description": "A dated item of a measure (时限), as stored in the card: one of the kinds below.",
        "oneOf": [
            _record("A single date: due (完成时限, by this day), target (目标年限, a target year read as "
                    "its last day), start (起始时间, from this day on).", {
                        "kind": {"description": "due, target or start.", "enum": dated},
                        "date": day("The date, ISO 8601 (YYYY-MM-DD)."),
                        "text": text}),
            _record("A period (执行期间) from start to end.", {
                "kind": {"description": "period.", "const": "period"},
                "start": day("First day, ISO 8601."),
                "end": day("Last day, ISO 8601."),
                "text": text}),
            _record("Every year (每年) by a day of the year.", {
                "kind": {"description": "annual.", "const": "annual"},
                "month_day": _text("Month and day, MM-DD.", pattern=r"^\d{2}-\d{2}$"),
                "first_year": {"type": "integer", "description": "The first year it applies, when stated."},
                "text": text}, optional=("first_year",)),
        ],
    }


def _header(name: str, title: str, description: str, record: dict, urls: paths.Urls) -> dict:
    """The schema of one file: the header, the list of records, and the shared definitions."""
    return {
        "$schema": DIALECT,
        "$id": urls.data(schema_name(name)),
        "title": title,
        "description": f"{description} {NOTICE}。",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "title", "home", "notice", "count", name],
        "properties": {
            "schema": _text("URL of this JSON Schema.", format="uri-reference"),
            "title": _text("Title of the handbook (the site's title)."),
            "home": _text("URL of the handbook's home page.", format="uri-reference"),
            "notice": _text(f"Notice on the content: {NOTICE}."),
            "count": {"type": "integer", "minimum": 0, "description": f"Number of records in '{name}'."},
            name: {"type": "array", "description": f"The records; {record.pop('order')}",
                   "items": {"$ref": f"#/$defs/{name[:-1]}"}},
        },
        "$defs": {
            name[:-1]: record["schema"],
            "id": {"type": "string", "description": "A stable ASCII id (lower case, digits, hyphens).",
                   "pattern": _ID},
            **record.get("defs", {}),
        },
    }


def schemas(urls: paths.Urls) -> dict[str, dict]:
    """The JSON Schema of each file, by file name (cards, documents, agencies, topics)."""
    url = _text("URL of the page on the handbook's site.", format="uri-reference")
    card = _record("One knowledge card (知识卡片): one measure of a document.", {
        "id": {"$ref": "#/$defs/id", "description": "Card id; also the last part of its URL."},
        "url": url,
        "document": {"$ref": "#/$defs/id", "description": "Id of the document the measure is in (see documents.json)."},
        "number": _text("The number as printed (序号): 19, （四）, 第一期; \"\" when it has none."),
        "title": _text("The measure's lead sentence, without its number (标题).", minLength=1),
        "kind": {"description": "measure (措施), or general (总体要求: aims and principles, not a measure).",
                 "enum": ["measure", "general"]},
        "series": _nullable(_record("For a card of a series (知识卡片系列): its group and issue (第N期 -> N).", {
            "group": _text("Group of the series, such as 大幅放宽市场准入.", minLength=1),
            "issue": {"type": "integer", "minimum": 1, "description": "Issue number within the group."}})),
        "heading": _texts("Headings above the measure in the document, outermost first (章节)."),
        "agencies": _record("Agencies named by the measure, by role; registry names (aliases resolved).", {
            "lead": _texts("牵头单位: leads the measure.", uniqueItems=True),
            "responsible": _texts("责任单位: responsible for it.", uniqueItems=True),
            "support": _texts("配合单位: supports it.", uniqueItems=True),
            "mentioned": _texts("文中提及的单位: named in the text without a stated role.", uniqueItems=True)}),
        "deadlines": {"type": "array", "description": "Dated items (时限), in the order written.",
                      "items": {"$ref": "#/$defs/deadline"}},
        "time_limits": _texts("Relative time limits as written, such as 3个工作日内 (办理时限)."),
        "topics": _texts("Topics (主题), see topics.json.", uniqueItems=True),
        "beneficiaries": _texts("Who the measure applies to (适用对象).", uniqueItems=True),
        "text": _text("The measure's text as written, Markdown; [[card-id]] links to another card."),
        "plain_text": _text("The text as a reader sees it, without Markdown: one line per paragraph."),
        "notes": _text("An editor's note (编者按), Markdown; \"\" when none."),
        "contact": _nullable(_record("Whom to ask (咨询): the card's own contact, else the first lead or "
                                     "responsible agency with one; null when none is known.",
                                     {key: _text(desc) for key, desc in (
                                         ("name", "Agency or office."), ("phone", "Telephone (电话)."),
                                         ("address", "Address (地址)."), ("website", "Website (网站).")
                                     )})),
        "source": _nullable(_record("Where the measure stands in the source text of its document.", {
            "file": _text("File name of the source text.", minLength=1),
            "line": {"type": "integer", "minimum": 1, "description": "Line number in that file."}})),
        "source_url": _nullable(_text("URL of the measure in the full text of its document (原文位置).",
                                      format="uri-reference")),
        "related": _ids("Ids of related cards (相关措施), most related first."),
        "cited_by": _ids("Ids of the cards whose text links to this one (被引用), in reading order."),
    })
    document = _record("One policy document (政策文件).", {
        "id": {"$ref": "#/$defs/id", "description": "Document id; also the last part of its URL."},
        "url": url,
        "title": _text("Full title (标题).", minLength=1),
        "issuer": _text("Issuing authority (发文机关).", minLength=1),
        "publisher": _text("Who published this text, when not the issuer (发布者); \"\" otherwise."),
        "doc_number": _text("Document number (文号), such as 忻政发〔2021〕21号; \"\" when it has none."),
        "date": _nullable(_text("Date of the document (成文日期), as precise as known: 2016, 2016-05 or "
                                "2016-05-06.", pattern=_PARTIAL_DATE)),
        "published": _nullable(_text("Date of publication (发布日期), as precise as known.",
                                     pattern=_PARTIAL_DATE)),
        "region": _text("Region the document governs (地区), such as 朔州市.", minLength=1),
        "implements": _text("The higher-level document it implements (依据), as written; \"\" when none."),
        "source_site": _text("Where the text was published (来源); \"\" when not recorded."),
        "series": _nullable(_record("For a series of cards (知识卡片系列): its name and the label of its groups.", {
            "name": _text("Name of the series.", minLength=1),
            "label": _text("Label of its groups, such as “48条”; \"\" when none.")})),
        "groups": {"type": "array", "description": "Groups of a series, in order; [] for other documents.",
                   "items": _record("One group of the series.", {
                       "name": _text("Name of the group.", minLength=1),
                       "cards": _ids("Ids of its cards, by issue.")})},
        "inferred": _texts("Fields whose values were reasoned from the text rather than read off it "
                           "(推定), such as date.", uniqueItems=True),
        "note": _text("An editor's note on the document, Markdown; \"\" when none."),
        "source": _nullable(_text("File name of the source text; null when there is none.", minLength=1)),
        "cards": _ids("Ids of its cards, in reading order."),
    })
    agency = _record("One agency (单位) of the registry.", {
        "name": _text("Canonical name (规范名称), the one used in cards.json.", minLength=1),
        "url": url,
        "aliases": _texts("Other names for it in the documents (简称、别称).", uniqueItems=True),
        "level": {"description": "Level (层级): 省, 市 or 县; \"\" when not stated.", "enum": list(LEVELS)},
        "region": _text("Region (地区); \"\" when not stated."),
        "collective": {"type": "boolean",
                       "description": "True for a collective name such as 朔州市各县<市、区>人民政府 (泛指)."},
        "contact": _record("Contact details (联系方式): only the known fields.", {
            "phone": _text("Telephone (电话).", minLength=1),
            "address": _text("Address (地址).", minLength=1),
            "website": _text("Website (网站).", minLength=1),
            "hours": _text("Office hours (办公时间).", minLength=1),
            "note": _text("A note (备注).", minLength=1)}, optional=CONTACT_KEYS),
        "lead": _ids("Ids of the cards it leads (牵头), in reading order."),
        "shared": _ids("Ids of the cards it is responsible for, supports or is named in without "
                       "leading them, in reading order."),
    })
    topic = _record("One topic (主题).", {
        "name": _text("Name.", minLength=1),
        "description": _text("What it covers; \"\" when not described."),
        "url": url,
        "cards": _ids("Ids of its cards, in reading order."),
    })
    return {
        "cards": _header("cards", "cards.json: knowledge cards (知识卡片)",
                         "Every card of the handbook.",
                         {"schema": card, "order": "in the handbook's reading order.",
                          "defs": {"deadline": _deadline_schema()}}, urls),
        "documents": _header("documents", "documents.json: policy documents (政策文件)",
                             "Every document of the handbook.",
                             {"schema": document, "order": "in the order of the home page (newest first)."}, urls),
        "agencies": _header("agencies", "agencies.json: agencies (单位)",
                            "Every agency named by a card or listed in the registry.",
                            {"schema": agency, "order": "by name."}, urls),
        "topics": _header("topics", "topics.json: topics (主题)", "Every topic of the handbook.",
                          {"schema": topic, "order": "in the order of the topic list."}, urls),
    }
