"""Which card file each measure of a document goes to, so that no editor's work is lost.

The cards import knows of in a document's folder are the ones import-state.json remembers
(with what import wrote last time: the base) and every other card file there (an editor's:
made with `build.py new`, by hand, or imported before the state was lost). Each measure is
matched to one of them by its text (matching.py). Then:

- A matched measure stays in its card's file, under the card's id, whatever its number is
  now: editors' notes, edits and links follow the measure, and its page keeps its address.
  Its number and everything nobody edited follow the source (the three-way merge of
  ownership.py).
- A measure matched to nothing is new (or reworded beyond recognition). It takes its
  natural file (its number, local_ids) when that is free, or when the card there is one
  import wrote, nobody edited and whose measure is gone (the measure was rewritten in place:
  nothing of an editor's is lost). Otherwise it takes the first free `<natural>-2`, `-3` …,
  and a note says why: the natural file holds an editor's card, another measure, or a card
  an editor deleted.
- A card whose measure is gone stays as it is. Without editors' work that is a note (delete
  it if it is obsolete); with editors' work it is a conflict naming the closest measure, if
  one came near, and what to do. Import never moves or overwrites it.

A file is never given to two measures, and a new id never repeats the id of a card in the
folder: the planner checks both and reports a collision as an error instead of writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .matching import Text, match, normalise
from .ownership import IMPORTED_FIELDS, snapshot


@dataclass
class Known:
    """A card file import knows of in a document's folder."""

    rel: str  # relative to the project
    base: dict | None  # what import wrote there last time; None when import never wrote it
    current: tuple[dict, str] | None  # its front matter and body; None when there is no file
    broken: bool = False  # there is a file, but its front matter cannot be read

    @property
    def text(self) -> str | None:
        if self.base is not None:
            return normalise(str(self.base.get("title") or ""), str(self.base.get("body") or ""))
        if self.current is None:
            return None
        fields, body = self.current
        return normalise(str(fields.get("title") or ""), body.strip())

    @property
    def title(self) -> str:
        fields = self.base if self.base is not None else (self.current or ({}, ""))[0]
        return normalise(str(fields.get("title") or ""), "")

    @property
    def number(self) -> str:
        source = self.base if self.base is not None else (self.current or ({}, ""))[0]
        return str(source.get("number") or "")

    @property
    def line(self) -> int:
        """Its measure's line in the source as last imported; cards without one come last."""
        fields = self.base if self.base is not None else (self.current or ({}, ""))[0]
        source = fields.get("source")
        line = source.get("line") if isinstance(source, dict) else None
        return line if isinstance(line, int) and not isinstance(line, bool) else 10**9

    @property
    def card_id(self) -> str | None:
        for fields in (self.base, (self.current or (None, ""))[0]):
            if isinstance(fields, dict) and isinstance(fields.get("id"), str):
                return fields["id"]
        return None

    @property
    def edited(self) -> bool:
        """Whether the file holds anything of an editor's (or is gone, or unreadable)."""
        if self.base is None or self.current is None or self.broken:
            return True
        fields, body = self.current
        return snapshot(fields, body) != self.base or any(k not in IMPORTED_FIELDS for k in fields)


@dataclass(frozen=True)
class Measure:
    natural: str  # its local id as numbering gives it (local_ids)
    number: str
    line: int  # in the source
    text: str  # normalise(title, body)
    title: str  # normalise(title, "")


@dataclass
class Placement:
    rels: list[str]  # the card file of each measure, in order
    cards: list[Known | None]  # the known card it goes to, None for a new file
    ids: list[str]  # the local id of each measure's card
    kept: list[Known] = field(default_factory=list)  # cards left as they are (their measure is gone)
    notices: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)


def place(document_id: str, folder: str, source: str, measures: list[Measure],
          known: list[Known]) -> Placement:
    """Where each measure goes; `source` is the source file as shown to editors."""
    candidates = [k for k in known if k.text is not None]
    order = {id(k): i for i, k in enumerate(sorted(candidates, key=lambda k: (k.line, k.rel)))}
    found = match([Text(k.text, k.number, order[id(k)], k.title) for k in candidates],
                  [Text(m.text, m.number, i, m.title) for i, m in enumerate(measures)])
    by_rel = {k.rel: k for k in known}
    id_owner = {k.card_id: k.rel for k in known if k.card_id}
    cards: list[Known | None] = [None] * len(measures)
    for m, c in found.pairs.items():
        cards[m] = candidates[c]
    used = {k.rel for k in cards if k is not None}
    taken_ids = set(id_owner) | {f"{document_id}-{m.natural}" for m in measures}
    taken_rels = set(by_rel) | {f"{folder}/{m.natural}.md" for m in measures}
    rels, ids, notices = [], [], []
    for i, measure in enumerate(measures):
        card = cards[i]
        if card is not None:
            rels.append(card.rel)
            ids.append(_local(card, document_id))
            continue
        natural = f"{folder}/{measure.natural}.md"
        there = by_rel.get(natural)
        owner = id_owner.get(f"{document_id}-{measure.natural}", natural)
        if natural not in used and owner == natural and (there is None or not there.edited):
            cards[i] = there  # a new file, or an unedited card whose measure is gone
            rel, local = natural, measure.natural
        else:
            local = _free(measure.natural, document_id, folder, taken_ids, taken_rels | used)
            rel = f"{folder}/{local}.md"
            notices.append(f"{source}:{measure.line}: 措施 {measure.number} 导入为 {rel}，"
                           f"因为 {_why(there, natural, natural in used, owner)}")
        used.add(rel)
        rels.append(rel)
        ids.append(local)
    result = Placement(rels, cards, ids, notices=notices)
    _report_left(result, known, measures, candidates, found.closest, source)
    result.collisions = _collisions(rels, ids, document_id, known, cards)
    return result


def _local(card: Known, document_id: str) -> str:
    """A card keeps its id: the local part of it, or its file name when it has none of ours."""
    card_id = card.card_id or ""
    prefix = f"{document_id}-"
    return card_id[len(prefix):] if card_id.startswith(prefix) else card.rel.rsplit("/", 1)[1][:-3]


def _free(natural: str, document_id: str, folder: str, taken_ids: set[str], taken_rels: set[str]) -> str:
    local, n = natural, 1
    while f"{document_id}-{local}" in taken_ids or f"{folder}/{local}.md" in taken_rels:
        n += 1
        local = f"{natural}-{n}"
    taken_ids.add(f"{document_id}-{local}")
    return local


def _why(there: Known | None, natural: str, used: bool, owner: str) -> str:
    if used:
        return f"{natural} 是另一条措施的卡片"
    if owner != natural:
        return f"{owner} 已经用了它的卡片要用的 id"
    if there is not None and there.broken:
        return f"{natural} 这张卡片的文件头读不出来"
    if there is not None and there.current is None:
        return f"{natural} 是编辑删掉的卡片（如果就是这条措施，把新卡片也删掉）"
    if there is not None and there.base is None:
        return f"{natural} 是编辑新建的卡片"
    return f"{natural} 是一张改过的卡片，它的措施已不在原文中"


def _report_left(result: Placement, known: list[Known], measures: list[Measure],
                 candidates: list[Known], closest: dict[int, tuple[int, float]], source: str) -> None:
    """Cards import wrote whose measure is gone: kept as they are, with a note or a conflict."""
    placed = {id(k) for k in result.cards if k is not None}
    index = {id(k): i for i, k in enumerate(candidates)}
    for card in known:
        if id(card) in placed or card.base is None or card.current is None:
            continue
        result.kept.append(card)
        was = f"（原来是 {source}:{card.line} 的 {card.number}）" if card.line < 10**9 else ""
        if not card.edited:
            result.notices.append(f"{card.rel}：它的措施已不在原文中{was}；卡片保持原样"
                                  "（如果已经过时，把它删掉）")
            continue
        near = closest.get(index.get(id(card), -1))
        if near is None:
            where = f"它的措施已不在原文中{was}"
            todo = "如果已经过时，把卡片删掉；或者留着它，作为编辑新建的卡片"
        else:
            m, ratio = near
            measure, rel = measures[m], result.rels[m]
            where = (f"它的措施{was}在原文中已不是原样；最接近的是 {source}:{measure.line} 的 {measure.number}"
                     f"（相似度 {ratio:.0%}，导入为 {rel}），但差别太大或和另一张卡片太像，无法确定")
            todo = f"如果那就是它的措施，把你的修改复制到 {rel}，再删掉这张卡片"
        result.conflicts.append(f"{card.rel}：保留了编辑的版本，留在原处；{where}；{todo}")


def _collisions(rels: list[str], ids: list[str], document_id: str, known: list[Known],
                cards: list[Known | None]) -> list[str]:
    """Two measures given one file or one id, or a new card given the id of another file."""
    problems = []
    seen_rels: set[str] = set()
    seen_ids: set[str] = set()
    own = {id(k) for k in cards if k is not None}
    other_ids = {k.card_id for k in known if k.card_id and id(k) not in own}
    for rel, local in zip(rels, ids):
        card_id = f"{document_id}-{local}"
        if rel in seen_rels or card_id in seen_ids or card_id in other_ids:
            problems.append(f"{rel}（id {card_id}）会分给两条措施或两张卡片")
        seen_rels.add(rel)
        seen_ids.add(card_id)
    return problems
