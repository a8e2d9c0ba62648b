"""A measure draft as card fields: YAML front matter values and a Markdown body."""
from __future__ import annotations

import re

from ..text.support import propose
from .measures import MeasureDraft

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
# Chinese text: characters, and the punctuation that stands between them (、《》“” full-width forms)
_CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff5e\u201c\u201d]"
_PINYIN = re.compile(r"[a-z\u00e0-\u00fc\u0101-\u01dc]+")  # qū, chǎn: lower case, tone marks
_PAIR = re.compile(r"\(([^()\n]{1,80})\)")
_HALF_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[,;:()](?={_CJK})")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


# Import's proposals of application details, which editors confirm by writing them under
# `application:` (which import never touches); readers see only what is confirmed.
PROPOSED_APPLICATION = "proposed_application"


def escape_markdown(text: str) -> str:
    """Source text as Markdown that renders exactly as written."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def full_width_punctuation(text: str) -> str:
    """Half-width , ; : ( ) between Chinese characters as their full-width forms (各县（市、区）);
    a pair of brackets is turned together when Chinese text stands on either side of it, except
    around a reading in pinyin that a converter left in the text (區(qū)生產(chǎn) stays as printed)."""
    def pair(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if not _PINYIN.fullmatch(m.group(1)) and (re.match(_CJK, before) or re.match(_CJK, after)):
            return f"（{m.group(1)}）"
        return m.group()
    text = _PAIR.sub(pair, text)
    return _HALF_BETWEEN_CJK.sub(lambda m: _HALF_TO_FULL[m.group()], text)


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
        "title": full_width_punctuation(draft.title),
        "document": document_id,
        "number": draft.number,
        "kind": draft.kind,
        "heading": [full_width_punctuation(h) for h in draft.heading],
    }
    if draft.series_group:
        data["series"] = {"group": draft.series_group, "issue": draft.series_issue}
    data["source"] = {"file": source_file, "line": draft.line}
    data.update({key: value for key, value in extracted.items() if value})
    proposal = propose(measure_text(draft))  # 支持标准, 办理方式 as the text states them, for editors to confirm
    if "support" in proposal:  # written as the card's text is
        proposal["support"] = [full_width_punctuation(s) for s in proposal["support"]]
    if proposal:
        data[PROPOSED_APPLICATION] = proposal
    body = "\n\n".join(escape_markdown(full_width_punctuation(p)) for p in draft.paragraphs)
    return data, body
