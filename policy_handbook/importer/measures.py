"""Measures from an outline: title, body, number, heading path, series place, position."""
from __future__ import annotations

from dataclasses import dataclass

from ..text.outline import GENERAL_HEADING, Node, Outline, heading_parts, walk_measures


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


def split_title(text: str) -> tuple[str, str]:
    """The lead sentence up to the first 。 (without it), and the rest."""
    head, sep, rest = text.partition("。")
    return (head.strip(), rest.strip()) if sep else (text.strip(), "")


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
                            series_group=m.group, series_issue=m.value)
    title, rest = split_title(m.rest)
    headings = tuple(part for a in ancestors for part in heading_parts(a))
    general = any(GENERAL_HEADING.search(a.marker.rest) for a in ancestors)
    return MeasureDraft(
        path=tuple(a.marker.value for a in ancestors if a.marker.kind not in ("chapter", "section"))
        + (m.value,),
        number=m.printed, title=title, paragraphs=tuple(([rest] if rest else []) + paragraphs),
        heading=headings, kind="general" if general else "measure", line=node.line)


def local_ids(drafts: list[MeasureDraft]) -> list[str]:
    """Each measure's id within its document: its own number where that is unique, else its path."""
    own = [d.path[-1] for d in drafts]
    if len(set(own)) == len(own):
        return [str(n) for n in own]
    return ["-".join(str(n) for n in d.path) for d in drafts]
