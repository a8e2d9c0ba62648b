"""The JSON Schemas (draft 2020-12) of the open-data files: the documentation of the format.

Every property has a description. Pure data built from dicts; opendata.py writes them beside the
files they describe, as data/schema/<name>.schema.json.
"""
from __future__ import annotations

from .. import paths
from ..content.registry import CONTACT_KEYS, LEVELS
from ..content.schema import DEADLINE_KINDS
from ..model import APPLICATION_METHODS

NOTICE = "内容整理自公开发布的政策文件，以原文为准"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_name(name: str) -> str:
    return f"schema/{name}.schema.json"



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


APPLICATION = _nullable(_record(
    "How to apply (申报指南), as editors confirmed it; null when none is stated. Import's proposals are "
    "not included. Text not stated is \"\", a list not stated is [].", {
        "conditions": _text("Who qualifies (申报条件)."),
        "support": _texts("Amounts and rates of support (支持标准), as written."),
        "period": _text("When to apply (申报时间)."),
        "method": {"type": "string", "enum": ["", *APPLICATION_METHODS],
                   "description": "How it is claimed (办理方式): 免申即享 (without applying), 依申请 (on application), "
                                  "网上办理 (online); \"\" when not stated."},
        "link": _text("Where to apply online (办理入口): an http(s) URL, or \"\".", pattern=r"^(https?://\S+)?$"),
        "office": _text("The office that receives applications (受理单位)."),
        "phone": _text("Telephone for questions (咨询电话)."),
        "materials": _texts("Documents to submit (所需材料), in order."),
        "automatic": {"type": "boolean", "description": "True when the method is 免申即享 (the 免申即享 search filter)."},
        "funded": {"type": "boolean", "description": "True when an amount or rate of support is stated (有资金支持)."}}))


def _deadline_schema() -> dict:
    def day(description: str) -> dict:
        return _text(description, pattern=_ISO_DAY, format="date")

    text = _text("The phrase as written in the document (原文写法), such as 2019年底前.", minLength=1)
    dated = [kind for kind, keys in DEADLINE_KINDS.items() if keys == ("date",)]
    return {
        "description": "A time limit of a measure (时限), as stored in the card: one of the kinds below.",
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
            _record("No date: ongoing (长期任务, such as 长期坚持 or 持续推进) or recurring (定期事项, such "
                    "as 每季度 or 每月); the phrase as written says it all.", {
                        "kind": {"description": "ongoing or recurring.",
                                 "enum": [kind for kind, keys in DEADLINE_KINDS.items() if not keys]},
                        "text": text}),
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


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def schemas(urls: paths.Urls) -> dict[str, dict]:
    """The JSON Schema of each file, by file name (cards, documents, agencies, topics)."""
    url = _text("URL of the page on the handbook's site.", format="uri-reference")
    VALIDITY = _nullable(_record("Validity (效力): the card's own when it has one, else its document's; null when "
                                  "nothing is stated.", {
            "status": _nullable({"description": "Status on the build's date: stated, or following from "
                                                "from/until (已失效 after until, 尚未施行 before from).",
                                 "enum": ["现行有效", "已失效", "已废止", "已修订", "部分失效", "已调整", "尚未施行"]}),
            "stated": _nullable({"description": "Status as the editors state it.",
                                 "enum": ["现行有效", "已失效", "已废止", "已修订", "部分失效", "已调整"]}),
            "whose": {"description": "card: the measure's own; document: its document's.", "enum": ["card", "document"]},
            "from": _nullable(_text("Date it takes effect (施行日期).", pattern=_ISO_DATE)),
            "until": _nullable(_text("Last day it has effect (有效期至).", pattern=_ISO_DATE)),
            "replaced_by": _nullable({"$ref": "#/$defs/id", "description": "Id of the document that replaces it."}),
            "note": _text("Editors' note on its validity; \"\" when none.")}))
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
        "deadlines": {"type": "array", "description": "Time limits (时限): dated, yearly, recurring and ongoing items, in the order written.",
                      "items": {"$ref": "#/$defs/deadline"}},
        "time_limits": _texts("Relative time limits as written, such as 3个工作日内 (办理时限)."),
        "topics": _texts("Topics (主题), see topics.json.", uniqueItems=True),
        "beneficiaries": _texts("Who the measure applies to (适用对象).", uniqueItems=True),
        "application": APPLICATION,
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
        "validity": VALIDITY,
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
        "validity": VALIDITY,
    })
    agency = _record("One agency (单位) of the registry.", {
        "name": _text("Canonical name (规范名称), the one used in cards.json.", minLength=1),
        "url": url,
        "aliases": _texts("Other names for it in the documents (简称、别称).", uniqueItems=True),
        "level": {"description": "Level (层级): 省, 市 or 县; \"\" when not stated.", "enum": list(LEVELS)},
        "region": _text("Region (地区); \"\" when not stated."),
        "collective": {"type": "boolean",
                       "description": "True for a collective name such as 朔州市各县（市、区）人民政府 (泛指): "
                                      "many units, no one office, no contact."},
        "successor": _nullable(_record(
            "The present-day body (现为) of an agency renamed or merged since its documents were "
            "written (content/successors.yaml: 山西省国税局 -> 国家税务总局山西省税务局); null when none.", {
                "name": _text("Its name: the registry's canonical name when the registry has it.", minLength=1),
                "year": {"type": "integer", "description": "Year of the (last) renaming or merger."}})),
        "contact": _record("Contact details (联系方式): only the known fields.", {
            "person": _text("Contact person (联系人).", minLength=1),
            "phone": _text("Telephone (电话).", minLength=1),
            "address": _text("Address (地址).", minLength=1),
            "email": _text("Email (邮箱).", minLength=1),
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
