"""A measure draft as card fields: YAML front matter values and a Markdown body."""
from __future__ import annotations

import re

from .measures import MeasureDraft

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Source text as Markdown that renders exactly as written."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def card_id(document_id: str, local_id: str) -> str:
    return f"{document_id}-{local_id}"


def measure_text(draft: MeasureDraft) -> str:
    """The measure as plain text: its title sentence and its paragraphs."""
    return "\n".join([f"{draft.title}。", *draft.paragraphs]) if draft.title else "\n".join(draft.paragraphs)


def classification_headings(draft: MeasureDraft) -> list[str]:
    """The headings that say what a measure is about; a series group counts as one."""
    return [*draft.heading, *([draft.series_group] if draft.series_group else [])]


def card_fields(draft: MeasureDraft, document_id: str, local_id: str, source_file: str,
                extracted: dict) -> tuple[dict, str]:
    """Front matter (in the order editors read it) and the Markdown body."""
    data: dict = {
        "id": card_id(document_id, local_id),
        "title": draft.title,
        "document": document_id,
        "number": draft.number,
        "kind": draft.kind,
        "heading": list(draft.heading),
    }
    if draft.series_group:
        data["series"] = {"group": draft.series_group, "issue": draft.series_issue}
    data["source"] = {"file": source_file, "line": draft.line}
    data.update({key: value for key, value in extracted.items() if value})
    body = "\n\n".join(escape_markdown(p) for p in draft.paragraphs)
    return data, body
