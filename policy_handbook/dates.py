"""Dates anywhere in the project (cards, documents, config.yaml): the forms and years accepted."""
from __future__ import annotations

import datetime as dt
import re

# Dates anywhere in the project: ISO YYYY-MM-DD (Python would also read 20191231 and 2019-W01-1)
# in years a policy can name; past them, adding a day for a calendar would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2200
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def iso_date(value: str) -> bool:
    """True for a real date written YYYY-MM-DD, with a year from MIN_YEAR to MAX_YEAR."""
    m = ISO_DATE.fullmatch(value)
    if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return False
    try:
        dt.date(*map(int, m.groups()))
        return True
    except ValueError:
        return False


def out_of_range(value: object) -> bool:
    """True for a date (or bare year) written with four digits first, in a year outside MIN_YEAR…MAX_YEAR."""
    m = re.match(r"[0-9]{4}(?![0-9])", str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return bool(m) and not MIN_YEAR <= int(m.group()) <= MAX_YEAR


YEARS = f"年份在 {MIN_YEAR} 到 {MAX_YEAR} 之间"
# Why Python refuses a date, in the editors' words (the reason shown when none is listed here).
_WHY = {"month must be in 1..12": "月份应在 1 到 12 之间", "day is out of range for month": "这个月没有这一天"}


def impossible(value: object) -> str:
    """Why a YYYY-MM-DD date in range does not exist ("这个月没有这一天"), or ""."""
    m = ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return ""
    try:
        dt.date(*map(int, m.groups()))
    except ValueError as exc:
        return _WHY.get(str(exc), str(exc))
    return ""
