"""The agencies a measure names, with their roles, scoped to the document's region.

Documents of this genre name the bodies in charge of a measure in a bracketed note, usually
at its end: (A、B牵头负责), （责任单位：A、B）, 〔牵头单位：X；责任单位：A、B〕, (A牵头，B、C配合).
A chapter heading may name the lead of every measure under it: 二、…（牵头单位：省财政厅）.
A note may state a rule once for the rest of the document: “排在首位的为牵头单位，下同”.
Names are written short and relative (市经信委, 省财政厅); they are scoped by the document's
place (朔州市经信委, 山西省财政厅). A measure with no note gets, as "mentioned", the units its
text names in the genre's agency shape (市发改委, 市直各部门, 各县(市、区)). Pure: text in,
agencies out; conventions are recognised in any text, never per file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

ROLES = ("lead", "responsible", "support", "mentioned")
OPENERS, CLOSERS = "（([〔【<〈", "）)]〕】>〉"
NOTE_OPENERS = "（([〔【"  # brackets that can hold an agency note; <…> only nests inside names
SEPARATORS = "、，,；;"

# 牵头单位：/ 责任单位：/ 配合部门： … starts a list of names with that role.
LABEL = re.compile(r"^(牵头|责任|主责|负责|配合|协办|协助|参与)(?:单位|部门)\s*[:：]\s*")
LABEL_ROLES = {"牵头": "lead", "责任": "responsible", "主责": "responsible", "负责": "responsible"}
# A verb after the names gives them their role: A、B牵头负责 / A牵头，B配合.
VERB = re.compile(r"^(?P<name>.+?)(?P<verb>牵头负责|牵头|负责|配合|协办|协助|参与)$")
VERB_ROLES = {"牵头负责": "lead", "牵头": "lead", "负责": "responsible"}
# Remarks inside a note that are not names: 排名不分先后, 排在首位的为牵头单位, 下同.
REMARK = re.compile(r"下同|排名|排序|排在|不分先后|首位|第一位|以下|同上")
FIRST_LEADS = re.compile(r"(首位|第一位|第一个|排名第一|排在第一|列第一)\S*牵头")
ONWARD = re.compile(r"下同")
# A run of bare levels that a 、 does not end: the 各市、 of 各市、县人民政府.
LEVEL_RUN = re.compile(r"(?:^|[:：]\s*)各?[省市县区](?:、[省市县区])*$")
LEVEL_PREFIX = re.compile(r"^[省市县区](?!场)")  # 市场监管局 is not a 市 body
BODY_END = set("委局厅办室院部门心府组行司位会联所处站队署馆台社团关")
COLLECTIVE_ENDS = ("成员单位", "有关部门", "相关部门", "有关单位", "相关单位", "直部门", "直单位")
LEVELS = {"省": "省", "市": "市", "县": "县", "区": "县"}

# The shape of an agency in running text (used only for measures with no note).
SUFFIXES = ("办公室|办公厅|委员会|常委会|管委会|小组|人民政府|政府|组织部|宣传部|统战部|部门|中心|"
            "支行|分行|公司|单位|法院|检察院|委|局|(?<!大)厅|办|室")  # 政务大厅 is a hall
STEM_STOP = "的和与及或在对将由向把等了是为从并要于按"
NOT_A_PREFIX = "全本我该城超股上都外各园辖社地景山新片街矿发跨"  # 全市, 我省, 园区, 开发区 …
NOT_A_LEVEL = "场|内|外|级|际|政(?![府务协])"  # 市场, 省内, 市级, 市政设施: words, not a body's level
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
OWN_LEADERSHIP = re.compile(r"^[省市县区](?:委|政府|人民政府)$")  # the issuer, not a mentioned unit


@dataclass(frozen=True)
class AgencyRef:
    name: str  # canonical name scoped by region: "朔州市经信委", "山西银监局"
    written: str  # exactly as written in the text: "市经信委"
    role: str  # "lead" | "responsible" | "support" | "mentioned"
    level: str  # "省" | "市" | "县" | "" (unknown)
    region: str  # the region the body belongs to: "朔州市"
    collective: bool  # 各县<市、区>人民政府, 各级各有关部门, …成员单位


@dataclass(frozen=True)
class Place:
    region: str  # "朔州市"
    chain: tuple[str, ...]  # the region and its parents, innermost first: ("朔州市", "山西省")
    known_places: tuple[str, ...]  # short place names that mark an already-scoped name


@dataclass(frozen=True)
class Note:
    """One bracketed agency note: its (role, written name) pairs and the rules it states."""

    entries: tuple[tuple[str, str], ...]
    first_leads: bool | None = None  # True: 排在首位的为牵头单位; False: 排名不分先后
    onward: bool = False  # 下同: its rule holds for the measures after it


class AgencyReader:
    """Reads the agencies of one document's measures in order, keeping rules a document states once ('下同')."""

    def __init__(self, place: Place):
        self.place = place
        self.first_leads = False

    def read(self, text: str, headings: Sequence[str]) -> list[AgencyRef]:
        """The agencies of one measure. `text` is the measure's full text (title sentence + body,
        paragraphs joined by newlines); `headings` its heading path, outermost first."""
        notes = [note for part in (*headings, text) for note in find_notes(part)]
        if not notes:
            return ordered(scope(name, "mentioned", self.place) for name in find_mentions(text, self.place))
        entries = [entry for note in notes for entry in self._apply(note)]
        return ordered(scope(name, role, self.place) for role, name in entries)

    def _apply(self, note: Note) -> tuple[tuple[str, str], ...]:
        """The note's entries, its first responsible unit made lead when that rule holds."""
        first_leads = self.first_leads if note.first_leads is None else note.first_leads
        if note.onward and note.first_leads is not None:
            self.first_leads = note.first_leads
        return promote_first(note.entries) if first_leads else note.entries


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


# --- notes ------------------------------------------------------------------------------------

def bracket_groups(text: str) -> list[str]:
    """The contents of the outermost bracket groups, nesting respected."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            if depth == 0 and ch not in NOTE_OPENERS:
                continue
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch in CLOSERS and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start:i])
    return groups


def find_notes(text: str) -> list[Note]:
    return [note for note in map(read_note, bracket_groups(text)) if note is not None]


def split_names(text: str) -> list[str]:
    """Split at 、，,；; outside brackets, keeping 各市、县人民政府 whole."""
    items, seps, depth = [""], [], 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth:
            depth -= 1
        if ch in SEPARATORS and depth == 0:
            items.append("")
            seps.append(ch)
        else:
            items[-1] += ch
    merged = [items[0].strip()]
    for sep, item in zip(seps, items[1:]):
        if sep == "、" and LEVEL_RUN.search(merged[-1]):
            merged[-1] += "、" + item.strip()  # 各市、 + 县人民政府
        else:
            merged.append(item.strip())
    return [item for item in merged if item]


def read_note(content: str) -> Note | None:
    """A bracket's content as an agency note, or None when it is something else."""
    items = split_names(content)
    if not items:
        return None
    return read_labelled(items) if LABEL.match(items[0]) else read_verbs(items)


def read_labelled(items: list[str]) -> Note | None:
    """牵头单位：X；责任单位：A、B；责任单位排名不分先后，下同 (a verb inside a list still counts:
    责任单位：A牵头，B、C配合)."""
    entries: list[tuple[str, str]] = []
    role, since, first_leads, onward = "", 0, None, False
    for item in items:
        label = LABEL.match(item)
        if label:
            role, since = LABEL_ROLES.get(label.group(1), "support"), len(entries)
            item = item[label.end():]
        if REMARK.search(item):
            if FIRST_LEADS.search(item) or "不分先后" in item:
                first_leads = bool(FIRST_LEADS.search(item))
            onward = onward or bool(ONWARD.search(item))
        elif item and role:
            verb = VERB.match(item)
            entries.append((role, verb.group("name") if verb else item))
            if verb:
                run_role = VERB_ROLES.get(verb.group("verb"), "support")
                entries[since:] = [(run_role, name) for _, name in entries[since:]]
                since = len(entries)
    return Note(tuple(entries), first_leads, onward) if entries or onward else None


def read_verbs(items: list[str]) -> Note | None:
    """A、B牵头负责 / A牵头，B、C配合: every name must be answered by a verb."""
    entries, pending = [], []
    for item in items:
        m = VERB.match(item)
        if not m:
            pending.append(item)
            continue
        role = VERB_ROLES.get(m.group("verb"), "support")
        entries += [(role, name) for name in (*pending, m.group("name"))]
        pending = []
    if pending or not entries or not all(looks_like_agency(name) for _, name in entries):
        return None
    return Note(tuple(entries))


def looks_like_agency(name: str) -> bool:
    return 2 <= len(name) <= 40 and "的" not in name and (is_collective(name) or name[-1] in BODY_END)


def is_collective(name: str) -> bool:
    return ("各" in name or any(ch in name for ch in "<〈(（") or name.endswith(COLLECTIVE_ENDS))


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
    plain = QUOTED.sub("、", text)
    found: list[str] = []
    for m in mention_pattern(place.known_places).finditer(plain):
        name = m.group(0)
        if OWN_LEADERSHIP.match(name) or name in found:
            continue
        found.append(name)
    return found


# --- scoping ----------------------------------------------------------------------------------

def scope(written: str, role: str, place: Place) -> AgencyRef:
    """The canonical name, level and region of a name as written in a document of `place`."""
    collective = is_collective(written)
    if LEVEL_PREFIX.match(written):
        home = home_region(written[0], place)
        if home and written[1:2] not in "<〈(（":  # 县<市、区>人民政府 is no county's own body
            return AgencyRef(home + written[1:], written, role, level_of(home, place), home, collective)
        return AgencyRef(place.region + written, written, role, LEVELS[written[0]], place.region, collective)
    if written.startswith("各"):
        level = LEVELS.get(written[1:2], "" if written.startswith("各级") else level_of(place.region, place))
        return AgencyRef(place.region + written, written, role, level, place.region, True)
    known = next((k for k in sorted(place.known_places, key=len, reverse=True) if k in written), None)
    if known:
        region = next((r for r in place.chain if r.startswith(known)), "")
        return AgencyRef(written, written, role, level_of(region, place) if region else "",
                         region or place.region, collective)
    return AgencyRef(place.region + written, written, role, level_of(place.region, place),
                     place.region, collective)


def county_of(place: Place) -> str:
    first = place.chain[0] if place.chain else place.region
    return first if len(place.chain) >= 3 or first.endswith(("县", "区", "旗")) else ""


def home_region(prefix: str, place: Place) -> str:
    """The region a 省/市/县/区 prefix stands for in this place, or "" when the chain lacks it."""
    if prefix in "县区":
        return county_of(place)
    ending = ("省", "自治区") if prefix == "省" else ("市",)
    return next((r for r in place.chain if r.endswith(ending)), "")  # innermost: 怀仁市 before 朔州市


def level_of(region: str, place: Place) -> str:
    if region and region == county_of(place):
        return "县"
    for level, ending in (("省", ("省", "自治区")), ("市", ("市",)), ("县", ("县", "区", "旗"))):
        if region.endswith(ending):
            return level
    return ""
