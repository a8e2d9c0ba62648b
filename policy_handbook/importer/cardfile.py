"""A measure draft as a card file: YAML front matter and a Markdown body."""
from __future__ import annotations

import re

from .. import frontmatter
from .measures import MeasureDraft

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Source text as Markdown that renders exactly as written."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def card_id(document_id: str, local_id: str) -> str:
    return f"{document_id}-{local_id}"


def card_text(draft: MeasureDraft, document_id: str, local_id: str, source_file: str) -> str:
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
    body = "\n\n".join(escape_markdown(p) for p in draft.paragraphs)
    return frontmatter.dump(data, body)
