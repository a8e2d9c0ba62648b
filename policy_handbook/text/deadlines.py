"""Deadlines in a measure's text: dated entries (due, target, start, period, annual) and time limits.

Rules, each decided against the seed documents (conservative: a phrase that is not one of these
forms is left out):

- Fullwidth digits (２０１９) are normalised to ASCII before matching (patterns use [0-9], so no
  other script's digits match); `text` is always the phrase as written.
- due: a dated point followed by 前/之前/以前: `2016年12月30日前`, `2017年3月底前`, `2019年底前`.
  A date needs a day or 底/末; `2019年前` and `2019年4月前` are ambiguous and never read.
- Year-less dues (`5月20日前`, `5月底前`) take the year of document_date, never the next year
  (a December document saying 1月15日前 would need a human). Without a document
  date they cannot be resolved, and their phrase goes into the time limits instead.
- A leading 于/在 (`于5月20日之前`) is grammar, not part of the date: text starts at the number.
  到/从/自/至/每年 decide the kind and are kept in the text.
- target: `到2025年`, `到 2023年`, `到2021年末` (not 达到) resolve to the last day of the unit named.
  A bare year is a target only as `2021年底`/`2021年末` without 前, or directly followed by a
  completion verb (`2017年建成`, `2017年基本放开`, `...完成`), and only when that year is not
  before the document's year and not after 至/止 (so `截至2020年底` stays out).
- start: `从2019年起`, `自2016年5月1日起` resolve to the first day of the unit named.
- period: `从2016年5月1日起至2018年4月30日`; a time limit right after it (`的两年内`) restates
  the period and is not emitted.
- annual: `每年6月20日前`, `每年6月底前` (month ends of a common year: February is 28). A
  `从2017年起` earlier in the same clause (no 。；！？ between) is its first_year, not a start.
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

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_BEFORE = r"(?:之前|以前|前)"
_CLAUSE_END = "。；;！？!?\n"
_KINDS = ("due", "target", "start", "period", "annual")


def _date(p: str = "") -> str:
    """A year, optionally month and day, as named groups <p>y, <p>m, <p>d."""
    return rf"(?P<{p}y>[0-9]{{4}})\s*年(?:(?P<{p}m>[0-9]{{1,2}})\s*月(?:(?P<{p}d>[0-9]{{1,2}})\s*日)?)?"


_NUM = r"(?:[0-9]{1,3}(?:\.[0-9]+)?|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(?:个\s*(?:工作日|小时|星期|月)|工作日|小时|星期|周|日|天|年)"
_LIMIT_SRC = rf"(?<![0-9.．月]){_NUM}\s*{_UNIT}(?:以内|之内|内)"

PERIOD = re.compile(rf"(?:从|自)\s*{_date('a')}\s*起?\s*至\s*{_date('b')}止?")
PERIOD_TAIL = re.compile(rf"的?{_LIMIT_SRC}")
ANNUAL = re.compile(rf"每年\s*(?P<m>[0-9]{{1,2}})\s*月(?:(?P<d>[0-9]{{1,2}})\s*日|(?P<end>底|末)){_BEFORE}")
DUE_YEAR_END = re.compile(rf"(?<![0-9])(?P<y>[0-9]{{4}})\s*年(?P<end>底|末){_BEFORE}")
DUE = re.compile(rf"(?<![0-9年])(?:(?P<y>[0-9]{{4}})\s*年)?(?P<m>[0-9]{{1,2}})\s*月"
                 rf"(?:(?P<d>[0-9]{{1,2}})\s*日|(?P<end>底|末)){_BEFORE}")
TARGET = re.compile(rf"(?<!达)到\s*{_date()}(?P<end>底|末)?")
BARE_TARGET = re.compile(rf"(?<![0-9到从自至止])(?P<y>[0-9]{{4}})\s*年(?:(?P<end>底|末)(?!{_BEFORE})|"
                         r"(?:基本|全面)?(?:建成|放开|完成))")
START = re.compile(rf"(?:从|自)\s*{_date()}\s*起")
LIMIT = re.compile(_LIMIT_SRC)


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


def extract_deadlines(text: str, document_date: str | None) -> tuple[list[dict], list[str]]:
    """Dated entries and relative time limits found in one measure's text, in order of appearance, without duplicates."""
    norm = text.translate(_FULLWIDTH)  # same length, so spans index the original text too
    doc_year = int(document_date[:4]) if document_date else None
    spans = _Spans()
    found: list[tuple[int, dict | str]] = []

    def claim(start: int, end: int, item: dict | str | None) -> bool:
        if not spans.claim(start, end):
            return False
        if item is not None:
            found.append((start, item))
        return True

    def entry(m: re.Match[str], kind: str, day: datetime.date) -> None:
        claim(m.start(), m.end(), {"kind": kind, "date": day.isoformat(), "text": text[m.start():m.end()]})

    starts = _Starts(norm)
    for m in PERIOD.finditer(norm):
        try:
            start = _first_day(int(m["ay"]), _int(m["am"]), _int(m["ad"]))
            end = _last_day(int(m["by"]), _int(m["bm"]), _int(m["bd"]))
        except ValueError:
            continue
        if claim(m.start(), m.end(), {"kind": "period", "start": start.isoformat(),
                                      "end": end.isoformat(), "text": text[m.start():m.end()]}):
            if tail := PERIOD_TAIL.match(norm, m.end()):
                claim(tail.start(), tail.end(), None)
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
        year = int(m["y"]) if m["y"] else doc_year
        if year is None:
            claim(m.start(), m.end(), text[m.start():m.end()])
            continue
        try:
            entry(m, "due", _last_day(year, int(m["m"]), _int(m["d"])))
        except ValueError:
            continue
    for m in TARGET.finditer(norm):
        try:
            entry(m, "target", _last_day(int(m["y"]), _int(m["m"]), _int(m["d"])))
        except ValueError:
            continue
    for m in BARE_TARGET.finditer(norm):
        if doc_year is None or int(m["y"]) >= doc_year:
            try:
                entry(m, "target", _last_day(int(m["y"]), None, None))
            except ValueError:
                continue
    for m in START.finditer(norm):
        try:
            entry(m, "start", _first_day(int(m["y"]), _int(m["m"]), _int(m["d"])))
        except ValueError:
            continue
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
    """'past', 'due-soon' (within 30 days from as_of, inclusive), 'upcoming', or 'recurring'."""
    kind = entry.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"unknown deadline kind: {kind!r}")
    if kind == "annual":
        return "recurring"
    day = datetime.date.fromisoformat(entry["end"] if kind == "period" else entry["date"])
    if day < as_of:
        return "past"
    if day <= as_of + datetime.timedelta(days=30):
        return "due-soon"
    return "upcoming"
