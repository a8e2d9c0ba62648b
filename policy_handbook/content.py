"""Load content/: front matter + Markdown -> frozen Cards and Documents, every problem collected."""
from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter, schema
from .errors import Diagnostics
from .sourcefile import SourceDecodeError, read_source
from .model import Card, Document, PartialDate, SeriesInfo, SeriesPlace, SourceRef

DOCUMENTS_DIR = "documents"
CARDS_DIR = "cards"
SOURCES_DIR = "sources"


@dataclass(frozen=True)
class Content:
    documents: tuple[Document, ...]
    cards: tuple[Card, ...]
    sources: dict[str, str]  # source file name -> its text


@dataclass(frozen=True)
class _Entry:
    path: str  # as shown in messages: relative to the project
    parsed: frontmatter.Parsed


def load_documents(content_dir: Path, project_dir: Path,
                   diagnostics: Diagnostics) -> tuple[list[Document], dict[str, str]]:
    """The documents and their source texts (what import needs)."""
    show = functools.partial(_display, project_dir=project_dir)
    sources = _read_sources(content_dir / SOURCES_DIR, show, diagnostics)
    entries = _parse_all(sorted((content_dir / DOCUMENTS_DIR).glob("*.md")), show, diagnostics)
    documents = [d for e in entries if (d := _document(e, sources, diagnostics))]
    return _unique(documents, "document", diagnostics), sources


def load_content(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> Content:
    """Read and validate everything under content_dir; problems go to `diagnostics`."""
    documents, sources = load_documents(content_dir, project_dir, diagnostics)
    show = functools.partial(_display, project_dir=project_dir)
    entries = _parse_all(sorted((content_dir / CARDS_DIR).rglob("*.md")), show, diagnostics)
    doc_by_id = {d.id: d for d in documents}
    cards = [c for e in entries if (c := _card(e, doc_by_id, sources, diagnostics))]
    return Content(tuple(documents), tuple(_unique(cards, "card", diagnostics)), sources)


def _display(path: Path, project_dir: Path) -> str:
    """The path as editors see it in messages: relative to the project."""
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _read_sources(folder: Path, show, diagnostics: Diagnostics) -> dict[str, str]:
    sources = {}
    for path in sorted(folder.glob("*.txt")):
        try:
            sources[path.name] = read_source(path)
        except SourceDecodeError as exc:
            diagnostics.error(show(path), 0, str(exc), exc.hint)
    return sources


def _parse_all(paths: list[Path], show, diagnostics: Diagnostics) -> list[_Entry]:
    entries = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            diagnostics.error(show(path), 1, f"the file is not UTF-8 text ({exc.reason})",
                              "save it as UTF-8 in your editor")
            continue
        try:
            entries.append(_Entry(show(path), frontmatter.parse(text)))
        except frontmatter.FrontMatterError as exc:
            diagnostics.error(show(path), exc.line, exc.message, exc.hint)
    return entries


def _problems(entry: _Entry, spec: schema.Schema, diagnostics: Diagnostics) -> bool:
    """Report schema problems; True when the entry has errors."""
    failed = False
    for p in schema.validate(entry.parsed.data, spec):
        line = entry.parsed.key_lines.get(p.key) or entry.parsed.key_lines.get(p.key.split(".")[0], 1)
        if p.warning:
            diagnostics.warning(entry.path, line, p.message, p.hint)
        else:
            diagnostics.error(entry.path, line, p.message, p.hint)
            failed = True
    return failed


def _date(value) -> PartialDate | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return PartialDate(value.isoformat())
    return PartialDate(str(value))


def _line_of(entry: _Entry, key: str) -> int:
    return entry.parsed.key_lines.get(key, 1)


def _document(entry: _Entry, sources: dict[str, str], diagnostics: Diagnostics) -> Document | None:
    if _problems(entry, schema.DOCUMENT, diagnostics):
        return None
    d = entry.parsed.data
    source = d.get("source") or ""
    if source and source not in sources:
        diagnostics.error(entry.path, _line_of(entry, "source"),
                          f"the source file '{source}' is not in content/sources/",
                          _suggest(source, sources, "put the text file there or correct the name"))
        return None
    series = d.get("series")
    return Document(
        id=d["id"], title=str(d["title"]), issuer=str(d["issuer"]), date=_date(d.get("date")),
        doc_number=d.get("doc_number") or "", region=str(d["region"]),
        publisher=d.get("publisher") or "", source=source,
        series=SeriesInfo(str(series["name"]), series.get("label") or "") if series else None,
        published=_date(d.get("published")), implements=d.get("implements") or "",
        source_site=d.get("source_site") or "", inferred=tuple(d.get("inferred") or ()),
        body=entry.parsed.body, path=entry.path, line=_line_of(entry, "id"))


def _card(entry: _Entry, docs: dict[str, Document], sources: dict[str, str],
          diagnostics: Diagnostics) -> Card | None:
    if _problems(entry, schema.CARD, diagnostics):
        return None
    d = entry.parsed.data
    document = docs.get(d["document"])
    if document is None:
        diagnostics.error(entry.path, _line_of(entry, "document"),
                          f"the document '{d['document']}' does not exist",
                          _suggest(d["document"], docs, "add it under content/documents/ or correct the id"))
        return None
    if d.get("series") and document.series is None:
        diagnostics.error(entry.path, _line_of(entry, "series"),
                          f"the card names a series place, but document '{document.id}' is not a series",
                          f"remove 'series:' or add 'series: {{name: …}}' to {document.path}")
        return None
    src = d.get("source")
    if src and src["file"] not in sources:
        diagnostics.error(entry.path, _line_of(entry, "source.file"),
                          f"the source file '{src['file']}' is not in content/sources/",
                          _suggest(src["file"], sources, "correct the file name"))
        return None
    series = d.get("series")
    return Card(
        id=d["id"], title=str(d["title"]).strip(), document=document.id,
        number=str(d.get("number") or ""), kind=d.get("kind") or "measure",
        heading=tuple(d.get("heading") or ()),
        series=SeriesPlace(str(series["group"]), int(series["issue"])) if series else None,
        source=SourceRef(src["file"], int(src["line"])) if src else None,
        body=entry.parsed.body, path=entry.path, line=_line_of(entry, "id"),
        body_line=entry.parsed.body_line)


def _unique(items: list, kind: str, diagnostics: Diagnostics) -> list:
    seen: dict[str, object] = {}
    kept = []
    for item in items:
        first = seen.get(item.id)
        if first is not None:
            diagnostics.error(item.path, item.line, f"the {kind} id '{item.id}' is already used by {first.path}",
                              "give one of them another id")
            continue
        seen[item.id] = item
        kept.append(item)
    return kept


def _suggest(value: str, known, otherwise: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise
