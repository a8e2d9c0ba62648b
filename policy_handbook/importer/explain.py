"""`build.py import --explain <card-id>`: why the importer gives a card its agencies and deadlines.

For each agency and deadline the importer reads from the source, the phrase it was read from
(the note, field line, table cell or sentence), so that an editor can check a reading against
the text and see which rule of the genre produced it. Pure: evidence in, Chinese text out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..text.agencies import sentence_around

ROLE_NAMES = {"lead": "牵头", "responsible": "责任", "support": "配合", "mentioned": "提到"}
KIND_NAMES = {"due": "截止", "target": "目标", "start": "起始", "period": "期间", "annual": "每年",
              "ongoing": "长期", "recurring": "定期"}


@dataclass(frozen=True)
class Reading:
    """One agency or deadline the importer read, with the phrase it came from."""

    what: str  # "agency" | "deadline"
    label: str  # role or kind
    value: str  # canonical name, or the date(s)
    written: str  # as the text writes it
    phrase: str  # the phrase it was read from, as written


@dataclass(frozen=True)
class CardEvidence:
    source: str  # content/sources/<name>.txt
    line: int
    number: str
    title: str
    readings: tuple[Reading, ...] = field(default_factory=tuple)


def deadline_value(entry: dict) -> str:
    if entry.get("kind") == "period":
        return f"{entry.get('start', '')}—{entry.get('end', '')}"
    if entry.get("kind") == "annual":
        return f"每年 {entry.get('month_day', '')}"
    return str(entry.get("date") or entry.get("text") or "")


def sentence_with(text: str, phrase: str) -> str:
    """The sentence (between 。；or line breaks) of `text` that holds `phrase`."""
    at = text.find(phrase)
    if at < 0 or not phrase:
        return ""
    first, last = sentence_around(text, at, at + len(phrase))
    return text[first:last].strip()


def explain(card_id: str, evidence: CardEvidence) -> str:
    lines = [f"卡片 {card_id}：{evidence.number} {evidence.title}",
             f"原文：{evidence.source}:{evidence.line}"]
    for what, heading, names in (("agency", "机构", ROLE_NAMES), ("deadline", "时限", KIND_NAMES)):
        readings = [r for r in evidence.readings if r.what == what]
        lines.append(f"{heading}：" + ("" if readings else "没有读到"))
        for r in readings:
            shown = r.value if r.written in ("", r.value) else f"{r.value}（原文写作“{r.written}”）"
            lines.append(f"  {names.get(r.label, r.label)}  {shown}")
            lines.append(f"        依据：“{r.phrase}”" if r.phrase else "        依据：正文里出现了这个名称（没有分工说明）")
    lines.append("这些是导入从原文读出的结果；编辑在卡片里改过的内容以卡片为准。")
    return "\n".join(lines)
