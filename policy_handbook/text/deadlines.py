"""Deadlines in a measure's text: dated entries (due, target, start, period, annual), undated ones
(ongoing, recurring: text/timewords.py) and time limits.

Rules, each decided against the seed documents and the development corpus (conservative: a phrase
that is not one of these forms is left out; a wrong date on a card is worse than none):

- Patterns run on text/reading's reading form (traditional characters as simplified, full-width
  digits and punctuation as half-width, same length); `text` is always the phrase as written.
  Spaces may stand between the parts of a date (`2025 年 9 月底前`).
- due: a dated point followed by 前/之前/以前: `2016年12月30日前`, `2017年3月底前`, `2019年底前`, or
  a month's or year's end followed by 完成 (`9月底完成`, `2019年底完成`, `年底完成`).
  A date needs a day or 底/末; `2019年前` and `2019年4月前` are ambiguous and never read.
- Year-less dues (`5月20日前`, `5月底前`, `年底前`, `今年年底前`) take the year of a dated phrase
  earlier in the same sentence (`2017年6月底前…、9月底前`), else the year of document_date, never the
  next year (a December document saying 1月15日前 would need a human; 明年底前 is never read).
  Without either they cannot be resolved, and their phrase goes into the time limits instead.
- A leading 于/在 (`于5月20日之前`) is grammar, not part of the date: text starts at the number.
  到/从/自/至/每年 decide the kind and are kept in the text.
- Time-limit fields (`完成时限：`, `时限要求：`, `完成时间：` …, on a line or in a note): a value that
  is only a date is a due on its last day (`完成时限：2023年12月`, `完成时间：6月底`); ongoing and
  recurring values are read by timewords.
- target: `到2025年`, `到 2023年`, `到2021年末` (not 达到), and `至2026年底` (not 截至) resolve to the
  last day of the unit named. A bare year is a target only as `2021年底`/`2021年末` without 前/完成,
  or directly followed by a completion verb (`2017年建成`, `2017年基本放开`, `...完成`), and only
  when that year is not before the document's year and not after 至/止 (so `截至2020年底` stays out).
- start: `从2019年起`, `自2016年5月1日起` resolve to the first day of the unit named.
- period: `从2016年5月1日起至2018年4月30日`, `2021—2023年`, `2021-2023年`, `2021年至2023年`,
  `2022年3月1日—12月31日` (the end takes the start's year), `2017年第3季度`; a time limit right
  after it (`的两年内`) restates the period and is not emitted. Not a period: a range in brackets or
  inside a title (`行动计划(2016—2018年)`, the plan's frame), one ending before the document's year
  (history), a quarter after 从/自/截至 or before 末/底/以来.
- annual: `每年6月20日前`, `每年6月底前`, `每年年底前` (month ends of a common year: February is 28).
  A `从2017年起` earlier in the same clause (no 。；！？ between) is its first_year, not a start.
- time limits: a count (1-3 digits, decimals, or 一…十/两) and a unit (个工作日, 工作日, 个小时,
  小时, 个星期, 星期, 周, 个月, 日, 天, 年) followed by 内/以内/之内: `3个工作日内`, `两年内`.
  `5天、15天、25天内` yields `25天内` only, as written; 4-digit years never count (`2019年内`).
- Everything else is not a deadline: bare or historical years (`2018年我市`, `自2015年以来`),
  reference dates without 前 (`2020年12月24日`), `2019年4月到期后`, `“十四五”`,
  `2035年远景目标`, `1-2年努力`, `3年左右`, durations without 内 (`24个工作日办结`).
"""
from __future__ import annotations

import bisect
import calendar
import datetime
import re

from ..dates import MAX_YEAR, MIN_YEAR
from .reading import reading_form
from .timewords import body_recurring, masked, stated_spans, undated

_S = r"\s*"
_BEFORE = r"(?:之前|以前|前)"
_CLAUSE_END = "。；;！？!?\n"
_SENTENCE_END = "。！？!?\n"
_KINDS = ("due", "target", "start", "period", "annual", "ongoing", "recurring")
UNDATED_KINDS = ("ongoing", "recurring")


def _date(p: str = "") -> str:
    """A year, optionally month and day, as named groups <p>y, <p>m, <p>d."""
    return (rf"(?P<{p}y>[0-9]{{4}})\s*年(?:\s*(?P<{p}m>[0-9]{{1,2}})\s*月"
            rf"(?:\s*(?P<{p}d>[0-9]{{1,2}})\s*日)?)?")


_NUM = r"(?:[0-9]{1,3}(?:\.[0-9]+)?|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(?:个\s*(?:工作日|小时|星期|月)|工作日|小时|星期|周|日|天|年)"
_LIMIT_SRC = rf"(?<![0-9.．月]){_NUM}\s*{_UNIT}(?:以内|之内|内)"
_DONE = rf"(?:{_BEFORE}|完成)"  # after 底/末: 9月底前, 9月底完成

RANGE = re.compile(
    r"(?:(?:从|自)\s*)?(?<![0-9])(?P<ay>[0-9]{4})(?:\s*(?P<ayr>年)(?:\s*(?P<am>[0-9]{1,2})\s*月"
    r"(?:\s*(?P<ad>[0-9]{1,2})\s*日)?)?)?\s*(?:起\s*)?(?:至|到|—{1,2}|–|-|~)\s*"
    r"(?:(?P<by>[0-9]{4})\s*年)?(?:\s*(?P<bm>[0-9]{1,2})\s*月(?:\s*(?P<bd>[0-9]{1,2})\s*日|底|末)?|\s*底|\s*末)?"
    r"(?![0-9度])止?")
QUARTER = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})\s*年\s*第?\s*(?P<q>[1-4一二三四])\s*季度")
PERIOD_TAIL = re.compile(rf"的?{_LIMIT_SRC}")
ANNUAL = re.compile(rf"每年\s*(?:(?P<m>[0-9]{{1,2}})\s*月\s*(?:(?P<d>[0-9]{{1,2}})\s*日|(?P<end>底|末))"
                    rf"|年?\s*(?P<yend>底|末))\s*{_BEFORE}")
DUE_YEAR_END = re.compile(rf"(?<![0-9])(?P<y>[0-9]{{4}})\s*年\s*(?P<end>底|末)\s*{_DONE}")
DUE = re.compile(rf"(?<![0-9年])(?:(?P<y>[0-9]{{4}})\s*年\s*)?(?P<m>[0-9]{{1,2}})\s*月"
                 rf"\s*(?:(?P<d>[0-9]{{1,2}})\s*日\s*{_BEFORE}|(?P<end>底|末)\s*{_DONE})")
# 年底前 without a year: this year's end (明年底前, 每年年底前, 上半年底前 are something else).
YEARLESS_END = re.compile(rf"(?<![\d明次后去上前翌来同该全每半学财周一二三四五六七八九十两年])"
                          rf"(?:今|本|当)?年\s*年?\s*(?:底|末)\s*{_DONE}")
TARGET = re.compile(rf"(?<!达)到\s*{_date()}\s*(?P<end>底|末)?")
# 至 names an end only with a month or a year's end: 降至2019年水平 is a level, not a date.
UNTIL = re.compile(rf"(?<![截止])至\s*{_date()}\s*(?P<end>底|末)?止?(?!\s*(?:水平|的))")
BARE_TARGET = re.compile(rf"(?<![0-9到从自至止])(?P<y>[0-9]{{4}})\s*年\s*(?:(?P<end>底|末)(?!\s*{_DONE})|"
                         r"(?:基本|全面)?(?:建成|放开|完成))")
START = re.compile(rf"(?:从|自)\s*{_date()}\s*起")
# 2021年5月1日起按…执行: a full date and 起, without 从/自 (a year or month alone is too loose).
START_BARE = re.compile(rf"(?<![0-9至到从自—–~-]){_date()}\s*起(?![0-9至到—–~-]|\s*[0-9至到])")
LIMIT = re.compile(_LIMIT_SRC)
EXPLICIT = re.compile(r"(?<![0-9])(?<!截至)(?<!截止)(?P<y>[0-9]{4})\s*年\s*[0-9]{1,2}\s*月")  # a dated phrase a sentence names
FIELD_DATE = re.compile(rf"(?:(?P<y>[0-9]{{4}})\s*年)?\s*(?:(?P<m>[0-9]{{1,2}})\s*月\s*份?\s*"
                        rf"(?:(?P<d>[0-9]{{1,2}})\s*日|(?P<mend>底|末))?)?\s*(?P<yend>年?\s*(?:底|末))?"
                        rf"\s*{_BEFORE}?\s*(?:完成)?")
WHOLE_YEAR = re.compile(r"全年|年内|(?:今|本)年内")
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _year(y: int) -> int:
    """The year, if a policy can name it (the loader refuses others: 到9999年 is no deadline)."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} is out of range")
    return y


def _first_day(y: int, m: int | None, d: int | None) -> datetime.date:
    return datetime.date(_year(y), m or 1, d or 1)


def _last_day(y: int, m: int | None, d: int | None) -> datetime.date:
    if m is None:
        return datetime.date(_year(y), 12, 31)
    return datetime.date(_year(y), m, d or calendar.monthrange(y, m)[1])


def _annual_month_day(m: re.Match[str]) -> str:
    if m["yend"]:
        return "12-31"  # 每年年底前
    month = int(m["m"])
    day = calendar.monthrange(2001, month)[1] if m["end"] else int(m["d"])
    datetime.date(2000, month, day)  # raises ValueError for 2月30日 and the like
    return f"{month:02d}-{day:02d}"


class _Starts:
    """Every 从YYYY年起 of a text and where its clauses end, to find the one an annual phrase
    belongs to by bisection (a scan per phrase would be quadratic in a long measure)."""

    def __init__(self, text: str):
        self.matches = list(START.finditer(text))
        self.ends = [m.end() for m in self.matches]  # sorted: the matches do not overlap
        self.clause_ends = [i for i, ch in enumerate(text) if ch in _CLAUSE_END]

    def bound(self, annual: re.Match[str]) -> re.Match[str] | None:
        """The last 从YYYY年起 before an annual phrase in the same clause."""
        breaks = bisect.bisect_left(self.clause_ends, annual.start())
        clause = self.clause_ends[breaks - 1] + 1 if breaks else 0
        before = bisect.bisect_right(self.ends, annual.start())
        last = self.matches[before - 1] if before else None
        return last if last is not None and last.start() >= clause else None


class _Spans:
    """The spans claimed so far (none overlap), kept sorted so a claim costs a bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def claim(self, start: int, end: int) -> bool:
        """Claim [start, end) unless it overlaps a claimed span."""
        i = bisect.bisect_right(self.starts, start)
        if (i and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end):
            return False
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True


class _Years:
    """The year of the last dated phrase (YYYY年M月) before a position in the same sentence."""

    def __init__(self, norm: str):
        found = list(EXPLICIT.finditer(norm))
        self.ends = [m.end() for m in found]
        self.years = [int(m["y"]) for m in found]
        self.breaks = [i for i, ch in enumerate(norm) if ch in _SENTENCE_END]

    def before(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.ends, pos)
        if not i:
            return None
        sentence = bisect.bisect_left(self.breaks, pos)
        sentence_start = self.breaks[sentence - 1] + 1 if sentence else 0
        return self.years[i - 1] if self.ends[i - 1] > sentence_start else None


def _in_title(norm: str, start: int, end: int) -> bool:
    """A range inside 《…》 or alone in brackets names a plan's years, not a period of work."""
    if norm.rfind("《", 0, start) > norm.rfind("》", 0, start):
        return True
    return start > 0 and norm[start - 1] in "(〔[" and norm[end:end + 1] in ")〕]"


def _range(m: re.Match[str]) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of a range, or None when the match is no range of dates."""
    if m["by"] is None and not (m["am"] and m["bm"]):
        return None  # 2019年4月到期后; the end needs a year, or months on both sides
    if m["ayr"] is None and (m["by"] is None or m["bm"]):
        return None  # 2021—2023年 only: a year without 年 is read before a year
    by = int(m["by"]) if m["by"] else int(m["ay"])
    first = _first_day(int(m["ay"]), _int(m["am"]), _int(m["ad"]))
    last = _last_day(by, _int(m["bm"]), _int(m["bd"]))
    return (first, last) if first < last else None


def extract_deadlines(text: str, document_date: str | None) -> tuple[list[dict], list[str]]:
    """Dated and undated entries and relative time limits found in one measure's text, in order of
    appearance, without duplicates."""
    norm = masked(reading_form(text))  # same length, so spans index the original text too
    doc_year = int(document_date[:4]) if document_date else None
    spans = _Spans()
    found: list[tuple[int, dict | str]] = []
    years = _Years(norm)

    def claim(start: int, end: int, item: dict | str | None) -> bool:
        if not spans.claim(start, end):
            return False
        if item is not None:
            found.append((start, item))
        return True

    def entry(m: re.Match[str], kind: str, day: datetime.date) -> None:
        claim(m.start(), m.end(), {"kind": kind, "date": day.isoformat(), "text": text[m.start():m.end()]})

    def year_of(start: int) -> int | None:
        named = years.before(start)
        return named if named is not None and (doc_year is None or named >= doc_year) else doc_year

    def after_doc_start(day: datetime.date) -> bool:
        return doc_year is None or day.year >= doc_year

    for start, end, where in stated_spans(norm):
        if item := undated(norm, start, end, text, in_field=where == "field"):
            claim(start, end, item)
        elif where in ("field", "cell") and WHOLE_YEAR.fullmatch(norm, start, end) and doc_year is not None:
            # 完成时限：全年 / a task table's cell 全年: by the end of the document's year
            claim(start, end, {"kind": "due", "date": f"{doc_year}-12-31", "text": text[start:end]})
        elif where != "cell" and (m := FIELD_DATE.fullmatch(norm, start, end)):
            if not (m["m"] or m["yend"] or (m["y"] and where == "field")) or (m["yend"] and m["m"]):
                continue  # a bare year is a time limit in a field only, not in a note (the plan's year)
            year = int(m["y"]) if m["y"] else year_of(start)
            try:
                day = _last_day(year, _int(m["m"]), _int(m["d"])) if year is not None else None
            except ValueError:
                continue
            claim(start, end, {"kind": "due", "date": day.isoformat(), "text": text[start:end]}
                  if day else text[start:end])
    starts = _Starts(norm)
    for m in RANGE.finditer(norm):
        try:
            days = _range(m)
        except ValueError:
            continue
        if days is None or _in_title(norm, m.start(), m.end()) or not after_doc_start(days[1]):
            continue
        if claim(m.start(), m.end(), {"kind": "period", "start": days[0].isoformat(),
                                      "end": days[1].isoformat(), "text": text[m.start():m.end()]}):
            if tail := PERIOD_TAIL.match(norm, m.end()):
                claim(tail.start(), tail.end(), None)
    for m in QUARTER.finditer(norm):
        quarter = _QUARTERS[m["q"]]
        before, after = norm[max(0, m.start() - 2):m.start()], norm[m.end():m.end() + 2]
        if re.search(r"[从自至]\s*$", before) or re.match(r"\s*(?:末|底|以来|开始|起)", after):
            continue
        try:
            first = _first_day(int(m["y"]), quarter * 3 - 2, 1)
            last = _last_day(int(m["y"]), quarter * 3, None)
        except ValueError:
            continue
        if after_doc_start(last):
            claim(m.start(), m.end(), {"kind": "period", "start": first.isoformat(),
                                       "end": last.isoformat(), "text": text[m.start():m.end()]})
    for m in ANNUAL.finditer(norm):
        try:
            month_day = _annual_month_day(m)
        except ValueError:
            continue
        bound = starts.bound(m)
        first_year = int(bound["y"]) if bound and claim(bound.start(), bound.end(), None) else None
        claim(m.start(), m.end(), {"kind": "annual", "month_day": month_day,
                                   "first_year": first_year, "text": text[m.start():m.end()]})
    for m in DUE_YEAR_END.finditer(norm):
        try:
            entry(m, "due", _last_day(int(m["y"]), None, None))
        except ValueError:
            continue
    for m in DUE.finditer(norm):
        year = int(m["y"]) if m["y"] else year_of(m.start())
        if year is None:
            claim(m.start(), m.end(), text[m.start():m.end()])
            continue
        try:
            entry(m, "due", _last_day(year, int(m["m"]), _int(m["d"])))
        except ValueError:
            continue
    for m in YEARLESS_END.finditer(norm):
        year = year_of(m.start())
        if year is None:
            claim(m.start(), m.end(), text[m.start():m.end()])
            continue
        try:
            entry(m, "due", _last_day(year, None, None))
        except ValueError:
            continue
    for pattern in (TARGET, UNTIL):
        for m in pattern.finditer(norm):
            try:
                day = _last_day(int(m["y"]), _int(m["m"]), _int(m["d"]))
            except ValueError:
                continue
            if pattern is TARGET:
                entry(m, "target", day)
            elif after_doc_start(day) and (m["m"] or m["end"]):
                entry(m, "due", day)  # 实施期限至2021年12月31日: it holds until then
    for m in BARE_TARGET.finditer(norm):
        if doc_year is None or int(m["y"]) >= doc_year:
            try:
                entry(m, "target", _last_day(int(m["y"]), None, None))
            except ValueError:
                continue
    for m in [*START.finditer(norm), *(m for m in START_BARE.finditer(norm) if m["d"])]:
        try:
            entry(m, "start", _first_day(int(m["y"]), _int(m["m"]), _int(m["d"])))
        except ValueError:
            continue
    for start, end, item in body_recurring(norm, text):
        claim(start, end, item)
    for m in LIMIT.finditer(norm):
        claim(m.start(), m.end(), text[m.start():m.end()])

    entries: list[dict] = []
    limits: list[str] = []
    seen: set = set()
    for _, item in sorted(found, key=lambda pair: pair[0]):
        key = item if isinstance(item, str) else tuple(item.items())
        if key not in seen:
            seen.add(key)
            (limits if isinstance(item, str) else entries).append(item)
    return entries, limits


def deadline_status(entry: dict, as_of: datetime.date) -> str:
    """'past', 'due-soon' (within 30 days from as_of, inclusive), 'upcoming', 'recurring' (every
    year, or every quarter, month …) or 'ongoing' (no end: 长期坚持)."""
    kind = entry.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"unknown deadline kind: {kind!r}")
    if kind in ("annual", "recurring"):
        return "recurring"
    if kind == "ongoing":
        return "ongoing"
    day = datetime.date.fromisoformat(entry["end"] if kind == "period" else entry["date"])
    if day < as_of:
        return "past"
    if day <= as_of + datetime.timedelta(days=30):
        return "due-soon"
    return "upcoming"
