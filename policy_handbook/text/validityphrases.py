"""When a policy takes effect and until when, as its text states it: 自2023年1月1日起施行,
自印发之日起施行, 有效期至2025年12月31日, 有效期3年, 执行期限为2021年1月1日至2023年12月31日.

Pure: text (and the document's date, for 自印发之日起) in, ISO dates and the phrase out. The
importer proposes them; editors confirm (they are marked as inferred).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .reading import reading_form

_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_FROM = re.compile(rf"自\s*{_DATE}\s*起(?:正式)?(?:施行|执行|实施|生效)")
_FROM_ISSUE = re.compile(r"[自至](?:印发|发布|公布)之日起(?:施行|执行|实施|生效)")
_UNTIL = re.compile(rf"有效期(?:至|到|截至){_DATE}")
_SPAN = re.compile(rf"(?:有效期|执行期限?|实施期限?)(?:为|:|：)?\s*{_DATE}\s*(?:至|到|—|-|－|~)\s*{_DATE}")
_YEARS = re.compile(r"有效期(?:为|暂定)?\s*([0-9一二两三四五六七八九十]+)\s*年")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class StatedValidity:
    start: str = ""  # ISO
    until: str = ""  # ISO
    phrases: tuple[str, ...] = ()  # as the text writes them


def _day(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _years(text: str) -> int:
    if text.isdigit():
        return int(text)
    return sum(_NUMERALS.get(ch, 0) for ch in text) if text != "十" else 10


def _plus_years(day: dt.date, years: int) -> dt.date:
    """The last day of a validity of `years` years starting on `day`."""
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)


def stated_validity(text: str, document_date: str = "") -> StatedValidity:
    plain = reading_form(text)
    start = until = None
    phrases: list[str] = []
    if m := _SPAN.search(plain):
        start, until = _day(*m.groups()[:3]), _day(*m.groups()[3:])
        phrases.append(text[m.start():m.end()])
    if start is None and (m := _FROM.search(plain)):
        start = _day(*m.groups())
        phrases.append(text[m.start():m.end()])
    if start is None and (m := _FROM_ISSUE.search(plain)) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", document_date):
        start = dt.date.fromisoformat(document_date)
        phrases.append(text[m.start():m.end()])
    if until is None and (m := _UNTIL.search(plain)):
        until = _day(*m.groups())
        phrases.append(text[m.start():m.end()])
    if until is None and start is not None and (m := _YEARS.search(plain)) and 0 < _years(m.group(1)) <= 20:
        until = _plus_years(start, _years(m.group(1)))
        phrases.append(text[m.start():m.end()])
    if start and until and until < start:
        until = None
    return StatedValidity(start.isoformat() if start else "", until.isoformat() if until else "", tuple(phrases))
