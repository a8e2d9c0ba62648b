"""Measures from an outline: title, body, number, heading path, series place, position."""
from __future__ import annotations

from dataclasses import dataclass

from ..text.outline import SENTENCE_PUNCT, Node, Outline, folds_subpoints, heading_parts, is_general_heading, walk_measures


@dataclass(frozen=True)
class MeasureDraft:
    """A measure as the importer reads it, before it becomes a card file."""

    path: tuple[int, ...]  # the numbers of its numbered ancestors and itself: (2, 1, 3)
    number: str  # as printed
    title: str
    paragraphs: tuple[str, ...]
    heading: tuple[str, ...]
    kind: str  # "measure" or "general"
    line: int
    series_group: str = ""
    series_issue: int = 0
    # `path` with the numbers of its 第N章 and 第N节 too: (3, 1, 2, 4)
    full_path: tuple[int, ...] = ()


LEAD_MARKS = "★☆▲△●◆"  # a task table's marks before the task; not part of its title


def split_title(text: str) -> tuple[str, str]:
    """The lead sentence up to the first 。 (without it), and the rest."""
    text = text.lstrip(LEAD_MARKS)
    head, sep, rest = text.partition("。")
    return (head.strip(), rest.strip()) if sep else (text.strip(), "")


RUNS_ON = ("，", ",", "、", "的", "和", "与", "及", "并", "或")
SHORT_TAIL = 16  # characters before 。 of a line that only ends the sentence above it


def continues_sentence(line: str, following: str) -> bool:
    """A numbered line without 。 whose sentence goes on in the next line: it stops on 的/和/，,
    or the next line only ends it (`2. 降低企业用电\n成本。`), with no pause before its 。."""
    head, sep, _ = following.partition("。")
    if not sep:
        return False
    return line.endswith(RUNS_ON) or (len(head) <= SHORT_TAIL and not SENTENCE_PUNCT.search(head))


def read_measures(outline: Outline) -> list[MeasureDraft]:
    drafts = []
    groups: list[str] = []
    for node, ancestors in walk_measures(outline.root):
        drafts.append(_draft(node, ancestors, groups))
    return drafts


def _draft(node: Node, ancestors: tuple[Node, ...], groups: list[str]) -> MeasureDraft:
    m = node.marker
    paragraphs = [p.text for p in node.paragraphs]
    if m.kind == "series":
        if m.group not in groups:
            groups.append(m.group)
        title, rest = split_title(paragraphs[0]) if paragraphs else ("", "")
        body = ([rest] if rest else []) + paragraphs[1:]
        return MeasureDraft(path=(groups.index(m.group) + 1, m.value), number=m.printed, title=title,
                            paragraphs=tuple(body), heading=(), kind="measure", line=node.line,
                            series_group=m.group, series_issue=m.value,
                            full_path=(groups.index(m.group) + 1, m.value))
    title, rest = split_title(m.rest)
    broken = node.paragraphs and node.paragraphs[0].number > node.line  # not a cell or garbled stop on its line
    if not rest and "。" not in m.rest and broken and continues_sentence(m.rest, paragraphs[0]):
        title, rest = split_title(m.rest + paragraphs.pop(0))  # a lead sentence broken by a line break
    if folds_subpoints(node):  # the sub-points and their shared note are the body
        paragraphs += [text for kid in node.children for text in (kid.heading, *(p.text for p in kid.paragraphs))]
    headings = tuple(part for a in ancestors for part in heading_parts(a))
    general = any(is_general_heading(a.marker.rest) for a in ancestors)
    return MeasureDraft(
        path=tuple(a.marker.value for a in ancestors if a.marker.kind not in ("chapter", "section"))
        + (m.value,),
        number=m.printed, title=title, paragraphs=tuple(([rest] if rest else []) + paragraphs),
        heading=headings, kind="general" if general else "measure", line=node.line,
        full_path=tuple(a.marker.value for a in ancestors) + (m.value,))


def unread_numbered_lines(outline: Outline) -> list[tuple[int, str]]:
    """(line, why) for each numbered line that gives no card and heads none: a number out of
    sequence, a request of the issuing notice, a heading with nothing under it. For warnings."""
    found = list(outline.dropped)
    measures = {id(node) for node, _ in walk_measures(outline.root)}

    def visit(node: Node) -> None:
        for child in node.children:
            if id(child) not in measures and not child.children and not child.paragraphs:
                found.append((child.line, f"“{child.heading}”下面既没有正文，也没有下一级条目"))
            if id(child) not in measures:
                visit(child)
    visit(outline.root)
    return sorted(found)


def local_ids(drafts: list[MeasureDraft]) -> list[str]:
    """Each measure's id within its document, unique by construction.

    The shortest of these that tells every measure of the document apart: its own number
    (19), its path below the chapters and sections (2-1-3; a series: group-issue), its path
    with its 第N章/第N节 numbers (3-1-2, for numbering that restarts in each chapter). Each
    is what earlier versions wrote when it was unique, so ids of existing cards stay as they
    are. When even the full path repeats (a series issue printed twice, a list restarting at
    1 under the same heading), a repeat gets the first free `-2`, `-3` … after its path.
    """
    for key in (lambda d: d.path[-1:], lambda d: d.path, _full_path):
        ids = ["-".join(str(n) for n in key(d)) for d in drafts]
        if len(set(ids)) == len(ids):
            return ids
    used = set(ids)  # every full path stays its first measure's id; repeats take free names
    seen: set[str] = set()
    result = []
    for local in ids:
        if local in seen:
            n = 2
            while f"{local}-{n}" in used:
                n += 1
            used.add(f"{local}-{n}")
            local = f"{local}-{n}"
        seen.add(local)
        result.append(local)
    return result


def repeats(drafts: list[MeasureDraft]) -> list[tuple[MeasureDraft, MeasureDraft]]:
    """(measure, the earlier measure with the same full path) for each repeat in the source."""
    first: dict[tuple[int, ...], MeasureDraft] = {}
    found = []
    for d in drafts:
        key = _full_path(d)
        if key in first:
            found.append((d, first[key]))
        else:
            first[key] = d
    return found


def _full_path(draft: MeasureDraft) -> tuple[int, ...]:
    return draft.full_path or draft.path
