"""`build.py import`: split each document's source into cards, then merge with editors' work.

Everything is read, split and merged before anything is written. Import goes document by
document: a document whose source cannot be read or split, or whose folder holds a card that
cannot be read, is reported and left as it is (its cards, and what import-state remembers of
them), and the others are imported; the command then exits 1. A problem with the whole content
(a link out of the project, a broken registry or taxonomy, a damaged import-state) stops import
before anything is written. Each source is read afresh (text/formats.py); the text read from a
.html, .docx or .pdf is written beside it as <name>.txt, which the cards' source lines point
into. placement.py decides which card file each measure goes to (matched by text, so editors'
work follows its measure), and ownership.py how editors' changes survive in it. A missing import-state is accepted only while
the documents to import have no card files: otherwise a card an editor deleted could not be
told from a new measure, and import stops with the ways out (restore it, or `{}`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..content import frontmatter
from ..content.load import CARDS_DIR, DOCUMENTS_DIR, SOURCES_DIR, load_documents
from ..content.registry import AGENCIES_FILE, Agency, Registry, append_agencies, load_registry
from ..content.taxonomy import Taxonomy, classify_beneficiaries, classify_topics, load_taxonomy
from ..errors import Diagnostics
from ..model import Document
from ..text.agencies import ROLES, AgencyReader, Place
from ..text.deadlines import UNDATED_KINDS, extract_deadlines
from ..text.formats import read_file, text_name
from ..text.outline import read_outline
from ..text.reading import reading_form
from ..text.sourcefile import SourceDecodeError
from .cardfile import card_fields, card_id, classification_headings, measure_text
from .explain import CardEvidence, Reading, deadline_value, sentence_with
from .kepttext import reconcile
from .matching import normalise
from .measures import MeasureDraft, local_ids, read_measures, repeats, unread_numbered_lines
from .ownership import RESTORE, STATE_FILE, State, load_state, merge, snapshot, state_text
from .placement import Known, Measure, place

@dataclass
class ImportPlan:
    files: dict[Path, str] = field(default_factory=dict)  # card files to write (all of them)
    state: dict[str, dict] = field(default_factory=dict)  # the new import-state
    texts: dict[str, str] = field(default_factory=dict)  # kept texts' fingerprints in it (kepttext.py)
    new_agencies: dict[str, Agency] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    cards_per_document: dict[str, int] = field(default_factory=dict)
    agencies: set[str] = field(default_factory=set)
    deadlines: int = 0
    time_limits: int = 0
    without_agency: list[str] = field(default_factory=list)
    without_topic: list[str] = field(default_factory=list)
    stopped: bool = False  # a problem with the whole content: nothing is written
    failed: list[str] = field(default_factory=list)  # documents not imported (their errors say why)
    evidence: dict[str, CardEvidence] = field(default_factory=dict)  # card id -> what was read, and from where

    def absorb(self, part: "ImportPlan") -> None:
        """Add one document's plan (made apart, so that a failed document adds nothing)."""
        self.files.update(part.files)
        self.state.update(part.state)
        self.texts.update(part.texts)
        for name, agency in part.new_agencies.items():
            self.new_agencies.setdefault(name, agency)
        self.cards_per_document.update(part.cards_per_document)
        self.evidence.update(part.evidence)
        self.agencies |= part.agencies
        self.deadlines += part.deadlines
        self.time_limits += part.time_limits
        for name in ("conflicts", "notices", "without_agency", "without_topic"):
            getattr(self, name).extend(getattr(part, name))


@dataclass
class ImportReport:
    plan: ImportPlan
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    registry_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        p = self.plan
        lines = [f"  {doc}：{n} 张卡片" for doc, n in p.cards_per_document.items()]
        total = sum(p.cards_per_document.values())
        lines += [
            f"{len(p.cards_per_document)} 个文件共 {total} 张卡片：写入 {len(self.written)} 张，{self.unchanged} 张没有变化",
            f"找到的机构：{len(p.agencies)} 个（其中 {len(self.registry_added)} 个新加入 content/{AGENCIES_FILE}）",
            f"找到的时限：{p.deadlines} 个有日期，{p.time_limits} 个是期限",
            f"没有机构的卡片：{len(p.without_agency)} 张",
            f"没有主题的卡片：{len(p.without_topic)} 张",
        ]
        if p.conflicts:
            lines.append(f"{len(p.conflicts)} 处冲突：保留了编辑的修改，请逐条核对：")
            lines += [f"  {c}" for c in p.conflicts]
        lines += [f"注意：{n}" for n in p.notices]
        if p.failed:
            lines.append(f"{len(p.failed)} 个文件没有导入，保持原样（原因见上面的错误，改好后再导入一次）："
                         f"{'、'.join(p.failed)}")
        return "\n".join(lines)


def plan_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> ImportPlan:
    """What import would write. Reads everything, writes nothing."""
    plan = ImportPlan()
    whole = Diagnostics()  # problems with the whole content: they stop import
    for problem in paths.links_leaving(project_dir, [content_dir]):  # import reads and writes content/
        whole.add(problem)
    if whole:
        return _stopped(plan, whole, diagnostics)
    loaded = Diagnostics()  # a document or source that cannot be loaded: that document is left out
    documents, sources = load_documents(content_dir, project_dir, loaded)
    diagnostics.extend(loaded)
    plan.failed += sorted({Path(d.path).stem for d in loaded.errors if d.path.endswith(".md")})
    registry = load_registry(content_dir, whole)
    taxonomy = load_taxonomy(content_dir, whole)
    state_rel = _relative(content_dir / STATE_FILE, project_dir)
    state = load_state(content_dir, state_rel, whole)
    if whole or not _state_may_be_missing(state, documents, content_dir, state_rel, whole):
        return _stopped(plan, whole, diagnostics)  # without a trustworthy state, editors' work cannot be told from import's
    declared = {d.source for d in documents if d.source}
    texts = {text_name(name) for name in sources if text_name(name) != name}  # what import read from a .pdf …
    for name in sorted(set(sources) - declared - texts):
        diagnostics.warning(f"content/{SOURCES_DIR}/{name}", 0, "没有哪个文件声明这份原文",
                            f"要导入它，加上 content/{DOCUMENTS_DIR}/<id>.md，其中写 source: {name}")
    folders = set()
    plan.texts = {rel: f for rel, f in state.texts.items() if (project_dir / rel).is_file()}
    for document in documents:
        if not document.source:
            continue
        part, problems = ImportPlan(), Diagnostics()
        text = _read_source(document, content_dir, project_dir, part, problems, state.texts)
        if text is not None:
            _plan_document(document, text, content_dir, project_dir, registry, taxonomy, state.cards,
                           part, problems)
        diagnostics.extend(problems)
        if problems:  # errors: this document's cards and state stay as they are
            plan.failed.append(document.id)
            continue
        folders.add(_relative(content_dir / CARDS_DIR / document.id, project_dir))
        plan.absorb(part)
    # Cards of documents not imported this time keep what import-state remembers of them.
    plan.state.update({rel: entry for rel, entry in state.cards.items() if rel.rsplit("/", 1)[0] not in folders})
    return plan


def _stopped(plan: ImportPlan, whole: Diagnostics, diagnostics: Diagnostics) -> ImportPlan:
    diagnostics.extend(whole)
    plan.stopped = True
    return plan


def _read_source(document: Document, content_dir: Path, project_dir: Path, part: ImportPlan,
                 diagnostics: Diagnostics, texts: dict[str, str]) -> str | None:
    """The document's source read afresh; from a .html, .docx or .pdf, the text read is kept
    beside it (<name>.txt, written only when it changed) for the cards' source lines, unless an
    editor corrected that text (kepttext.py)."""
    path = content_dir / SOURCES_DIR / document.source
    rel = _relative(path, project_dir)
    try:
        text = read_file(path)
    except SourceDecodeError as exc:
        diagnostics.error(rel, getattr(exc, "line", 0), str(exc), exc.hint)
        return None
    except OSError as exc:
        diagnostics.error(rel, 0, f"原文读不出来（{exc.strerror}）", "检查它是不是一个你有权限读取的文件")
        return None
    if text_name(document.source) != document.source:
        kept_path = content_dir / SOURCES_DIR / text_name(document.source)
        kept_rel = _relative(kept_path, project_dir)
        kept = reconcile(text, kept_path, kept_rel, document.source, texts.get(kept_rel), diagnostics)
        if kept.write:
            part.files[kept_path] = text
        if kept.record:
            part.texts[kept_rel] = kept.record
        if kept.edited:
            part.notices.append(f"{kept_rel} 是编辑改过的，导入按它读出措施（{document.source} 没有变）")
        return kept.text
    return text


def _state_may_be_missing(state: State, documents: list[Document], content_dir: Path, state_rel: str,
                          diagnostics: Diagnostics) -> bool:
    """Import-state may be missing only while the documents to import have no card files: else
    import could not tell a card an editor deleted from a new measure, nor edits from the source."""
    if state.present:
        return True
    held = {d.id: n for d in documents if d.source
            and (n := sum(1 for _ in (content_dir / CARDS_DIR / d.id).glob("*.md")))}
    if not held:
        return True
    diagnostics.error(state_rel, 0, f"导入记录不见了，但要导入的文件（{'、'.join(sorted(held))}）已有 {sum(held.values())} 个卡片文件，"
                      "导入分不清哪些是编辑的修改和删除、哪些来自原文，所以什么也没写",
                      f"{RESTORE.replace('把它换成', '新建它，内容为')}")
    return False


def _plan_document(document: Document, text: str, content_dir: Path, project_dir: Path,
                   registry: Registry, taxonomy: Taxonomy, state: dict, plan: ImportPlan,
                   diagnostics: Diagnostics) -> None:
    if document.region not in registry.regions:
        diagnostics.warning(document.path, document.line,
                            f"地区“{document.region}”不在 content/regions.yaml 中，所以“省/市”开头的机构只能归到它名下，"
                            "新机构加入机构名录时也没有地区",
                            "把它加进 content/regions.yaml，写上它的级别和上级地区")
    outline = read_outline(text)
    drafts = read_measures(outline)
    if not drafts:
        diagnostics.error(document.path, document.line, f"{document.source} 里没有找到带编号的措施",
                          "检查措施是不是以编号开头，比如 1. / （一） / 第一期")
        return
    reader = AgencyReader(Place(document.region, registry.chain(document.region), registry.known_places()), text)
    folder = content_dir / CARDS_DIR / document.id
    folder_rel = _relative(folder, project_dir)
    source_rel = _relative(content_dir / SOURCES_DIR / text_name(document.source), project_dir)
    for line, why in unread_numbered_lines(outline):  # nothing disappears silently
        diagnostics.warning(source_rel, line, f"这一行有编号，但没有生成卡片：{why}",
                            "如果它是一条措施，检查它的编号和标点；不是措施就不用管")
    naturals = local_ids(drafts)
    for later, earlier in repeats(drafts):
        group = f"（{later.series_group}）" if later.series_group else ""
        diagnostics.warning(source_rel, later.line, f"{later.number}{group}与第 {earlier.line} 行的编号重复",
                            "两条都会导入；如果是原文写错了，改正原文")
    extracted = [_extract(d, document, reader, registry, taxonomy, plan) for d in drafts]
    built = [card_fields(d, document.id, local, text_name(document.source), fields)
             for d, local, (fields, _) in zip(drafts, naturals, extracted)]
    measures = [Measure(local, d.number, d.line, normalise(fields["title"], body),
                        normalise(fields["title"], "")) for d, local, (fields, body) in zip(drafts, naturals, built)]
    placed = place(document.id, folder_rel, source_rel, measures, _known_cards(folder, folder_rel, state))
    if placed.collisions:
        for problem in placed.collisions:
            diagnostics.error(source_rel, 0, f"两张卡片会互相冲突：{problem}",
                              "请把这个问题报告给开发者；导入什么也没写，以免覆盖卡片")
        return
    plan.cards_per_document[document.id] = len(drafts)
    plan.notices += placed.notices
    plan.conflicts += placed.conflicts
    plan.state.update({card.rel: card.base for card in placed.kept})
    for draft, (fields, body), rel, local, card, (_, readings) in zip(drafts, built, placed.rels, placed.ids,
                                                                      placed.cards, extracted):
        fields = {**fields, "id": card_id(document.id, local)}
        plan.evidence[fields["id"]] = CardEvidence(source_rel, draft.line, draft.number, draft.title, readings)
        base = card.base if card is not None else None
        plan.state[rel] = snapshot(fields, body)
        if card is not None and card.broken:
            _report_broken(project_dir / rel, rel, diagnostics)
            continue
        if card is not None and card.current is None:
            plan.notices.append(f"{rel} 已被编辑删除，导入没有重新建立它"
                                f"（对应 {source_rel}:{draft.line} 的 {draft.number} {draft.title}）")
            continue
        result = merge(fields, body, card.current if card is not None else None, base)
        plan.conflicts += [f"{rel}：保留了编辑的版本；{c}" for c in result.conflicts]
        plan.files[project_dir / rel] = frontmatter.dump(result.fields, result.body)
        _count(result.fields, rel, plan)


def _known_cards(folder: Path, folder_rel: str, state: dict) -> list[Known]:
    """The cards import-state remembers in this folder, and every card file there."""
    files = {f"{folder_rel}/{p.name}": p for p in sorted(folder.glob("*.md")) if p.is_file()}
    remembered = {rel for rel in state if rel.rsplit("/", 1)[0] == folder_rel}
    known = []
    for rel in sorted(remembered | set(files)):
        current, broken = None, False
        if rel in files:
            try:
                parsed = frontmatter.parse(files[rel].read_text(encoding="utf-8"))
                current = (parsed.data if isinstance(parsed.data, dict) else {}, parsed.body)
            except (frontmatter.FrontMatterError, UnicodeDecodeError):
                broken = True
        known.append(Known(rel, state.get(rel), current, broken))
    return known


def _report_broken(path: Path, rel: str, diagnostics: Diagnostics) -> None:
    try:
        frontmatter.parse(path.read_text(encoding="utf-8"))
    except frontmatter.FrontMatterError as exc:
        diagnostics.error(rel, exc.line, exc.message, f"{exc.hint}（导入不会覆盖读不出来的卡片）")
    except UnicodeDecodeError:
        diagnostics.error(rel, 0, "卡片不是 UTF-8 文本", "把它另存为 UTF-8（导入不会覆盖读不出来的卡片）")


def _relative(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _extract(draft: MeasureDraft, document: Document, reader: AgencyReader, registry: Registry,
             taxonomy: Taxonomy, plan: ImportPlan) -> tuple[dict, tuple[Reading, ...]]:
    """The fields the importer reads from a measure, and the phrase each agency and deadline
    came from (for `--explain`)."""
    text = measure_text(draft)
    headings = classification_headings(draft)
    agencies: dict[str, list[str]] = {}
    readings: list[Reading] = []
    for ref in reader.read(text, list(draft.heading)):
        # a traditional-character document names bodies the registry has in simplified characters
        known = registry.resolve(ref.name) or registry.resolve(reading_form(ref.name))
        name = known or ref.name
        if known is None and name not in plan.new_agencies:
            # A region not in regions.yaml would make the registry invalid: such names go in without one.
            region = ref.region if ref.region in registry.regions else ""
            plan.new_agencies[name] = Agency(name, (), ref.level, region, collective=ref.collective)
        names = agencies.setdefault(ref.role, [])
        if name not in names:
            names.append(name)
            readings.append(Reading("agency", ref.role, name, ref.written, ref.evidence))
    deadlines, limits = extract_deadlines(text, document.date.iso if document.date else None)
    readings += [Reading("deadline", d.get("kind", ""), deadline_value(d), d.get("text", ""),
                         sentence_with(text, d.get("text", ""))) for d in deadlines]
    return {
        "agencies": {role: agencies[role] for role in ROLES if role in agencies},
        "deadlines": deadlines,
        "time_limits": limits,
        "topics": classify_topics(taxonomy, draft.title, text, headings),
        "beneficiaries": classify_beneficiaries(taxonomy, draft.title, text, headings),
    }, tuple(readings)


def _count(fields: dict, rel: str, plan: ImportPlan) -> None:
    for names in (fields.get("agencies") or {}).values():
        plan.agencies.update(names)
    plan.deadlines += sum(1 for d in fields.get("deadlines") or [] if d.get("kind") not in UNDATED_KINDS)  # 有日期 only
    plan.time_limits += len(fields.get("time_limits") or [])
    if not fields.get("agencies"):
        plan.without_agency.append(rel)
    if not fields.get("topics"):
        plan.without_topic.append(rel)


def run_import(content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> ImportReport:
    plan = plan_import(content_dir, project_dir, diagnostics)
    report = ImportReport(plan)
    if plan.stopped:
        return report  # a problem with the whole content: write nothing
    for path, text in plan.files.items():
        if path.is_file() and path.read_bytes() == text.encode("utf-8"):  # identical bytes: not rewritten
            report.unchanged += 1
            continue
        _write(path, text)
        report.written.append(path.relative_to(project_dir).as_posix())
    report.registry_added = append_agencies(content_dir / AGENCIES_FILE, plan.new_agencies.values())
    state = state_text(plan.state, plan.texts)
    state_path = content_dir / STATE_FILE
    if not state_path.exists() or state_path.read_text(encoding="utf-8") != state:
        _write(state_path, state)
    return report


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
