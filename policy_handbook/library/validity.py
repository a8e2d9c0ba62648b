"""Is it still in force? A card's validity on a given day, from its own `validity` or its document's.

Statuses are those editors write (model.VALIDITY_STATUSES, a card may also be 已调整), with two
that follow from the dates: a document whose `until` has passed is 已失效 even if it still says
现行有效 (`build.py check` asks the editor to update it), and one whose `from` is still ahead is
尚未施行. Each status has a tone the pages style it by: in-force, changed (in force with changes),
ended (no longer in force), pending, unknown (nothing stated). Pure.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..model import Card, Document, PartialDate, Validity

TONES = {"现行有效": "in-force", "已修订": "changed", "部分失效": "changed", "已调整": "changed",
         "已失效": "ended", "已废止": "ended", "尚未施行": "pending"}
IN_FORCE_TONES = ("in-force", "changed")


def effective(validity: Validity | None, as_of: dt.date | None) -> str:
    """The status on `as_of`: what is stated, unless the stated dates say otherwise; "" unknown.
    Without `as_of`, only what is stated (a page whose status the reader's browser completes)."""
    if validity is None:
        return ""
    stated = validity.status
    if as_of is None:
        return stated
    if stated in ("", "现行有效"):
        if validity.until and validity.until < as_of.isoformat():
            return "已失效"
        if validity.start and validity.start > as_of.isoformat():
            return "尚未施行"
        if stated or validity.until or validity.start:
            return "现行有效"
        return ""
    return stated


def stated_for(card: Card | None, document: Document) -> tuple[Validity | None, str]:
    """The validity that applies and whose it is: the card's own ("card") or its document's."""
    if card is not None and card.validity is not None:
        return card.validity, "card"
    return document.validity, "document" if document.validity else ""


def validity_view(card: Card | None, document: Document, as_of: dt.date | None) -> dict:
    """What pages show: status, tone, whether in force (None: not stated), dates and note."""
    validity, whose = stated_for(card, document)
    status = effective(validity, as_of)
    tone = TONES.get(status, "unknown")
    return {"status": status, "tone": tone,
            "in_force": None if not status else tone in IN_FORCE_TONES,
            "whose": whose,
            "from": validity.start if validity else "", "until": validity.until if validity else "",
            "from_text": PartialDate(validity.start).chinese() if validity and validity.start else "",
            "until_text": PartialDate(validity.until).chinese() if validity and validity.until else "",
            "stated": validity.status if validity else "",
            "replaced_by": (document.validity.replaced_by if document.validity else ""),
            "note": validity.note if validity else ""}


def overdue(document: Document, as_of: dt.date) -> bool:
    """Stated 现行有效 although its `until` has passed (with no status, the status follows the date)."""
    v = document.validity
    return v is not None and v.status == "现行有效" and bool(v.until) and v.until < as_of.isoformat()


def validity_warnings(documents: Iterable[Document], as_of: dt.date, review_years: int) -> list[tuple[str, int, str, str]]:
    """(path, line, message, hint) for `build.py check`: a document still marked in force after
    its `until`, and one older than `review_years` that states no validity at all."""
    found = []
    for doc in documents:
        v = doc.validity
        if v is not None and overdue(doc, as_of):
            found.append((doc.path, v.line, f"有效期已于 {v.until} 届满，但效力仍写着“现行有效”",
                          "核实后把 validity.status 改成 已失效（或 已修订、已废止），或改正 until"))
        elif v is None and review_years and doc.date and doc.date.year <= as_of.year - review_years:
            found.append((doc.path, doc.line, f"这份 {doc.date.year} 年的文件没有写效力，读者不知道它是否仍然有效",
                          "核实后加上 validity: {status: 现行有效}（或 已失效、已废止……），有有效期的写 until"))
    return found
