"""`build.py import`: split each document's source text into one card file per measure.

Everything is read and split before anything is written, so a bad source writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content import CARDS_DIR, DOCUMENTS_DIR, SOURCES_DIR, load_documents
from ..errors import Diagnostics
from ..outline import read_outline
from .cardfile import card_text
from .measures import local_ids, read_measures


@dataclass
class ImportReport:
    cards_per_document: dict[str, int] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # paths created or changed
    unchanged: int = 0

    def summary(self) -> str:
        lines = [f"  {doc}: {n} cards" for doc, n in self.cards_per_document.items()]
        total = sum(self.cards_per_document.values())
        lines.append(f"{total} cards from {len(self.cards_per_document)} documents: "
                     f"{len(self.written)} written, {self.unchanged} unchanged")
        return "\n".join(lines)


def plan_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> dict[Path, str]:
    """The card files every document's source yields: {path: text}. Writes nothing."""
    documents, sources = load_documents(content_dir, project_dir, diagnostics)
    files: dict[Path, str] = {}
    declared = {d.source for d in documents if d.source}
    for name in sorted(set(sources) - declared):
        diagnostics.warning(f"content/{SOURCES_DIR}/{name}", 0, "no document declares this source",
                            f"add content/{DOCUMENTS_DIR}/<id>.md with 'source: {name}' to import it")
    for document in documents:
        if not document.source:
            continue
        drafts = read_measures(read_outline(sources[document.source]))
        if not drafts:
            diagnostics.error(document.path, document.line,
                              f"no numbered measures found in {document.source}",
                              "check that measures start with a number such as 1. / （一） / 第一期")
        folder = content_dir / CARDS_DIR / document.id
        for draft, local in zip(drafts, local_ids(drafts)):
            files[folder / f"{local}.md"] = card_text(draft, document.id, local, document.source)
    return files


def run_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> ImportReport:
    report = ImportReport()
    files = plan_import(content_dir, project_dir, diagnostics)
    if diagnostics:
        return report  # errors: write nothing
    for path, text in files.items():
        doc = path.parent.name
        report.cards_per_document[doc] = report.cards_per_document.get(doc, 0) + 1
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        report.written.append(path.relative_to(project_dir).as_posix())
    return report
