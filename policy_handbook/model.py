"""The content model: plain frozen records, relations by id."""
from __future__ import annotations

import re
from dataclasses import dataclass

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """An ISO date that may be known only to the year or month ("2019", "2016-05", "2016-05-06")."""

    iso: str

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    def chinese(self) -> str:
        y, m, d = (self.iso.split("-") + [None, None])[:3]
        text = f"{int(y)}年"
        if m:
            text += f"{int(m)}月"
        if d:
            text += f"{int(d)}日"
        return text


@dataclass(frozen=True)
class SourceRef:
    file: str  # file name under content/sources/
    line: int


@dataclass(frozen=True)
class SeriesInfo:
    """A document that is a series of cards: its name and the label of its groups (“48条”)."""

    name: str
    label: str = ""


@dataclass(frozen=True)
class SeriesPlace:
    """Where a card stands in its series: “48条”之<group> 第<issue>期."""

    group: str
    issue: int


VALIDITY_STATUSES = ("现行有效", "已失效", "已废止", "已修订", "部分失效")  # of a document
CARD_STATUSES = VALIDITY_STATUSES + ("已调整",)  # a single measure may also be adjusted


@dataclass(frozen=True)
class Validity:
    """Whether a document (or one measure of it) is in force, as editors state it."""

    status: str = ""  # one of VALIDITY_STATUSES / CARD_STATUSES; "" = follows from `until`
    start: str = ""  # ISO date it takes effect (`from:`), "" unknown
    until: str = ""  # ISO date it ceases to have effect, "" none stated
    replaced_by: str = ""  # id of the document that replaces it
    note: str = ""
    line: int = 0  # file line of `validity:`, for messages


APPLICATION_METHODS = ("免申即享", "依申请", "网上办理")  # 办理方式
AUTOMATIC = "免申即享"  # granted without applying


@dataclass(frozen=True)
class Application:
    """How to apply for a measure (申报指南), as editors confirm it; "" / () when not stated.
    The fields are in the order a reader reads them (APPLICATION_KEYS)."""

    conditions: str = ""  # 申报条件
    support: tuple[str, ...] = ()  # 支持标准: amounts and rates
    period: str = ""  # 申报时间
    method: str = ""  # 办理方式: one of APPLICATION_METHODS
    link: str = ""  # 办理入口: an http(s) address
    office: str = ""  # 受理单位
    phone: str = ""  # 咨询电话
    materials: tuple[str, ...] = ()  # 所需材料
    line: int = 0  # file line of `application:`, for messages

    @property
    def funded(self) -> bool:
        """有资金支持: an amount or rate of support is stated."""
        return bool(self.support)

    @property
    def automatic(self) -> bool:
        return self.method == AUTOMATIC


# (front-matter key, label) in the order a reader reads them
APPLICATION_KEYS = (("conditions", "申报条件"), ("support", "支持标准"), ("period", "申报时间"),
                    ("method", "办理方式"), ("link", "办理入口"), ("office", "受理单位"),
                    ("phone", "咨询电话"), ("materials", "所需材料"))


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    date: PartialDate | None
    doc_number: str  # 文号, "" when there is none
    region: str
    publisher: str
    source: str  # file name under content/sources/, "" for a document with no source text
    series: SeriesInfo | None
    published: PartialDate | None
    implements: str
    source_site: str
    inferred: tuple[str, ...]  # field names whose values were inferred, not read off the text
    body: str  # Markdown: an editor's note on the document
    path: str  # content path, for messages
    line: int
    body_line: int = 0
    region_line: int = 0
    validity: Validity | None = None


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    document: str
    number: str  # as printed: "19", "（四）", "第一期"
    kind: str  # "measure" or "general" (a general requirement, not an actionable measure)
    heading: tuple[str, ...]
    series: SeriesPlace | None
    source: SourceRef | None
    body: str  # Markdown
    path: str
    line: int
    body_line: int
    agencies: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((role, (canonical names…)), …)
    deadlines: tuple[dict, ...] = ()  # {kind, date | start/end | month_day/first_year, text}
    time_limits: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # imported topics, then an editor's extra_topics
    beneficiaries: tuple[str, ...] = ()
    notes: str = ""
    notes_line: int = 0  # the file line where the notes' text starts
    title_line: int = 0  # the file line of the title field
    contact: tuple[tuple[str, str], ...] = ()
    validity: Validity | None = None  # overrides its document's, for this measure only
    application: Application | None = None  # 申报指南, editors' (None: none stated)

    def agencies_in(self, role: str) -> tuple[str, ...]:
        return dict(self.agencies).get(role, ())
