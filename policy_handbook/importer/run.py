"""`build.py import`: split each document's source into cards, then merge with editors' work.

Everything is read, split and merged before anything is written, so a bad source, a broken
card or a broken registry writes nothing. See ownership.py for how editors' changes survive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content import frontmatter
from ..content.load import CARDS_DIR, DOCUMENTS_DIR, SOURCES_DIR, load_documents
from ..content.registry import AGENCIES_FILE, Agency, Registry, append_agencies, load_registry
from ..content.taxonomy import Taxonomy, classify_beneficiaries, classify_topics, load_taxonomy
from ..errors import Diagnostics
from ..model import Document
from ..text.agencies import ROLES, AgencyReader, Place
from ..text.deadlines import extract_deadlines
from ..text.outline import read_outline
from .cardfile import card_fields, classification_headings, measure_text
from .measures import MeasureDraft, local_ids, read_measures
from .ownership import STATE_FILE, load_state, merge, snapshot, state_text

@dataclass
class ImportPlan:
    files: dict[Path, str] = field(default_factory=dict)  # card files to write (all of them)
    state: dict[str, dict] = field(default_factory=dict)  # the new import-state
    new_agencies: dict[str, Agency] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    cards_per_document: dict[str, int] = field(default_factory=dict)
    agencies: set[str] = field(default_factory=set)
    deadlines: int = 0
    time_limits: int = 0
    without_agency: list[str] = field(default_factory=list)
    without_topic: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    plan: ImportPlan
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    registry_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        p = self.plan
        lines = [f"  {doc}: {n} cards" for doc, n in p.cards_per_document.items()]
        total = sum(p.cards_per_document.values())
        lines += [
            f"{total} cards from {len(p.cards_per_document)} documents: "
            f"{len(self.written)} written, {self.unchanged} unchanged",
            f"agencies found: {len(p.agencies)} ({len(self.registry_added)} new in content/{AGENCIES_FILE})",
            f"deadlines found: {p.deadlines} dated, {p.time_limits} time limits",
            f"cards with no agency: {len(p.without_agency)}",
            f"cards with no topic: {len(p.without_topic)}",
        ]
        if p.conflicts:
            lines.append(f"{len(p.conflicts)} conflict(s): editors' changes were kept; review them:")
            lines += [f"  {c}" for c in p.conflicts]
        lines += [f"note: {n}" for n in p.notices]
        return "\n".join(lines)


def plan_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> ImportPlan:
    """What import would write. Reads everything, writes nothing."""
    documents, sources = load_documents(content_dir, project_dir, diagnostics)
    registry = load_registry(content_dir, diagnostics)
    taxonomy = load_taxonomy(content_dir, diagnostics)
    state = load_state(content_dir)
    plan = ImportPlan()
    declared = {d.source for d in documents if d.source}
    for name in sorted(set(sources) - declared):
        diagnostics.warning(f"content/{SOURCES_DIR}/{name}", 0, "no document declares this source",
                            f"add content/{DOCUMENTS_DIR}/<id>.md with 'source: {name}' to import it")
    for document in documents:
        if document.source:
            _plan_document(document, sources[document.source], content_dir, project_dir,
                           registry, taxonomy, state, plan, diagnostics)
    for rel in sorted(set(state) - set(plan.state)):
        plan.notices.append(f"{rel}: its measure is no longer in the source; the card was left as "
                            "it is (delete it if it is obsolete)")
    return plan


def _plan_document(document: Document, text: str, content_dir: Path, project_dir: Path,
                   registry: Registry, taxonomy: Taxonomy, state: dict, plan: ImportPlan,
                   diagnostics: Diagnostics) -> None:
    if document.region not in registry.regions:
        diagnostics.warning(document.path, document.line,
                            f"the region '{document.region}' is not in content/regions.yaml, so 省/市 "
                            "agencies can only be scoped to it", "add it there with its level and parent")
    drafts = read_measures(read_outline(text))
    if not drafts:
        diagnostics.error(document.path, document.line, f"no numbered measures found in {document.source}",
                          "check that measures start with a number such as 1. / （一） / 第一期")
        return
    reader = AgencyReader(Place(document.region, registry.chain(document.region), registry.known_places()))
    folder = content_dir / CARDS_DIR / document.id
    plan.cards_per_document[document.id] = len(drafts)
    for draft, local in zip(drafts, local_ids(drafts)):
        fields, body = card_fields(draft, document.id, local, document.source,
                                   _extract(draft, document, reader, registry, taxonomy, plan))
        path = folder / f"{local}.md"
        rel = path.relative_to(project_dir).as_posix()
        base = state.get(rel)
        plan.state[rel] = snapshot(fields, body)
        if not path.exists() and base is not None:
            plan.notices.append(f"{rel} was deleted by an editor; import did not recreate it")
            plan.state[rel] = base
            continue
        current = _read_card(path, rel, diagnostics)
        if current is False:
            continue
        result = merge(fields, body, current, base)
        plan.conflicts += [f"{rel}: kept the editor's version; {c}" for c in result.conflicts]
        plan.files[path] = frontmatter.dump(result.fields, result.body)
        _count(result.fields, rel, plan)


def _read_card(path: Path, rel: str, diagnostics: Diagnostics):
    """(fields, body) of an existing card, None when there is none, False when it is broken."""
    if not path.exists():
        return None
    try:
        parsed = frontmatter.parse(path.read_text(encoding="utf-8"))
    except frontmatter.FrontMatterError as exc:
        diagnostics.error(rel, exc.line, exc.message, f"{exc.hint}; import will not overwrite a card it cannot read")
        return False
    return parsed.data, parsed.body


def _extract(draft: MeasureDraft, document: Document, reader: AgencyReader, registry: Registry,
             taxonomy: Taxonomy, plan: ImportPlan) -> dict:
    text = measure_text(draft)
    headings = classification_headings(draft)
    agencies: dict[str, list[str]] = {}
    for ref in reader.read(text, list(draft.heading)):
        name = registry.resolve(ref.name) or ref.name
        if registry.resolve(ref.name) is None and name not in plan.new_agencies:
            plan.new_agencies[name] = Agency(name, (), ref.level, ref.region, collective=ref.collective)
        names = agencies.setdefault(ref.role, [])
        if name not in names:
            names.append(name)
    deadlines, limits = extract_deadlines(text, document.date.iso if document.date else None)
    return {
        "agencies": {role: agencies[role] for role in ROLES if role in agencies},
        "deadlines": deadlines,
        "time_limits": limits,
        "topics": classify_topics(taxonomy, draft.title, text, headings),
        "beneficiaries": classify_beneficiaries(taxonomy, draft.title, text, headings),
    }


def _count(fields: dict, rel: str, plan: ImportPlan) -> None:
    for names in (fields.get("agencies") or {}).values():
        plan.agencies.update(names)
    plan.deadlines += len(fields.get("deadlines") or [])
    plan.time_limits += len(fields.get("time_limits") or [])
    if not fields.get("agencies"):
        plan.without_agency.append(rel)
    if not fields.get("topics"):
        plan.without_topic.append(rel)


def run_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> ImportReport:
    plan = plan_import(content_dir, project_dir, diagnostics)
    report = ImportReport(plan)
    if diagnostics:
        return report  # errors: write nothing
    for path, text in plan.files.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            continue
        _write(path, text)
        report.written.append(path.relative_to(project_dir).as_posix())
    report.registry_added = append_agencies(content_dir / AGENCIES_FILE, plan.new_agencies.values())
    state = state_text(plan.state)
    state_path = content_dir / STATE_FILE
    if not state_path.exists() or state_path.read_text(encoding="utf-8") != state:
        _write(state_path, state)
    return report


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
