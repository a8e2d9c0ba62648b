"""Editors own the cards: a field-by-field three-way merge on every import.

For each field the importer writes, compare what import wrote last time (the base, kept in
content/import-state.json), what the card holds now, and what the source yields now:
- the card still holds the base value: nobody edited it, so take the new value;
- the card holds something else: an editor changed it, so keep it; if the source changed
  that field too, report a conflict naming the card and what changed in the source.
Fields the importer never writes (notes, contact, extra_topics, application, …) are always kept.
Application details are proposed under proposed_application, an imported field: it follows the
source until an editor changes or deletes it; what editors confirm goes under application.
A card an editor deleted is not recreated. Which card a measure is merged into is decided by
its text first (placement.py), so the base is always that of the same measure.

The state file is checked before anything is planned: invalid UTF-8 or JSON, a wrong shape or
a key that is not a card file's path is an error at its line, and nothing is written. A card
without an entry (base None) counts as the editors': every field where it differs from the
source is kept and reported. So `{}` adopts every existing card as the editors' own.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics

STATE_FILE = "import-state.json"
BODY = "body"
# The fields import writes, in the order they appear in a card file.
IMPORTED_FIELDS = ("id", "title", "document", "number", "kind", "heading", "series", "source",
                   "agencies", "deadlines", "time_limits", "topics", "beneficiaries",
                   "proposed_application")  # application details read from the text, for editors to confirm


@dataclass
class Merge:
    fields: dict  # the card's front matter after the merge
    body: str
    conflicts: list[str] = field(default_factory=list)  # one message per conflicting field
    kept_edits: list[str] = field(default_factory=list)  # fields where an editor's value was kept


@dataclass(frozen=True)
class State:
    """content/import-state.json as read: the cards import wrote, and whether the file exists."""

    cards: dict[str, dict]
    present: bool
    texts: dict[str, str] = field(default_factory=dict)  # kept text beside an original -> fingerprint (kepttext.py)


RESTORE = (f"从 git（`git checkout -- content/{STATE_FILE}`）或备份恢复它；没有完好的副本时，"
           "把它换成 {}，所有卡片保持原样（上次导入后删掉的卡片会回来，要再删一次）")


def load_state(content_dir: Path, rel: str, diagnostics: Diagnostics) -> State:
    """The state file, checked: a damaged one is an error at its line (and counts as empty)."""
    path = content_dir / STATE_FILE
    if not path.exists():
        return State({}, False)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        data = json.loads(text)
    except OSError as exc:
        diagnostics.error(rel, 0, f"导入记录读不出来（{exc.strerror}）", "检查它的权限")
        return State({}, True)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        diagnostics.error(rel, line, "导入记录已损坏：不是 UTF-8 文本", RESTORE)
        return State({}, True)
    except json.JSONDecodeError as exc:
        diagnostics.error(rel, exc.lineno, f"导入记录已损坏：不是有效的 JSON（{exc.msg}）", RESTORE)
        return State({}, True)
    except (ValueError, RecursionError):
        diagnostics.error(rel, 0, "导入记录已损坏：不是有效的 JSON（数字太长或嵌套太深）", RESTORE)
        return State({}, True)
    cards = data.get("cards", {}) if isinstance(data, dict) else None
    if not isinstance(cards, dict):
        diagnostics.error(rel, 1, "导入记录已损坏：它应该是一个对象，卡片放在“cards”下", RESTORE)
        return State({}, True)
    for key, entry in cards.items():
        problem = _entry_problem(key, entry)
        if problem:
            line = text[:max(text.find(json.dumps(key, ensure_ascii=False)), 0)].count("\n") + 1
            diagnostics.error(rel, line, f"导入记录已损坏：{problem}", RESTORE)
            return State({}, True)
    texts = data.get("texts", {})
    if not isinstance(texts, dict) or not all(isinstance(k, str) and k.endswith(".txt") and isinstance(v, str)
                                              for k, v in texts.items()):
        line = text[:max(text.find('"texts"'), 0)].count("\n") + 1
        diagnostics.error(rel, line, "导入记录已损坏：“texts”应该是一个对象，把 .txt 文件的路径对应到字符串", RESTORE)
        return State({}, True)
    return State(cards, True, texts)


def _entry_problem(key: str, entry) -> str:
    parts = key.split("/")
    if not key.endswith(".md") or key.startswith("/") or "\\" in key or any(p in ("", ".", "..") for p in parts):
        return f"“{key}”不是卡片文件的路径"
    if not isinstance(entry, dict):
        return f"“{key}”的条目不是对象"
    for name in ("title", "number", BODY):
        if not isinstance(entry.get(name, ""), str):
            return f"“{key}”的“{name}”不是字符串"
    return ""


def state_text(cards: dict[str, dict], texts: dict[str, str] | None = None) -> str:
    """Deterministic JSON: sorted keys, one card per block; "texts" (the fingerprints of the texts
    kept beside .html, .docx and .pdf originals) only when there are some."""
    data = {"about": "What `build.py import` last wrote into each card, so that it can "
                     "tell an editor's change from a change in the source. Do not edit.",
            "cards": cards}
    if texts:
        data["texts"] = texts
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def snapshot(fields: dict, body: str) -> dict:
    """The importer's output for one card, as stored in the state file."""
    return {**{k: fields[k] for k in IMPORTED_FIELDS if k in fields}, BODY: body.strip()}


def merge(new_fields: dict, new_body: str, current: tuple[dict, str] | None,
          base: dict | None) -> Merge:
    if current is None:
        return Merge(dict(new_fields), new_body)
    cur_fields, cur_body = current
    new = snapshot(new_fields, new_body)
    cur = {**{k: cur_fields.get(k) for k in IMPORTED_FIELDS}, BODY: cur_body.strip()}
    result = Merge({}, "")
    merged: dict = {}
    for key in (*IMPORTED_FIELDS, BODY):
        b = base.get(key) if base is not None else None
        c, n = cur.get(key), new.get(key)
        if base is not None and c == b or c == n:
            value = n
        else:
            value = c
            result.kept_edits.append(key)
            if base is None or n != b:
                result.conflicts.append(_describe(key, b if base is not None else c, n))
        merged[key] = value
    body = merged.pop(BODY) or ""
    # A field is written when the importer writes it (even empty: heading: []) or the card has it.
    result.fields = {k: v for k, v in merged.items()
                     if v is not None and (k in new_fields or k in cur_fields)}
    # Fields only editors write stay as they are, after the imported ones.
    result.fields.update({k: v for k, v in cur_fields.items() if k not in IMPORTED_FIELDS})
    result.body = body
    return result


def _describe(key: str, old, new) -> str:
    if key == BODY:
        return f"原文的正文改了：{_text_change(old or '', new or '')}"
    return f"原文里的 {key} 从{_short(old)}改成了{_short(new)}"


def _short(value, limit: int = 60) -> str:
    """A string in Chinese quotes; anything else as JSON, set off by spaces."""
    if isinstance(value, str):
        return f"“{value}”" if len(value) <= limit else f"“{value[:limit]}…”"
    text = json.dumps(value, ensure_ascii=False)
    return f" {text} " if len(text) <= limit else f" {text[:limit]}… "


def _text_change(old: str, new: str, context: int = 12) -> str:
    """The first changed stretch of a text, with a little context: …前文[−旧 +新]后文…"""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = old[max(0, a0 - context):a0]
        after = old[a1:a1 + context]
        return f"…{before}[−{old[a0:a1]} +{new[b0:b1]}]{after}…"
    return "（看不出变化）"
