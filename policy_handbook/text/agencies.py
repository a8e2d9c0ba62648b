"""The agencies a measure names, with their roles, scoped to the document's region.

Documents of this genre name the bodies in charge of a measure in notes, field lines and task
table cells (text/agencynotes.py reads their shapes). A chapter heading may name the lead of every
measure under it: 二、…（牵头单位：省财政厅）. A note may state a rule once for the rest of the
document: “排在首位的为牵头单位，下同”, “以下…均需X落实，不再单独列出”. Everything is read in
the text's reading form (traditional as simplified, converter pinyin dropped) and quoted as the
original writes it. Names are written short and relative (市经信委, 省财政厅); they are scoped by the
document's place (朔州市经信委, 山西省财政厅). A measure with no note gets, as "mentioned", the units
its text names in the genre's agency shape (市发改委, 市直各部门, 各县(市、区)), or a role when the
next word gives one (省委农村工作领导小组负责…). Pure: text in, agencies out; conventions are
recognised in any text, never per file. Each agency keeps the phrase it was read from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from .agencynotes import Note, closing_list, find_notes, is_collective, name_lines, read_table_cells, table_columns, trailing_cells
from .reading import ReadingView, reading_form, reading_view

ROLES = ("lead", "responsible", "support", "mentioned")
LEVEL_PREFIX = re.compile(r"^[省市县区州](?!场)")  # 市场监管局 is not a 市 body
LEVELS = {"省": "省", "市": "市", "县": "县", "区": "县", "州": "市"}

# The shape of an agency in running text (used only for measures with no note).
SUFFIXES = ("办公室|办公厅|委员会|常委会|管委会|小组|人民政府|政府|组织部|宣传部|统战部|部门|中心|"
            "支行|分行|公司|单位|法院|检察院|委|局|(?<!大)厅|办|室")  # 政务大厅 is a hall
STEM_STOP = "的和与及或在对将由向把等了是为从并要于按"
NOT_A_PREFIX = "全本我该城超股上都外各园辖社地景山新片街矿发跨"  # 全市, 我省, 园区, 开发区 …
NOT_A_LEVEL = "场|内|外|级|际|政(?![府务协])"  # 市场, 省内, 市级, 市政设施: words, not a body's level
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
OWN_LEADERSHIP = re.compile(r"^[省市县区](?:委|政府|人民政府)$")  # the issuer, not a mentioned unit
# 省委农村工作领导小组负责… / 由市财政局牵头: a mentioned body that the next word gives a role.
PROSE_VERB = re.compile(r"^(?:牵头负责|牵头抓总|牵头|负责)(?!人|同志)")  # 负责同志 are people
JOINER = re.compile(r"[、和及与]|以及")


@dataclass(frozen=True)
class AgencyRef:
    name: str  # canonical name scoped by region: "朔州市经信委", "山西银监局"
    written: str  # exactly as written in the text: "市经信委"
    role: str  # "lead" | "responsible" | "support" | "mentioned"
    level: str  # "省" | "市" | "县" | "" (unknown)
    region: str  # the region the body belongs to: "朔州市"
    collective: bool  # 各县<市、区>人民政府, 各级各有关部门, …成员单位
    # the note, field line or sentence it was read from, as written (not part of its identity)
    evidence: str = field(default="", compare=False)


@dataclass(frozen=True)
class Place:
    region: str  # "朔州市"
    chain: tuple[str, ...]  # the region and its parents, innermost first: ("朔州市", "山西省")
    known_places: tuple[str, ...]  # short place names that mark an already-scoped name


class AgencyReader:
    """Reads the agencies of one document's measures in order, keeping what a document states
    once: a rule for the order of names ('下同'), units named for every later measure ('不再单独
    列出'), and the columns of its task table."""

    def __init__(self, place: Place, document: str = ""):
        self.place = place
        self.first_leads = False
        self.standing: tuple[tuple[str, str], ...] = ()
        # cells on lines of their own (converter pinyin dropped), else cells separated by spaces
        self.columns = (table_columns(reading_view(document).text) or table_columns(reading_form(document))
                        if document else ())

    def read(self, text: str, headings: Sequence[str]) -> list[AgencyRef]:
        """The agencies of one measure. `text` is the measure's full text (title sentence + body,
        paragraphs joined by newlines); `headings` its heading path, outermost first."""
        views = [reading_view(part) for part in (*headings, text)]
        found: list[tuple[str, str, str]] = []  # (role, name as written, evidence as written)
        standing = self.standing
        for view in views:
            for note in find_notes(view.text):
                found += [(role, view.quote(name), view.quote(note.phrase)) for role, name in self._apply(note)]
        body = views[-1]
        closing = closing_list(body.text) if not found else None
        if closing is not None:  # (省工信厅、省财政厅) at the end of the measure
            found += [(role, body.quote(name), body.quote(closing.phrase)) for role, name in self._apply(closing)]
        if self.columns and not any(role != "mentioned" for role, _, _ in found):
            cells = name_lines(body.text)
            note = read_table_cells(cells, self.columns) if cells else trailing_cells(reading_form(text), self.columns)
            if note is not None:
                found += [(role, body.quote(name), body.quote(note.phrase)) for role, name in note.entries]
        found += [(role, name, evidence) for role, name, evidence in standing]
        if not found:
            found = prose_roles(body, self.place)
        return ordered(scope(name, role, self.place, evidence) for role, name, evidence in found)

    def _apply(self, note: Note) -> tuple[tuple[str, str], ...]:
        """The note's entries, its first responsible unit made lead when that rule holds."""
        first_leads = self.first_leads if note.first_leads is None else note.first_leads
        if note.onward and note.first_leads is not None:
            self.first_leads = note.first_leads
        if note.standing:
            self.standing += tuple(("responsible", name, note.phrase) for _, name in note.standing)
        return promote_first(note.entries) if first_leads else note.entries


def prose_roles(view: ReadingView, place: Place) -> list[tuple[str, str, str]]:
    """A measure without a note: the units its text names, as "mentioned" — or, directly
    followed by 负责 / 牵头 (not 负责人), with that role: 省委农村工作领导小组负责…, and every name
    of a list joined to it by 、和及与: 由市政务服务中心和市直单位负责."""
    spans = find_mention_spans(view.text, place)
    roles: list[str] = ["mentioned"] * len(spans)
    for i in range(len(spans) - 1, -1, -1):
        name, start, end = spans[i]
        verb = PROSE_VERB.match(view.text[end:])
        if verb:
            roles[i] = "lead" if "牵头" in verb.group(0) else "responsible"
        elif i + 1 < len(spans) and JOINER.fullmatch(view.text[end:spans[i + 1][1]]):
            roles[i] = roles[i + 1]
    found = []
    for (name, start, end), role in zip(spans, roles):
        evidence = view.written(*sentence_around(view.text, start, end)) if role != "mentioned" else ""
        found.append((role, view.quote(name), evidence))
    return found


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the sentence of `text` (between 。；or line breaks) around text[start:end]."""
    first = max(text.rfind(p, 0, start) for p in "。；\n") + 1
    last = min((i for i in (text.find(p, end) for p in "。；\n") if i >= 0), default=len(text))
    return first, last


def ordered(refs: Iterable[AgencyRef]) -> list[AgencyRef]:
    """Lead, responsible, support, mentioned; within a role in the order written; no repeats."""
    refs = list(refs)
    out: list[AgencyRef] = []
    for role in ROLES:
        for ref in refs:
            if ref.role == role and all(r.name != ref.name for r in out if r.role == role):
                out.append(ref)
    return out


def promote_first(entries: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if any(role == "lead" for role, _ in entries):
        return entries  # the note names its lead itself
    index = next((i for i, (role, _) in enumerate(entries) if role == "responsible"), None)
    if index is None:
        return entries
    return entries[:index] + (("lead", entries[index][1]),) + entries[index + 1:]


# --- mentions ---------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def mention_pattern(known_places: tuple[str, ...]) -> re.Pattern[str]:
    known = "|".join(re.escape(k) for k in sorted(known_places, key=len, reverse=True)) or "(?!)"
    any_stem = f"[^\\W\\d_{STEM_STOP}]"  # after 各: 各相关市直部门
    level_stem = f"(?:市场|[^\\W\\d_省市县{STEM_STOP}])"  # after 市: stops before the next 市 …
    ending = f"(?:{SUFFIXES})+(?![级长员门理事结全])"  # 厅级领导 is no 厅, 办理 no 办; 宣传部门 goes on
    level = f"(?:(?:{known})[省市县区]?(?<=[省市县区])|(?<![{NOT_A_PREFIX}省市县区])[省市县区])(?!{NOT_A_LEVEL})"
    return re.compile(
        r"各县[<(（〈]市、区[>)）〉](?:人民政府)?|县[<(（〈]市、区[>)）〉]人民政府"
        r"|各[省市县](?:、[省市县])+(?:人民)?政府"
        rf"|各{any_stem}{{1,20}}?{ending}"
        rf"|{level}{level_stem}{{1,20}}?{ending}")


def find_mentions(text: str, place: Place) -> list[str]:
    """Units the text names in the genre's agency shape, in order, each once."""
    return [name for name, _, _ in find_mention_spans(text, place)]


def find_mention_spans(text: str, place: Place) -> list[tuple[str, int, int]]:
    """(name, start, end) for each unit the text names in the agency shape, each once."""
    plain = QUOTED.sub(lambda m: "、" * len(m.group(0)), text)
    found: list[tuple[str, int, int]] = []
    for m in mention_pattern(place.known_places).finditer(plain):
        name = m.group(0)
        if OWN_LEADERSHIP.match(name) or any(name == n for n, _, _ in found):
            continue
        found.append((name, m.start(), m.end()))
    return found


# --- scoping ----------------------------------------------------------------------------------

def scope(written: str, role: str, place: Place, evidence: str = "") -> AgencyRef:
    """The canonical name, level and region of a name as written in a document of `place`."""
    ref = _scope(written, role, place)
    return AgencyRef(ref.name, ref.written, ref.role, ref.level, ref.region, ref.collective, evidence)


def _scope(written: str, role: str, place: Place) -> AgencyRef:
    read = reading_view(written).text
    collective = is_collective(read)
    if read.startswith("自治区"):
        home = next((r for r in place.chain if reading_form(r).endswith("自治区")), "")
        if home:  # 自治区交通运输厅 in a 宁夏 document: 宁夏回族自治区交通运输厅
            return AgencyRef(home + written[3:], written, role, "省", home, collective)
    if LEVEL_PREFIX.match(read):
        home = home_region(read[0], place)
        if home and read[1:2] not in "<〈(（":  # 县<市、区>人民政府 is no county's own body
            return AgencyRef(home + written[1:], written, role, level_of(home, place), home, collective)
        return AgencyRef(place.region + written, written, role, LEVELS[read[0]], place.region, collective)
    if read.startswith("各"):
        level = LEVELS.get(read[1:2], "" if read.startswith("各级") else level_of(place.region, place))
        return AgencyRef(place.region + written, written, role, level, place.region, True)
    known = next((k for k in sorted(place.known_places, key=len, reverse=True) if k in read), None)
    if known:
        region = next((r for r in place.chain if r.startswith(known)), "")
        return AgencyRef(written, written, role, level_of(region, place) if region else "",
                         region or place.region, collective)
    return AgencyRef(place.region + written, written, role, level_of(place.region, place),
                     place.region, collective)


def county_of(place: Place) -> str:
    first = place.chain[0] if place.chain else place.region
    return first if len(place.chain) >= 3 or reading_form(first).endswith(("县", "区", "旗")) else ""


def home_region(prefix: str, place: Place) -> str:
    """The region a 省/市/县/区 prefix stands for in this place, or "" when the chain lacks it."""
    if prefix in "县区":
        return county_of(place)
    ending = {"省": ("省", "自治区"), "州": ("州", "盟")}.get(prefix, ("市",))
    return next((r for r in place.chain if reading_form(r).endswith(ending)), "")  # innermost: 怀仁市 before 朔州市


def level_of(region: str, place: Place) -> str:
    if region and region == county_of(place):
        return "县"
    for level, ending in (("省", ("省", "自治区")), ("市", ("市",)), ("县", ("县", "区", "旗"))):
        if reading_form(region).endswith(ending):
            return level
    return ""
