"""ASCII slugs for names in Chinese (agencies, topics, regions): pinyin syllables joined by hyphens.

朔州市财政局 -> shuo-zhou-shi-cai-zheng-ju. Names that spell the same get -2, -3 … in the order
of their names, so slugs are stable for a given set of names.
"""
from __future__ import annotations

import os
import re
from typing import Iterable

# Slugs need each character's reading, not phrase-level disambiguation: skipping pypinyin's
# phrase dictionary (its documented switch) cuts its import from 0.4 s to 0.1 s, and gave the
# same slug for every agency, topic and beneficiary name in the handbook.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
from pypinyin import lazy_pinyin  # noqa: E402

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    syllables = lazy_pinyin(name)
    text = "-".join(_NOT_ALNUM.sub("-", s.lower()).strip("-") for s in syllables)
    return _NOT_ALNUM.sub("-", text).strip("-") or "x"


def slugs(names: Iterable[str]) -> dict[str, str]:
    """A unique slug for each name."""
    result: dict[str, str] = {}
    taken: dict[str, int] = {}
    for name in sorted(set(names)):
        base = slug(name)
        count = taken.get(base, 0) + 1
        taken[base] = count
        result[name] = base if count == 1 else f"{base}-{count}"
    return result
