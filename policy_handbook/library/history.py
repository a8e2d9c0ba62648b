"""What changed: each card's and document's change history. Pure; no I/O.

Two inputs, read by content/history.py:
- the repository's history (a checkout): one Change per commit that touched a content file, with
  the file's text before and after; the history says which parts changed (标题、正文、机构…)
  by comparing the front matter key by key and the body, without parsing YAML (fast at 10,000
  cards);
- outside git (a tarball): what the importer last wrote into each card (import-state.json)
  against the card now. There is no date then, and the history says only what editors changed.

A text change is kept as its old and new text; `compare` turns them into segments (equal,
deleted, inserted) that a template shows escaped, with <del>/<ins>.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..content.history import MAX_ENTRIES, Change
from ..model import Card

RECENT_LIMIT = 100  # entries on the 最近更新 page
CONTEXT = 24  # characters of unchanged text kept around a change in a comparison

CARD_ASPECTS = {"title": "标题", "body": "正文", "agencies": "机构", "deadlines": "时限", "time_limits": "时限",
                "validity": "效力", "topics": "主题", "extra_topics": "主题", "beneficiaries": "适用对象",
                "notes": "编者按", "contact": "咨询方式", "heading": "出处", "number": "出处", "series": "出处",
                "source": "出处", "kind": "出处"}
DOCUMENT_ASPECTS = {"title": "标题", "body": "说明", "issuer": "发文机关", "doc_number": "文号", "date": "日期",
                    "published": "日期", "validity": "效力", "region": "地区", "source": "原文"}
ASPECT_ORDER = ("标题", "正文", "说明", "机构", "发文机关", "文号", "日期", "时限", "效力", "主题", "适用对象",
                "地区", "编者按", "咨询方式", "出处", "原文", "其他")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


@dataclass(frozen=True)
class Entry:
    """One line of a page's history."""

    date: str  # "" when unknown (outside git)
    summary: str  # "新增" / "修改了标题、正文" / "编辑修改过：正文"
    aspects: tuple[str, ...] = ()
    title: tuple[str, str] | None = None  # (old, new) when the title changed
    body: tuple[str, str] | None = None  # (old, new) when the text changed
    path: str = ""  # the file, as History keys it


@dataclass(frozen=True)
class History:
    """Per file (its path as cards and documents give it: "content/cards/…"), newest first;
    `dated` when read from git."""

    files: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    dated: bool = False

    def of(self, path: str) -> tuple[Entry, ...]:
        return self.files.get(path, ())

    def updated(self, path: str) -> str:
        """The date of the file's last change, "" when unknown."""
        return next((e.date for e in self.of(path) if e.date), "")


def split_file(text: str) -> tuple[dict[str, str], str]:
    """A card or document file as {top-level front matter key: its lines} and the body (no YAML parse)."""
    lines = text.removeprefix("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    keys: dict[str, str] = {}
    current = ""
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            return keys, "\n".join(lines[i + 1:]).strip()
        match = _KEY.match(line)
        if match:
            current = match.group(1)
            keys[current] = line[match.end():].strip()
        elif current:
            keys[current] += "\n" + line.rstrip()
    return keys, ""


def _title(value: str) -> str:
    value = value.strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def summary(aspects: Iterable[str], editors: bool = False) -> str:
    names = "、".join(aspects)
    return f"编辑修改过：{names}" if editors else f"修改了{names}"


def _ordered(aspects: set[str]) -> tuple[str, ...]:
    return tuple(a for a in ASPECT_ORDER if a in aspects)


def file_entry(change: Change) -> Entry | None:
    """What one change did to one file; None when nothing a reader sees changed."""
    kind = CARD_ASPECTS if change.path.startswith("cards/") else DOCUMENT_ASPECTS
    if change.status == "A" or change.old is None:
        return Entry(change.date, "新增", path=change.path)
    old_keys, old_body = split_file(change.old)
    new_keys, new_body = split_file(change.new or "")
    changed = {k for k in old_keys.keys() | new_keys.keys() if old_keys.get(k) != new_keys.get(k)}
    aspects = {kind.get(k, "其他") for k in changed}
    if old_body != new_body:
        aspects.add(kind["body"])
    if not aspects:
        return None
    title = (_title(old_keys.get("title", "")), _title(new_keys.get("title", ""))) if "title" in changed else None
    body = (old_body, new_body) if old_body != new_body else None
    return Entry(change.date, summary(_ordered(aspects)), _ordered(aspects), title, body, change.path)


def by_day(changes: Iterable[Change]) -> list[Change]:
    """A file's changes of one day as one (newest first in, newest first out): from the text
    before the day's first change to the text after its last; a deletion ends a file's run."""
    days: dict[tuple[str, str], Change] = {}
    for change in changes:
        if change.status == "D":
            continue
        key = (change.path, change.date)
        later = days.get(key)
        days[key] = change if later is None else replace(later, status=change.status, old=change.old)
    return list(days.values())


def git_history(changes: Iterable[Change], prefix: str = "") -> History:
    """Changes newest first (git log order) -> each file's history, one entry a day, at most
    MAX_ENTRIES a file; `prefix` (the content folder, "content/") is put before each path."""
    files: dict[str, list[Entry]] = {}
    for change in by_day(changes):
        if len(files.get(change.path, ())) >= MAX_ENTRIES:
            continue
        entry = file_entry(change)
        if entry is not None:
            files.setdefault(change.path, []).append(replace(entry, path=prefix + change.path))
    return History({prefix + path: tuple(entries) for path, entries in sorted(files.items())}, dated=True)


def _agencies(value) -> dict:
    if isinstance(value, dict):
        return {role: list(names or ()) for role, names in value.items() if names}
    return {role: list(names) for role, names in value}


def _deadlines(value) -> list:
    return [{k: str(v) for k, v in sorted(d.items())} for d in value or () if isinstance(d, dict)]


def state_history(state: dict[str, dict], cards: Iterable[Card]) -> History:
    """Outside git: each card whose title, text, agencies, deadlines or topics differ from what
    the importer last wrote (import-state.json, keyed by "content/cards/…") has one undated entry."""
    files: dict[str, tuple[Entry, ...]] = {}
    for card in cards:
        base = state.get(card.path)
        if not isinstance(base, dict):
            continue
        aspects = set()
        old_title, old_body = str(base.get("title", "")).strip(), str(base.get("body", "")).strip()
        if old_title != card.title:
            aspects.add("标题")
        if old_body != card.body.strip():
            aspects.add("正文")
        if _agencies(base.get("agencies") or {}) != _agencies(card.agencies):
            aspects.add("机构")
        if _deadlines(base.get("deadlines")) != _deadlines(card.deadlines) \
                or list(base.get("time_limits") or ()) != list(card.time_limits):
            aspects.add("时限")
        if list(base.get("topics") or ()) != list(card.topics):
            aspects.add("主题")
        if card.validity is not None:
            aspects.add("效力")
        if not aspects:
            continue
        ordered = _ordered(aspects)
        files[card.path] = (Entry("", summary(ordered, editors=True), ordered,
                            (old_title, card.title) if "标题" in aspects else None,
                            (old_body, card.body.strip()) if "正文" in aspects else None, card.path),)
    return History(dict(sorted(files.items())), dated=False)


def recent(history: History, limit: int = RECENT_LIMIT) -> list[Entry]:
    """The latest changes across the handbook, newest first (files in path order within a day)."""
    entries = [e for path in sorted(history.files) for e in history.files[path]]
    entries.sort(key=lambda e: e.date, reverse=True)  # stable
    return entries[:limit]


_SENTENCE = re.compile(r"(?<=[。；！？;!?\n])")


def compare(old: str, new: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """old -> new as segments ("equal" | "del" | "ins", text): sentences first, then the
    characters of a sentence replaced by one sentence; long unchanged stretches shortened to
    their ends around "…"."""
    a, b = _SENTENCE.split(old), _SENTENCE.split(new)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
        elif op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2]):
                segments.extend(_characters(x, y))
        else:
            segments += [("del", "".join(a[i1:i2])), ("ins", "".join(b[j1:j2]))]
    return _shorten([(op, text) for op, text in segments if text], context)


def _characters(old: str, new: str) -> list[tuple[str, str]]:
    """A sentence changed in places: the places; one rewritten (less than half the same): all of it."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < 0.5:
        return [("del", old), ("ins", new)]
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", old[i1:i2]))
        else:
            out += [("del", old[i1:i2]), ("ins", new[j1:j2])]
    return out


def _shorten(segments: list[tuple[str, str]], context: int) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in segments:  # neighbours of the same kind as one
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    out = []
    for i, (op, text) in enumerate(merged):
        if op == "equal" and len(text) > 2 * context + 1:
            head = text[:context] if i > 0 else ""
            tail = text[-context:] if i < len(merged) - 1 else ""
            text = f"{head}…{tail}"
        out.append((op, text))
    return out
