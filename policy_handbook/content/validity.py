"""Validity as content states it: `validity:` of a document or a card, read into model.Validity,
and the cross-document check that a `replaced_by` names a document of the handbook."""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Mapping

from ..errors import Diagnostics
from ..model import Document, Validity


def read_validity(data: object, line: int) -> Validity | None:
    """A validated `validity:` mapping (schema.py checked its fields) as a Validity."""
    if not isinstance(data, dict):
        return None

    def day(key: str) -> str:
        value = data.get(key)
        return value.isoformat() if isinstance(value, dt.date) else str(value or "")

    return Validity(status=str(data.get("status") or ""), start=day("from"), until=day("until"),
                    replaced_by=str(data.get("replaced_by") or ""), note=str(data.get("note") or ""), line=line)


def check_replacements(documents: Mapping[str, Document], diagnostics: Diagnostics) -> None:
    """Every replaced_by names another document of the handbook."""
    for doc in documents.values():
        target = doc.validity.replaced_by if doc.validity else ""
        if not target:
            continue
        if target == doc.id:
            diagnostics.error(doc.path, doc.validity.line, "validity.replaced_by 指向这份文件自己",
                              "写取代它的那份文件的 id")
        elif target not in documents:
            close = difflib.get_close_matches(target, list(documents), n=1)
            diagnostics.error(doc.path, doc.validity.line, f"validity.replaced_by 的文件“{target}”不存在",
                              f"是不是“{close[0]}”？" if close else
                              "写手册里另一份文件的 id（content/documents/<id>.md），或先添加那份文件")
