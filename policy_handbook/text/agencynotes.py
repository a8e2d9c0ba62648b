"""Attribution notes: the phrases of a measure that say which bodies lead, are responsible, support.

The genre writes them in a few shapes, all read here from the text's reading form (simplified,
half-width, no converter pinyin: text/reading.py):
- a bracketed note, usually at the end: (A、B牵头负责) （责任单位：A、B） 〔牵头单位：X；责任单位：A〕
  (A牵头，B、C配合) (A、B等相关部门按职责分工负责); on a heading it holds for every measure under it;
- field lines outside brackets: 牵头单位：X / 责任单位：A、B / 部门分工：X牵头，各地、各部门配合;
- a task table flattened to text: a line of bare names in the table's agency column, ★ before the lead;
- sentences that state a rule once: 列第一位的为牵头单位，下同 / 排名不分先后 /
  以下政策措施均需X落实，不再单独列出 / 具体任务均涉及X，不再做分工，下同.
Pure functions: text in, (role, name) pairs and rules out. Names are returned as they read; the
caller quotes them as the original writes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS, CLOSERS = "（([〔【<〈", "）)]〕】>〉"
NOTE_OPENERS = "（([〔【"  # brackets that can hold an agency note; <…> only nests inside names
SEPARATORS = "、，,；;"

# 牵头单位：/ 责任单位：/ 配合部门：/ 部门分工： … starts a list of names with that role.
LABEL_WORD = r"(牵头|责任|主责|负责|主办|承办|配合|协办|协助|协同|参与|实施)(?:责任)?(?:单位|部门|主体)"  # 牵头责任单位
LABEL = re.compile(rf"^(?:{LABEL_WORD}|(部门分工|分工))\s*[:：]\s*")
LABEL_ROLES = {"牵头": "lead", "责任": "responsible", "主责": "responsible", "负责": "responsible",
               "主办": "responsible", "承办": "responsible", "实施": "responsible"}
# A field: a label at the start of a line (after a ★ or a table's | cell border), after a
# sentence's end, or right after the name that ends the field before it (区发改局 责任单位：, its
# space lost); 各责任单位要… is prose, not a field.
FIELD_START = re.compile(rf"(?:^|(?<=[。；;\s|★☆局委办厅室心组府司位会院行]))((?:{LABEL_WORD}|部门分工)\s*[:：])", re.M)
# A verb after the names gives them their role: A、B牵头负责 / A牵头，B配合 / 由A牵头实施.
VERB = re.compile(r"^(?P<name>.+?)(?P<verb>牵头负责|牵头抓总|牵头|负责|配合|协办|协助|参与)"
                  r"(?:实施|落实|推进|组织实施)?$")
VERB_ROLES = {"牵头负责": "lead", "牵头抓总": "lead", "牵头": "lead", "负责": "responsible"}
# Words between the names and the verb, and tails that are not names.
DUTY = re.compile(r"(?:按(?:照)?(?:各自)?职责(?:分工)?|分别|共同|各自|具体)$")
TAIL = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位|机构)(?:和单位)?$|(?<=..)等$")  # 区国资委等: a list that trails off
# Remarks inside a note that are not names.
REMARK = re.compile(r"下同|排名|排序|排在|不分先后|首位|第一位|以下|同上|不再")
FIRST_LEADS = re.compile(r"(首位|第一位|第一个|排名第一|排在第一|列第一|第一)\S{0,8}?为\S{0,4}牵头")
ONWARD = re.compile(r"下同")
# 以下政策措施均需X落实，不再单独列出 / 具体任务均涉及X，不再做分工: X for this and every later measure.
STANDING = re.compile(r"(?:以下|下列|后续|具体任务|各项任务|各项措施)\S*?(?:均需|均由|均涉及|均要|均)"
                      r"(?P<names>.+?)(?:落实|负责|承担|参与)?[，,]?不再(?:单独|逐项|重复)?(?:列出|做分工|分工|列明)")
# A run of bare levels that a 、 does not end: the 各市、 of 各市、县人民政府, 各州、 of 各州、市人民政府.
LEVEL_RUN = re.compile(r"(?:^|[:：]\s*)各?[省市县区州盟旗](?:[(（][^)）]*[)）])?(?:、[省市县区州盟旗](?:[(（][^)）]*[)）])?)*$")
BODY_END = set("委局厅办室院部门心府组行司位会联所处站队署馆台社团关班")
PLACE_END = ("市", "县", "区", "州", "旗", "盟", "街道", "乡镇")  # 银川市 in 银川市、吴忠市人民政府
COLLECTIVE_ENDS = ("成员单位", "有关部门", "相关部门", "有关单位", "相关单位", "直部门", "直单位", "各地",
                   "各部门", "各单位")
DATE_LIKE = re.compile(r"\d|[年月]底|完成|持续|长期|常态|每[年季月]|前$")
PEOPLE = re.compile(r"领导(?!小组)|书记|[省市县区州]长$")  # 分管省领导：林克庆; a 领导小组 is a body
# A task table's header cell that names an agency column, and other cells of its header row.
COLUMN = re.compile(rf"^\s*\|?\s*{LABEL_WORD}\s*\|?\s*$")
MARKS = "★☆▲△"
LEVEL_LIST = re.compile(r"[<〈(（‹][^)）>〉]*、[^)）>〉]*[)）>〉]")  # (市、区): several levels in one name


@dataclass(frozen=True)
class Note:
    """One attribution note: its (role, name) pairs and the rules it states."""

    entries: tuple[tuple[str, str], ...]
    first_leads: bool | None = None  # True: 排在首位的为牵头单位; False: 排名不分先后
    onward: bool = False  # 下同: its rule holds for the measures after it
    standing: tuple[tuple[str, str], ...] = ()  # names that hold for this and every later measure
    phrase: str = ""  # the note as it reads, for the evidence


# --- finding notes ----------------------------------------------------------------------------

def bracket_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of the outermost note brackets, nesting respected; a note
    that never closes (stripped punctuation) runs to the end of its line."""
    spans, depth, start = [], 0, 0
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
                spans.append((start, i))
        elif ch == "\n" and depth:
            if LABEL.match(text[start:i].lstrip()):
                spans.append((start, i))  # （责任单位：A、B  with its closing bracket lost
            depth = 0
    if depth and LABEL.match(text[start:].lstrip()):
        spans.append((start, len(text)))
    return spans


def bracket_groups(text: str) -> list[str]:
    return [text[a:b] for a, b in bracket_spans(text)]


def field_spans(text: str, brackets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of labelled fields outside note brackets: 牵头单位：X, 责任单位：A、B,
    部门分工：…, on a line of their own or run into the text after a 。 (a page with no line
    breaks); a field ends at the next label, 。 or line break."""
    labels = [m.start(1) for m in FIELD_START.finditer(text)
              if not any(a <= m.start(1) < b for a, b in brackets)]
    spans = []
    for i, start in enumerate(labels):
        ends = [text.find(ch, start) for ch in "。\n"] + ([labels[i + 1]] if i + 1 < len(labels) else [])
        end = min((e for e in ends if e >= 0), default=len(text))
        inside = [b for a, b in brackets if start < a < end]  # a bracket in the field may hold a 。
        while inside and max(inside) > end:
            end = min((e for e in (text.find(ch, max(inside)) for ch in "。\n") if e >= 0), default=len(text))
            inside = [b for a, b in brackets if start < a < end]
        spans.append((start, end))
    return spans


def find_notes(text: str) -> list[Note]:
    """Bracketed notes and field lines in the order written. A bracket inside a field line that
    states a rule (列第一位的为牵头单位，下同) is that field's rule; other brackets inside it
    (各区县政府(南太湖新区、长合区管委会)) are part of the names."""
    brackets = bracket_spans(text)
    fields = field_spans(text, brackets)
    found: list[tuple[int, Note]] = []
    inner: dict[tuple[int, int], list[tuple[int, int, Note]]] = {f: [] for f in fields}
    for a, b in brackets:
        note = read_note(text[a:b])
        if note is None:
            continue
        home = next((f for f in fields if f[0] <= a < f[1]), None)
        if home is None:
            found.append((a, note))
        else:
            inner[home].append((a, b, note))
    for f in fields:
        content = text[f[0]:f[1]]
        for a, b, _ in inner[f]:  # the rule's brackets blanked: they are not part of a name
            content = content[:a - 1 - f[0]] + " " * (b - a + 2) + content[b + 1 - f[0]:]
        note = read_note(content.rstrip())
        rules = [n for _, _, n in inner[f]]
        if note is not None or rules:
            found.append((f[0], merge_notes(note, rules, text[f[0]:f[1]].strip())))
    return [note for _, note in sorted(found, key=lambda pair: pair[0])]


def merge_notes(field: Note | None, rules: list[Note], phrase: str) -> Note:
    """A field line's note with the rules its brackets state applied to it."""
    notes = ([field] if field else []) + rules
    first = next((r.first_leads for r in rules if r.first_leads is not None),
                 field.first_leads if field else None)
    return Note(tuple(e for n in notes for e in n.entries), first, any(n.onward for n in notes),
                tuple(e for n in notes for e in n.standing), phrase)


def closing_list(text: str) -> Note | None:
    """A bracket that ends the measure and holds nothing but names — (省工信厅、省财政厅) — lists
    the bodies responsible for it; a bracket anywhere else, or with any word that is no name, is
    something else (a gloss, an aside)."""
    spans = bracket_spans(text)
    if not spans or text[spans[-1][1] + 1:].strip(" \n\t。.;；") or read_note(text[slice(*spans[-1])]):
        return None
    names = [n for item in split_names(text[slice(*spans[-1])]) for n in names_in(item, strict=True) or [""]]
    if not names or any(len(n) < 3 for n in names):  # （试行）, （草案） are no bodies
        return None
    return Note(tuple(("responsible", n) for n in names), phrase=text[slice(*spans[-1])])


# --- reading one note -------------------------------------------------------------------------

def split_clauses(content: str) -> list[str]:
    """A note's sentences: split at 。 outside brackets."""
    clauses, depth, current = [], 0, ""
    for ch in content:
        depth += ch in OPENERS
        depth -= ch in CLOSERS and depth > 0
        if ch == "。" and depth == 0:
            clauses.append(current)
            current = ""
        else:
            current += ch
    return [c.strip() for c in clauses + [current] if c.strip()]


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
    """A note's content as attributions, or None when it is something else."""
    entries: list[tuple[str, str]] = []
    standing: list[tuple[str, str]] = []
    first_leads, onward, role = None, False, ""
    for clause in split_clauses(content):
        rule = STANDING.search(clause)
        if rule:
            standing += [("responsible", n) for item in split_names(rule.group("names")) for n in names_in(item)]
            onward = onward or bool(ONWARD.search(clause))
            continue
        items = split_names(clause)
        if not items:
            continue
        if not LABEL.match(items[0]) and not role and REMARK.search(clause) and read_verbs(items) is None:
            if FIRST_LEADS.search(clause) or "不分先后" in clause:  # 列第一位的为牵头单位，下同
                first_leads = bool(FIRST_LEADS.search(clause))
            onward = onward or bool(ONWARD.search(clause))
            continue
        if LABEL.match(items[0]) or role:
            found, role, rules = read_labelled(items, role, strict=not LABEL.match(items[0]))
        else:
            found, rules = read_verbs(items), (None, False)
            if found is None:
                continue
        entries += found
        first_leads = rules[0] if rules[0] is not None else first_leads
        onward = onward or rules[1]
    if not entries and not onward and not standing and first_leads is None:
        return None
    return Note(tuple(entries + standing), first_leads, onward, tuple(standing), content)


def read_labelled(items: list[str], role: str, strict: bool = False
                  ) -> tuple[list[tuple[str, str]], str, tuple[bool | None, bool]]:
    """牵头单位：X；责任单位：A、B；责任单位排名不分先后，下同 (verbs inside a list still count:
    责任单位：A牵头，B、C配合; 部门分工：X牵头，各地、各部门配合). Returns the entries, the role
    in force at its end (a next sentence may go on with the list), and (first_leads, onward).
    Strict: the list goes on from an earlier sentence, so only what looks like a body is a name."""
    entries: list[tuple[str, str]] = []
    since, first_leads, onward = 0, None, False
    for item in items:
        label = LABEL.match(item)
        if label:
            role, since = (LABEL_ROLES.get(label.group(1), "support") if label.group(1) else "verbs"), len(entries)
            item = item[label.end():]
        if REMARK.search(item):
            if FIRST_LEADS.search(item) or "不分先后" in item:
                first_leads = bool(FIRST_LEADS.search(item))
            onward = onward or bool(ONWARD.search(item))
            continue
        if not item or not role or DATE_LIKE.search(item) or PEOPLE.search(item):
            continue
        verb = VERB.match(item)
        entries += [(role, name) for name in names_in(verb.group("name") if verb else item, strict)]
        if verb:
            run_role = VERB_ROLES.get(verb.group("verb"), "support")
            entries[since:] = [(run_role, name) for _, name in entries[since:]]
            since = len(entries)
    if role == "verbs":  # 部门分工： names not answered by a verb are not read
        entries = [(r, n) for r, n in entries[:since] if r != "verbs"]
    return entries, role, (first_leads, onward)


def read_verbs(items: list[str]) -> list[tuple[str, str]] | None:
    """A、B牵头负责 / A牵头，B、C配合 / 由A负责: every name must be answered by a verb."""
    entries: list[tuple[str, str]] = []
    pending: list[str] = []
    for item in items:
        m = VERB.match(item)
        if not m:
            pending.append(item)
            continue
        role = VERB_ROLES.get(m.group("verb"), "support")
        names = [n for part in (*pending, m.group("name")) for n in names_in(part, strict=True)]
        if not names:
            return None
        entries += [(role, name) for name in names]
        pending = []
    if pending or not entries:
        return None
    return entries


def names_in(text: str, strict: bool = False) -> list[str]:
    """The names of one list item: its duty words, 等…部门 tail, leading 由 and ★ dropped, split
    at 及/和/与 where both sides are names. Strict (no label said these are names): every part
    must look like a body, or nothing is returned."""
    text = text.strip().lstrip(MARKS).strip()
    text = re.sub(r"^(?:由|请|其中[,，]?)", "", text)
    text = DUTY.sub("", text).strip()
    text = TAIL.sub("", text).strip()
    text = DUTY.sub("", text).strip().rstrip("。.;；")
    parts = split_conjunctions(text)
    if strict and not all(looks_like_agency(p) for p in parts):
        return []
    return [p for p in parts if 2 <= len(p) <= 40 and "的" not in p]


# After 和, a body named by its kind alone belongs to the place before it: 各县(市、区)党委和人民政府.
SHARED_PLACE = re.compile(r"^(?:人民政府|政府|管委会|党工委|党委|人大|政协)")


def split_conjunctions(text: str) -> list[str]:
    """州委编办及州直相关单位 → two names; 文化和旅游厅, 区发展和改革局 stay one (the part
    before 和 is no body), and so does 各县(市、区)党委和人民政府 (the second shares the place)."""
    for joiner in ("及", "以及", "和", "与"):
        at = text.find(joiner)
        while at > 0:
            left, right = text[:at], text[at + len(joiner):]
            if looks_like_agency(left) and right and not SHARED_PLACE.match(right) \
                    and looks_like_agency(split_conjunctions(right)[0]):
                return [left] + split_conjunctions(right)
            at = text.find(joiner, at + 1)
    return [text] if text else []


def looks_like_agency(name: str) -> bool:
    return (2 <= len(name) <= 40 and "的" not in name
            and (is_collective(name) or name[-1] in BODY_END or name.endswith(PLACE_END)))


def is_collective(name: str) -> bool:
    """各…, …有关部门, …成员单位, and 县(市、区)人民政府 (a bracket listing levels); 某局(筹) is one body."""
    return "各" in name or bool(LEVEL_LIST.search(name)) or name.endswith(COLLECTIVE_ENDS)


# --- task tables ------------------------------------------------------------------------------

def table_columns(document: str) -> tuple[str, ...]:
    """The roles of a task table's agency columns, in order, from its header row: cells such as
    牵头单位 | 责任单位 on lines of their own or between | borders, or a header line of cells
    separated by spaces (序号 类别 主要任务 牵头单位 参与单位 责任单位); () when there is none."""
    roles: list[str] = []
    for line in document.split("\n"):
        spaced = line.split()
        if len(spaced) >= 3 and sum(bool(COLUMN.match(c)) for c in spaced) >= 2 and "|" not in line:
            return tuple(LABEL_ROLES.get(m.group(1), "support") for c in spaced if (m := COLUMN.match(c)))
        for cell in line.split("|"):
            m = COLUMN.match(cell)
            if m:
                roles.append(LABEL_ROLES.get(m.group(1), "support"))
        if len(roles) >= 3:
            break
    return tuple(roles)


def trailing_cells(text: str, columns: tuple[str, ...]) -> Note | None:
    """A table row flattened to one line: its last cells, separated by spaces, are the agency
    columns (市水利局 市发展改革委、…等 各县(市、区)党委和人民政府), read by the header's roles."""
    for line in text.split("\n"):
        cells = line.split()
        if len(cells) <= len(columns):
            continue
        tail = cells[-len(columns):]
        names = [[n for item in split_names(cell) for n in names_in(item, strict=True)] for cell in tail]
        if all(names) and all(len(n) >= 3 for group in names for n in group) and len(line) > len(" ".join(tail)):
            entries = [(role, n) for role, group in zip(columns, names) for n in group]
            return Note(tuple(entries), phrase=" ".join(tail))
    return None


def name_lines(text: str) -> list[str]:
    """Lines (or table cells) made only of names: 区发改局 / ★区发改委、统计局."""
    found = []
    for line in text.split("\n"):
        for cell in line.split("|"):
            items = split_names(cell.strip())
            if items and all(looks_like_agency(i.lstrip(MARKS)) and not PEOPLE.search(i)
                             and len(i) <= 25 and not re.search(r"[。；;\s]", i) for i in items):
                found.append(cell.strip())
    return found


def read_table_cells(cells: list[str], columns: tuple[str, ...]) -> Note | None:
    """Bare name cells of a task table: the n-th takes the n-th agency column's role; ★ marks
    the lead within a cell."""
    entries: list[tuple[str, str]] = []
    for cell, role in zip(cells, columns):
        for item in split_names(cell):
            lead = item[:1] in MARKS
            entries += [("lead" if lead else role, n) for n in names_in(item)]
    return Note(tuple(entries), phrase=" | ".join(cells)) if entries else None
