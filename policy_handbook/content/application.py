"""A card's application details (申报指南) as editors write them: front matter -> model.Application.

The schema (schema.APPLICATION) has checked every field before this runs."""
from __future__ import annotations

from ..model import Application


def _texts(value: object) -> tuple[str, ...]:
    """One text or a list of them, as a tuple of stripped texts."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    return tuple(str(v).strip() for v in values if str(v).strip())


def read_application(data: object, line: int) -> Application | None:
    """The application details, or None when the card states none (no field, or only empty ones)."""
    if not isinstance(data, dict):
        return None
    found = Application(
        conditions=_text(data.get("conditions")), support=_texts(data.get("support")),
        period=_text(data.get("period")), method=_text(data.get("method")), link=_text(data.get("link")),
        office=_text(data.get("office")), phone=_text(data.get("phone")), materials=_texts(data.get("materials")),
        line=line)
    return found if found != Application(line=line) else None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
