"""Time limits stated without a date: ongoing (长期坚持, 持续推进, 常态化) and recurring (每季度, 每月).

Both words are common in the body of a measure as plain verbs (持续推进诉讼电子化, 常态化受理), so
they are read as a deadline only where the text states a time limit (precision over recall):

- a time-limit field (`完成时限：长期坚持`, `时限要求：持续推进`, `完成时间：每季度`), on its own line
  or inside an attribution note; the field's value, or one of its comma-separated parts, is the phrase;
- a part of an attribution note (`（市发改委牵头，长期坚持）`), or a bracket holding only the phrase;
- a line or a table cell (`| 长期坚持 |`) that is nothing but the phrase.
In those places bare 长期, 持续, 常态化 count only after a field label; elsewhere the phrase needs its
verb (长期坚持, 持续推进, 常态化推进 …) or is 常态化 itself.

Recurring phrases are also read in the body, where the frequency governs a reporting or meeting
verb (`每季度召开例会`, `每半年专题听取工作汇报`, `每月通报`), names a period's end (`每季度末`,
`每月底前`), or a day of the month (`每月10日前`). Not recurring: quotas per period (`每年培育50家`,
`每月发布10条`; 每年 in the body is nearly always a quota, so it counts in fields and notes only),
progress per quarter (`每季度进展情况`), and 每年 with a date (annual, read by deadlines.py).

Patterns run on text/reading's reading form (simplified characters, half-width punctuation); spans
index the original text, and `text` is the phrase as written.
"""
from __future__ import annotations

import re
from typing import Iterator


def _words(*words: str) -> str:
    """An alternation of words that may have spaces (or masked converter noise) between their characters."""
    return "(?:" + "|".join(r"\s*".join(word) for word in words) + ")"


# Converter noise after a character (發(fā), 續(xù)): blanked out, same length, before matching.
NOISE = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
_BEFORE = r"(?:之前|以前|前)"
_VERBS = _words("坚持", "推进", "开展", "实施", "落实", "执行", "推动", "有效")
_LONG = _words("长期", "持续", "常态化", "长效")
# The phrase where the text states it as a time limit (a note part, a cell, a bracket).
ONGOING = re.compile(rf"{_LONG}\s*{_VERBS}|{_words('常态化', '长期坚持并持续推进')}")
# After a field label the bare words are a time limit too (完成时限：长期).
ONGOING_IN_FIELD = re.compile(rf"{_LONG}\s*{_VERBS}?")
_EVERY = rf"每\s*(?:个\s*)?{_words('季度', '月', '半年', '年', '周', '两个月', '双月')}"
RECURRING = re.compile(rf"{_EVERY}\s*(?:(?:末|底)\s*{_BEFORE}?)?")
_REPORT = _words("召开", "调度", "通报", "报送", "上报", "报告", "汇报", "听取", "督查", "督导", "督办", "检查",
                 "考核", "评估", "会商", "研判", "分析", "更新", "公布", "发布", "公示")
# A count after the verb makes a quota (每月发布10条), not a time limit (每月通报一次).
_COUNT = r"[0-9一二两三四五六七八九十百千]+\s*(?:场|家|个|批|项|条|篇|户|人|万|亿|期|件)"
_ADVERB = _words("定期", "至少", "专题", "集中", "分别", "均", "要", "须", "应", "需")
RECURRING_BODY = re.compile(
    rf"(?P<every>每\s*(?:个\s*)?{_words('季度', '月', '半年', '两个月', '双月')}\s*(?:末|底)\s*{_BEFORE}?)"
    rf"|(?P<day>每\s*月\s*[0-9]{{1,2}}\s*日\s*{_BEFORE})"
    rf"|(?P<verb>每\s*(?:个\s*)?{_words('季度', '月', '半年', '两个月', '双月')})"
    rf"(?=\s*(?:{_ADVERB}\s*){{0,2}}{_REPORT}(?!\s*{_COUNT}))")
# A label that states a time limit, at the start of a line, a note or a note's part.
_LABEL = _words("完成时限", "完成时间", "完成期限", "完成节点", "时限要求", "时间要求", "时间节点", "办结时限", "时限")
FIELD = re.compile(rf"(?<![^\s(\[〔【;,、|。]){_LABEL}\s*(?:要\s*求)?\s*:\s*(?P<value>[^\n;|)\]〕】]*)")
NOTE = re.compile(r"[(\[〔【](?P<inside>[^()\[\]〔〕【】\n]*)[)\]〕】]")
ATTRIBUTION = re.compile(r"牵头|负责|配合|责任|单位|部门|协助|参与")
PART_BREAK = re.compile(r"[,;、]")
_TRAILING = " \t\u3000。.,"


def masked(norm: str) -> str:
    """The reading form with converter noise blanked out (same length)."""
    return NOISE.sub(lambda m: " " * len(m.group()), norm)


def parts(norm: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The comma-, semicolon- or 、-separated parts of norm[start:end], stripped, as spans."""
    for piece_start, piece_end in _split(norm, start, end):
        while piece_start < piece_end and norm[piece_start] in _TRAILING:
            piece_start += 1
        while piece_end > piece_start and norm[piece_end - 1] in _TRAILING:
            piece_end -= 1
        if piece_start < piece_end:
            yield piece_start, piece_end


def _split(norm: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    at = start
    for m in PART_BREAK.finditer(norm, start, end):
        yield at, m.start()
        at = m.end()
    yield at, end


def undated(norm: str, start: int, end: int, text: str, in_field: bool) -> dict | None:
    """An ongoing or recurring entry when norm[start:end] is nothing but such a phrase."""
    phrase = norm[start:end]
    if (ONGOING_IN_FIELD if in_field else ONGOING).fullmatch(phrase):
        return {"kind": "ongoing", "text": text[start:end]}
    if RECURRING.fullmatch(phrase):
        return {"kind": "recurring", "text": text[start:end]}
    return None


def stated_spans(norm: str) -> Iterator[tuple[int, int, str]]:
    """Where the text states a time limit, as (start, end, where): the parts of a time-limit field's
    value ("field"), the parts of an attribution note ("note"), a bracket of one part, a table cell
    or a line ("cell": these may hold an undated phrase only, a date there is a reference or a
    signing date). Fields come first, so that a field inside a note is read as a field."""
    for field in FIELD.finditer(norm):
        for start, end in parts(norm, field.start("value"), field.end("value")):
            yield start, end, "field"
    for m in NOTE.finditer(norm):
        whole = list(parts(norm, m.start("inside"), m.end("inside")))
        if ATTRIBUTION.search(m["inside"]):
            yield from ((start, end, "note") for start, end in whole)
        elif len(whole) == 1:
            yield whole[0][0], whole[0][1], "cell"
    at = 0
    for cell in re.split(r"[\n|]", norm):
        stripped = cell.strip(_TRAILING)
        if stripped:
            start = at + cell.index(stripped)
            yield start, start + len(stripped), "cell"
        at += len(cell) + 1


def body_recurring(norm: str, text: str) -> Iterator[tuple[int, int, dict]]:
    """Recurring phrases in a measure's prose (每季度召开, 每季度末, 每月10日前)."""
    for m in RECURRING_BODY.finditer(norm):
        start, end = m.span()
        yield start, end, {"kind": "recurring", "text": text[start:end]}
