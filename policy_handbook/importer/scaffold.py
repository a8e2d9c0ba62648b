"""`build.py new`: scaffold a card for a document, with the next free number and id.

Planning is pure (the loaded library and the names already taken in, a planned card or
diagnostics out); `write_card` is the one step that touches the disk, and it never
overwrites a file. A new card continues the numbering of its document as printed
(19 -> 20, （二十一） -> （二十二）, a series group's 第五期 -> 第六期) and gets a local id
that no card file, card id or import-state entry uses, so `import` never mistakes it for
one of its own cards.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..content import frontmatter, schema
from ..content.load import CARDS_DIR, DOCUMENTS_DIR, load_content
from ..errors import Diagnostics
from ..library.library import Library, build_library
from ..model import Card, Document
from ..text.numerals import NUMERAL_CHARS, parse_number
from .ownership import STATE_FILE, load_state

TITLE_PLACEHOLDER = "待填写：标题"
BODY_PLACEHOLDER = "待填写：在这里用 Markdown 写这条措施的正文，段落之间空一行。"
NEXT_STEP = "下一步：替换“待填写”的占位内容，填上 agencies、topics 和 deadlines，再运行 `python build.py check`"

_NOT_NUMERAL = f"[^0-9{NUMERAL_CHARS}]*"
_PRINTED = re.compile(f"^({_NOT_NUMERAL})([0-9]+|[{NUMERAL_CHARS}]+)({_NOT_NUMERAL})$")
_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class NewCard:
    """What the editor asked for on the command line."""

    document: str
    title: str = ""
    group: str = ""  # series documents: the group to add an issue to
    new_group: bool = False  # start `group` even if its name is close to an existing one


@dataclass(frozen=True)
class Taken:
    """Names a new card must not reuse."""

    ids: frozenset[str]  # every card id in the handbook
    paths: frozenset[str]  # card files on disk and cards import once wrote, relative to the project


@dataclass(frozen=True)
class PlannedCard:
    path: Path
    rel: str  # as shown to the editor: relative to the project
    fields: dict
    body: str

    def text(self) -> str:
        return frontmatter.dump(self.fields, self.body)


@dataclass(frozen=True)
class Style:
    """How a document prints its numbers: text before, Arabic or Chinese digits, text after."""

    before: str = ""
    chinese: bool = False
    after: str = ""

    def format(self, value: int) -> str | None:
        digits = chinese_numeral(value) if self.chinese else str(value)
        return None if digits is None else f"{self.before}{digits}{self.after}"


SERIES_NUMBER = Style("第", True, "期")
Place = tuple[str, str, "dict | None"]  # (number as printed, candidate local id, series place)


def chinese_numeral(value: int) -> str | None:
    """42 -> '四十二', 10 -> '十', 103 -> '一百零三' (the inverse of parse_chinese_numeral, 1-999)."""
    if not 0 < value < 1000:
        return None
    hundreds, tens, ones = value // 100, value // 10 % 10, value % 10
    text = f"{_CN_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += f"{_CN_DIGITS[tens]}十" if hundreds or tens > 1 else "十"
    elif hundreds and ones:
        text += "零"
    return text + (_CN_DIGITS[ones] if ones else "")


def read_number(printed: str) -> tuple[Style, int] | None:
    """'（二十一）' -> (Style('（', True, '）'), 21); None when no number is in it."""
    m = _PRINTED.match(printed.strip())
    value = parse_number(m.group(2)) if m else None
    if value is None:
        return None
    return Style(m.group(1), not m.group(2).isascii(), m.group(3)), value


def next_number(cards: list[Card]) -> tuple[str, int] | None:
    """The number after the highest one printed in the style of the last card in reading order;
    '1' for a document with no numbered card; None when it cannot be printed in that style."""
    numbered = [n for c in cards if (n := read_number(c.number))]
    if not numbered:
        return "1", 1
    style = numbered[-1][0]
    value = max(v for s, v in numbered if s == style) + 1
    printed = style.format(value)
    return (printed, value) if printed else None


def free_local(candidate: str, document_id: str, folder: str, taken: Taken) -> str:
    """The candidate, or candidate-2, -3 … : the first whose id and file are both unused."""
    local, n = candidate, 1
    while f"{document_id}-{local}" in taken.ids or f"{folder}/{local}.md" in taken.paths:
        n += 1
        local = f"{candidate}-{n}"
    return local


def plan_card(library: Library, request: NewCard, taken: Taken, content_dir: Path,
              project_dir: Path, diagnostics: Diagnostics) -> PlannedCard | None:
    """The card to write for `request`, or None with the reasons in `diagnostics`."""
    document = _find_document(library, request.document, content_dir, project_dir, diagnostics)
    if document is None:
        return None
    find_place = _series_place if document.series is not None else _plain_place
    place = find_place(library, document, request, diagnostics)
    if place is None:
        return None
    number, candidate, series = place
    folder_path = content_dir / CARDS_DIR / document.id
    folder = _relative(folder_path, project_dir)
    local = free_local(candidate, document.id, folder, taken)
    rel = f"{folder}/{local}.md"
    fields = card_fields(f"{document.id}-{local}", request.title, document.id, number, series)
    problems = schema.validate(fields, schema.CARD)
    for problem in problems:
        diagnostics.error(rel, 0, f"新卡片会有错误：{problem.message}", problem.hint)
    return None if problems else PlannedCard(folder_path / f"{local}.md", rel, fields, BODY_PLACEHOLDER)


def card_fields(card_id: str, title: str, document_id: str, number: str, series: dict | None) -> dict:
    """Front matter in the order import writes it, with empty fields for the editor to fill."""
    fields: dict = {"id": card_id, "title": title.strip() or TITLE_PLACEHOLDER, "document": document_id,
                    "number": number, "kind": "measure", "heading": []}
    if series:
        fields["series"] = series
    fields.update({"agencies": {"lead": [], "responsible": [], "support": []},
                   "deadlines": [], "time_limits": [], "topics": [], "beneficiaries": []})
    return fields


def _numbers_unique(cards: list[Card]) -> bool:
    """Whether each card's number identifies it, so it can be the local id (as import does)."""
    values = [n[1] for c in cards if (n := read_number(c.number))]
    return len(set(values)) == len(values)


def _find_document(library: Library, document_id: str, content_dir: Path, project_dir: Path,
                   diagnostics: Diagnostics) -> Document | None:
    document = library.documents.get(document_id)
    if document is None:
        known = sorted(library.documents)
        close = difflib.get_close_matches(document_id, known, n=1)
        hint = (f"是不是“{close[0]}”？" if close else "") + f"现有的文件：{'、'.join(known) or '没有'}"
        diagnostics.error(_relative(content_dir / DOCUMENTS_DIR, project_dir), 0,
                          f"没有文件“{document_id}”", hint)
    return document


def _plain_place(library: Library, document: Document, request: NewCard,
                 diagnostics: Diagnostics) -> Place | None:
    """The next number in the document's style; the local id is that number when numbers
    identify the document's cards (as import names them), else the card's position."""
    if request.group or request.new_group:
        diagnostics.error(document.path, 0, f"文件“{document.id}”不是系列，没有组",
                          "去掉 --group 和 --new-group")
        return None
    cards = library.cards_of(document.id)
    found = next_number(cards)
    if found is None:
        diagnostics.error(document.path, 0, f"“{cards[-1].number}”的下一个编号无法按同样的格式写出",
                          "手工写这张卡片（见 README.md 的 Adding a card 一节）")
        return None
    number, value = found
    return number, str(value) if _numbers_unique(cards) else str(len(cards) + 1), None


def _series_place(library: Library, document: Document, request: NewCard,
                  diagnostics: Diagnostics) -> Place | None:
    """The next issue of an existing group, or issue 1 of a new one; local id <group index>-<issue>."""
    groups = library.groups_by_document.get(document.id, ())
    names = [g.name for g in groups]
    group = request.group.strip()
    if not group:
        listing = "、".join(f"{g.name}（{len(g.cards)} 期）" for g in groups) or "还没有"
        diagnostics.error(document.path, 0, f"文件“{document.id}”是系列，要说明卡片属于哪个组",
                          f"加上 --group 组名（已有的组或新组），它的组有：{listing}")
        return None
    if group in names:
        if request.new_group:
            diagnostics.error(document.path, 0, f"组“{group}”已经存在",
                              "去掉 --new-group，就会在这个组里加下一期")
            return None
        index = names.index(group) + 1
        issue = max(library.cards[c].series.issue for c in groups[index - 1].cards) + 1
    else:
        close = difflib.get_close_matches(group, names, n=1)
        if close and not request.new_group:
            diagnostics.error(document.path, 0, f"“{document.id}”里没有组“{group}”",
                              f"是不是“{close[0]}”？要用这个名字新建一个组，加上 --new-group")
            return None
        index, issue = len(names) + 1, 1
    number = SERIES_NUMBER.format(issue)
    if number is None:
        diagnostics.error(document.path, 0, f"第 {issue} 期无法写成“第N期”",
                          "手工写这张卡片（见 README.md 的 Adding a card 一节）")
        return None
    return number, f"{index}-{issue}", {"group": group, "issue": issue}


def _relative(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def taken_names(library: Library, content_dir: Path, project_dir: Path, remembered: set[str]) -> Taken:
    """Every card id, every file under content/cards/, and every card import-state remembers
    (a card an editor deleted: a new card there would be taken for the imported measure)."""
    files = {_relative(p, project_dir) for p in (content_dir / CARDS_DIR).rglob("*") if p.is_file()}
    return Taken(frozenset(library.cards), frozenset(files | remembered))


def write_card(card: PlannedCard, diagnostics: Diagnostics) -> bool:
    """Create the card's file; an existing file is never overwritten."""
    card.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with card.path.open("x", encoding="utf-8") as out:
            out.write(card.text())
    except FileExistsError:
        diagnostics.error(card.rel, 0, "这个文件已经存在，保持不变",
                          "再运行一次这个命令，换一个名字")
        return False
    return True


def blocking_errors(loaded: Diagnostics, content_dir: Path, project_dir: Path) -> list[str]:
    """Errors in card or document files: a file that did not load may hold the number or id
    the new card would take."""
    folders = tuple(_relative(content_dir / d, project_dir) + "/" for d in (CARDS_DIR, DOCUMENTS_DIR))
    return sorted({d.path for d in loaded.errors if d.path.startswith(folders)})


def scaffold(content_dir: Path, project_dir: Path, request: NewCard, diagnostics: Diagnostics) -> str | None:
    """Load the content, plan the card and write it; its path relative to the project, or None."""
    for problem in paths.links_leaving(project_dir, [content_dir]):  # never read or write through one
        diagnostics.add(problem)
    if diagnostics:
        return None
    loaded = Diagnostics()
    content = load_content(content_dir, project_dir, loaded)
    broken = blocking_errors(loaded, content_dir, project_dir)
    if broken:
        diagnostics.extend(loaded)
        diagnostics.error(_relative(content_dir / CARDS_DIR, project_dir), 0,
                          f"{len(broken)} 个卡片或文件有错误，无法知道哪些卡片编号已被使用",
                          "先改好它们（没有写入卡片）")
        return None
    for d in loaded.errors:  # problems elsewhere do not change the numbering: report, carry on
        diagnostics.warning(d.path, d.line, d.message, d.hint)
    state = load_state(content_dir, _relative(content_dir / STATE_FILE, project_dir), diagnostics)
    if diagnostics:
        return None  # a damaged state may hide the place of a card an editor deleted
    library = build_library(content)
    card = plan_card(library, request, taken_names(library, content_dir, project_dir, set(state.cards)),
                     content_dir, project_dir, diagnostics)
    if card is None or not write_card(card, diagnostics):
        return None
    return card.rel
