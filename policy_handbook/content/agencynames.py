"""One name for one body: how names of agencies are compared. Pure: names in, keys and proposals out.

- A collective (各县（市、区）人民政府, 市直各部门, 各有关部门, …成员单位) names many units, not one
  office. Its variants (brackets of any kind or width, traditional characters, 各 or not, with or
  without 人民政府) share one key, so the registry makes them one entry by rule.
- Variants of one body (入企帮扶专项小组 / 入企帮扶专项工作小组, 人社局 / 人力资源和社会保障局,
  a raw 县<市、区> bracket) are only *proposed* as aliases: an editor decides, in agencies.yaml.
- A name with the raw brackets of a converted page (‹市、区>, <市、区>, 〈市、区〉), half-width
  parentheses or a converter's pinyin (區(qū)商務(wù)局) has a clean form (（市、区）, 區商務局) that
  an editor is asked to use as the entry's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..text.reading import reading_form

OPEN, CLOSE = "(<‹〈[【〔（", ")>›〉]】〕）"
_BRACKETS = {ord(ch): "(" for ch in OPEN} | {ord(ch): ")" for ch in CLOSE}
_SPACE = re.compile(r"\s+")
# A converter's pinyin reading left in a name: 區(qū)商務(wù)局.
_PINYIN = re.compile(r"[(（][a-zA-Z\u00e0-\u00fc\u0101-\u01dc]+[)）]")
# A bracket an editor would print in a name: （…）. Raw ones are what a page converter left.
_RAW = re.compile(r"[<‹〈\[【〔(]([^<>‹›〈〉\[\]【】〔〕()（）]*)[>›〉\]】〕)]")
COLLECTIVE_ENDS = ("成员单位", "有关部门", "相关部门", "有关单位", "相关单位", "直部门", "直单位", "职能部门")
_COUNTIES = re.compile(r"县\(?[市区]、?[市区]?\)?")  # 县(市、区), 县市区, 县区
# Words a body's name may be written with or without: 专项(工作)小组, 人力资源(和)社会保障局.
_FILLERS = ("工作", "和", "人民", "的")
_LONG_FORMS = (("委员会", "委"), ("办公室", "办"), ("管理局", "局"))


def spelling(name: str) -> str:
    """The name as a reader reads it: simplified, half-width, one kind of bracket, no spaces."""
    return _SPACE.sub("", reading_form(_PINYIN.sub("", name))).translate(_BRACKETS).replace(",", "、")


def clean_form(name: str) -> str:
    """The name with its brackets printed （…）, no stray spaces and no pinyin a converter left
    (區(qū)商務(wù)局): what an entry should be named."""
    text = _PINYIN.sub("", _SPACE.sub("", name.strip()))
    return _RAW.sub(lambda m: f"（{m.group(1).replace(',', '、').replace('，', '、')}）", text)


def is_garbled(name: str) -> bool:
    return clean_form(name) != name


def collective_shape(name: str) -> bool:
    """Whether a name reads as a collective: 各…, …有关部门, …成员单位, 县(市、区)人民政府."""
    text = spelling(name)
    return "各" in text or text.endswith(COLLECTIVE_ENDS) or bool(re.search(r"县\([市区]", text))


def collective_key(rest: str, region: str = "") -> str:
    """What makes two collectives of one region the same: 各县（市、区）人民政府 = 县<市、区>人民政府
    = 各县市区政府 = 各縣(市、區); 市直各部门 = 各市直部门 = 市直部门 (in a 市: 赣州市直部门);
    各有关部门 = 各相关部门; 各相关市直部门 = 市直相关部门. `rest` is the name without its region."""
    text = spelling(rest).replace("有关", "相关")
    text = _COUNTIES.sub("县", text.replace("各", ""))
    text = re.sub(r"相关([省市县区]?直)", r"\1相关", text)
    if region and text.startswith(region[-1] + "直"):  # 赣州市 + 市直部门 is written 赣州市直部门
        text = text[1:]
    for tail in ("人民政府", "政府"):
        if text.endswith(tail) and len(text) > len(tail):
            text = text[:-len(tail)]
    return re.sub(r"[()、]", "", text)


def _plain(rest: str) -> str:
    """A body's name without the words it may be written with or without, long forms shortened."""
    text = spelling(rest)
    for long, short in _LONG_FORMS:
        text = text.replace(long, short)
    for word in _FILLERS:
        text = text.replace(word, "")
    return text


def _abbreviates(short: str, long: str) -> bool:
    """人社局 of 人力资源社会保障局, 发改委 of 发展改革委, 市场监管局 of 市场监督管理局: same first
    and last character, the short one's characters in order in the long one, which is two or more
    characters longer and at most three times as long (国税局 is no abbreviation of 国家税务总局山西省税务局)."""
    if not 3 <= len(short) <= len(long) - 2 or len(long) > 3 * len(short) \
            or short[0] != long[0] or short[-1] != long[-1]:
        return False
    chars = iter(long)
    return all(ch in chars for ch in short)


@dataclass(frozen=True)
class NameEntry:
    """One registry entry as the comparison sees it."""

    name: str
    forms: tuple[str, ...]  # its name and aliases, each without the region prefix
    region: str
    collective: bool
    distinct_from: frozenset[str] = frozenset()  # names an editor said are another body
    uses: int = 0  # cards that name it
    line: int = 0
    contact: bool = False  # an editor filled in its contact


@dataclass(frozen=True)
class Proposal:
    keep: str  # the entry whose name stays
    fold: str  # the entry proposed as its alias
    reason: str  # in Chinese, for the editor


def strip_region(name: str, prefixes: Sequence[str]) -> str:
    """The name without the longest region name or short name it starts with (the rest kept whole)."""
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def same_body(a: NameEntry, b: NameEntry) -> str:
    """Why two entries look like one body ("" when they do not): the reason, in Chinese."""
    if a.region != b.region or a.collective or b.collective or \
            a.distinct_from & {b.name, *b.forms} or b.distinct_from & {a.name, *a.forms}:
        return ""
    pairs = [(x, y) for x in a.forms for y in b.forms]
    if any(spelling(x) == spelling(y) for x, y in pairs):
        return "两者只是括号、全角半角、繁简字、空格或转换留下的拼音不同"
    if any(_plain(x) == _plain(y) for x, y in pairs):
        return "两者只差“工作”“和”“人民”这类字，或“委员会”“委”这类全称和简称"
    if any(_abbreviates(*sorted((form(x), form(y)), key=len)) for x, y in pairs for form in (spelling, _plain)):
        return "一个像是另一个的简称"
    return ""


def proposals(entries: Iterable[NameEntry]) -> list[Proposal]:
    """Pairs of entries that look like one body, each once. The name kept is the clean one, else
    the one with a contact, else the one registered first (the importer appends new names at
    the end). Entries are compared within their region only."""
    by_region: dict[str, list[NameEntry]] = {}
    for entry in entries:
        by_region.setdefault(entry.region, []).append(entry)
    found: list[Proposal] = []
    for group in by_region.values():
        group = [e for e in group if not e.collective]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                reason = same_body(a, b)
                if reason:
                    keep, fold = sorted((a, b), key=lambda e: (is_garbled(e.name), not e.contact, e.line, -e.uses, e.name))
                    found.append(Proposal(keep.name, fold.name, reason))
    return found
