"""Load content/: front matter + Markdown -> frozen Cards and Documents, every problem collected."""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics
from ..model import Card, Document, PartialDate, SeriesInfo, SeriesPlace, SourceRef
from ..text import formats
from ..text.agencies import ROLES
from ..text.sourcefile import SourceDecodeError, read_source
from ..yamlfile import YamlProblem, decode_utf8
from . import frontmatter, schema
from .application import read_application
from .aliases import alias_warnings
from .registry import AGENCIES_FILE, Registry, load_registry
from .taxonomy import Taxonomy, load_taxonomy
from .validity import check_replacements, read_validity

DOCUMENTS_DIR = "documents"
CARDS_DIR = "cards"
SOURCES_DIR = "sources"


@dataclass(frozen=True)
class Content:
    documents: tuple[Document, ...]
    cards: tuple[Card, ...]
    sources: dict[str, str]  # source file name -> its text
    registry: Registry
    taxonomy: Taxonomy
    # What exists but did not load (its own errors say why), so that later checks do not report
    # a link to it as broken: ids of card files, titles of document files. `complete` is False
    # when a file could not be read at all (then what it would have named is unknown).
    unloaded_cards: frozenset[str] = frozenset()
    unloaded_documents: frozenset[str] = frozenset()
    complete: bool = True


@dataclass(frozen=True)
class _Entry:
    path: str  # as shown in messages: relative to the project
    parsed: frontmatter.Parsed


@dataclass
class LoadCache:
    """What loading found last time, kept between builds by the preview:

    - files: what reading each Markdown file gave (an entry, or the problem to report), keyed by
      its path and stored with its size and modification time, so only changed files are read;
    - cards: each card entry's validated Card and problems, reused while the entry, its
      document, the registry, the taxonomy and the source files are the same."""

    files: dict[str, tuple[tuple[int, int], "_Entry | tuple[int, str, str] | None"]] = field(default_factory=dict)
    cards: dict[int, tuple] = field(default_factory=dict)  # id(entry) -> (entry, document, card, problems)
    context: tuple = ()  # (registry, taxonomy, source names, document ids) the card results were made with


def load_documents(content_dir: Path, project_dir: Path, diagnostics: Diagnostics,
                   cache: LoadCache | None = None) -> tuple[list[Document], dict[str, str]]:
    """The documents and their source texts (what import needs)."""
    show = functools.partial(_display, project_dir=project_dir)
    sources = _read_sources(content_dir / SOURCES_DIR, show, diagnostics)
    entries = _parse_all(_markdown_files(content_dir / DOCUMENTS_DIR, recursive=False), show, diagnostics, cache)
    documents = [d for e in entries if (d := _document(e, sources, diagnostics))]
    return _unique(documents, "文件", diagnostics), sources


def load_content(content_dir: Path, project_dir: Path, diagnostics: Diagnostics,
                 cache: LoadCache | None = None) -> Content:
    """Read and validate everything under content_dir; problems go to `diagnostics`.
    With a `cache` (kept between builds), only new and changed files are parsed and checked."""
    cache = cache if cache is not None else LoadCache()
    documents, sources = load_documents(content_dir, project_dir, diagnostics, cache)
    # A registry or taxonomy file that cannot be read would make every card's terms unknown:
    # report that file's own error, not thousands of consequences.
    registry = load_registry(content_dir, diagnostics)
    registry_loaded = bool(registry.agencies) or not (content_dir / AGENCIES_FILE).exists()
    taxonomy = load_taxonomy(content_dir, diagnostics)
    taxonomy_loaded = bool(taxonomy.topics and taxonomy.beneficiaries)
    if registry.regions:  # (an unreadable regions.yaml is reported as such)
        for doc in documents:
            if doc.region not in registry.regions:
                close = difflib.get_close_matches(doc.region, list(registry.regions), n=1)
                diagnostics.warning(doc.path, _region_line(doc), f"地区“{doc.region}”不在 content/regions.yaml 中",
                                    f"是不是“{close[0]}”？" if close else
                                    "把它登记进去，这样它的机构简称（市财政局）才会被认作本地区的机构")
    show = functools.partial(_display, project_dir=project_dir)
    document_files = _markdown_files(content_dir / DOCUMENTS_DIR, recursive=False)
    card_files = _markdown_files(content_dir / CARDS_DIR, recursive=True)
    entries = _parse_all(card_files, show, diagnostics, cache)
    document_entries = _parse_all(document_files, show, Diagnostics(), cache)  # read above: cached
    for gone in cache.files.keys() - set(card_files) - set(document_files):  # forget deleted files
        del cache.files[gone]
    doc_by_id = {d.id: d for d in documents}
    check_replacements(doc_by_id, diagnostics)
    # Cards of a document file that failed to load: its own errors say why; "the document does
    # not exist" on each of its cards would bury them.
    failed_documents = {Path(p).stem for p in document_files} - set(doc_by_id)
    context = (registry if registry_loaded else None, taxonomy if taxonomy_loaded else None, sorted(sources),
               sorted(doc_by_id))
    if context != cache.context:
        cache.cards, cache.context = {}, context
    checked: dict[int, tuple] = {}
    cards = []
    for entry in entries:
        document_id = entry.parsed.data.get("document")
        if isinstance(document_id, str) and document_id in failed_documents:
            continue
        document = doc_by_id.get(document_id) if isinstance(document_id, str) else None
        done = cache.cards.get(id(entry.parsed))
        if done is None or done[0] is not entry.parsed or done[1] != document:
            problems = Diagnostics()
            card = _card(entry, doc_by_id, sources, problems)
            known = _known_terms(entry, context[0], context[1], problems)
            done = (entry.parsed, document, card if known else None, problems.items)
        checked[id(entry.parsed)] = done
        for problem in done[3]:
            diagnostics.add(problem)
        if done[2] is not None:
            cards.append(done[2])
    cache.cards = checked
    cards = _unique_entries(entries, cards, failed_documents, diagnostics)
    _unfinished(cards, doc_by_id, diagnostics)
    loaded = {c.id for c in cards}
    unloaded_cards = {i for e in entries if isinstance(i := e.parsed.data.get("id"), str) and i not in loaded}
    unloaded_documents = {t for e in document_entries if isinstance(t := e.parsed.data.get("title"), str)} \
        - {d.title for d in documents}
    complete = len(entries) == len(card_files) and len(document_entries) == len(document_files)
    for proposal in alias_warnings(registry, cards) if registry_loaded else ():  # one body, two names?
        diagnostics.add(proposal)
    return Content(tuple(documents), tuple(cards), sources, registry, taxonomy,
                   frozenset(unloaded_cards), frozenset(unloaded_documents), complete)


def _region_line(doc: Document) -> int:
    """The line of 'region:' in a document file (the id's line if it cannot be found)."""
    return doc.region_line or doc.line


PLACEHOLDER = "待填写"  # what `build.py new` leaves for the editor to replace


def _unfinished(cards: list[Card], documents: dict[str, Document], diagnostics: Diagnostics) -> None:
    """Warnings for cards that build but are not finished: placeholders left in, a series
    document's card without its place, two cards claiming the same issue of a group."""
    issues: dict[tuple, Card] = {}
    for card in cards:
        if PLACEHOLDER in card.title:
            diagnostics.warning(card.path, card.title_line, f"标题还是占位文字“{card.title}”",
                                "写上措施的标题")
        if PLACEHOLDER in card.body:
            diagnostics.warning(card.path, card.body_line, "正文里还留着占位文字“待填写”",
                                "把它换成措施的正文")
        if documents[card.document].series is not None and card.series is None and card.kind == "measure":
            diagnostics.warning(card.path, card.line, f"“{card.document}”是系列文件，但卡片没有写它在系列中的位置",
                                "加上 series: {group: …, issue: N}")
        if card.series is not None:
            first = issues.setdefault((card.document, card.series.group, card.series.issue), card)
            if first is not card:
                diagnostics.warning(card.path, card.line, f"“{card.series.group}”第 {card.series.issue} 期"
                                    f"也是 {first.path}", "给其中一张换一个期数")


def _markdown_files(folder: Path, recursive: bool) -> list[str]:
    """The .md files in a folder (and its subfolders), sorted."""
    if not recursive:
        return sorted(str(p) for p in folder.glob("*.md"))
    found = []
    for parent, _, names in os.walk(folder):
        found.extend(os.path.join(parent, n) for n in names if n.endswith(".md"))
    return sorted(found)


def _known_terms(entry: _Entry, registry: Registry | None, taxonomy: Taxonomy | None,
                 diagnostics: Diagnostics) -> bool:
    """Agencies must be in the registry, topics and beneficiaries in the taxonomy (not checked
    against a registry or taxonomy that failed to load)."""
    ok = True
    d = entry.parsed.data
    agencies = d.get("agencies") if isinstance(d.get("agencies"), dict) and registry is not None else {}
    for role, names in agencies.items():
        for i, name in enumerate(names if isinstance(names, list) else []):
            if isinstance(name, str) and registry.resolve(name) is None:
                diagnostics.error(entry.path, _line_of(entry, f"agencies.{role}.{i}"),
                                  f"机构“{name}”不在 content/agencies.yaml 中", registry.suggest(name))
                ok = False
    terms = () if taxonomy is None else (("topics", taxonomy.topic_names(), "topics.yaml"),
                                         ("extra_topics", taxonomy.topic_names(), "topics.yaml"),
                                         ("beneficiaries", taxonomy.beneficiary_names(), "beneficiaries.yaml"))
    for key, known, where in terms:
        values = d.get(key) if isinstance(d.get(key), list) else []
        for i, name in enumerate(values):
            if isinstance(name, str) and name not in known:
                diagnostics.error(entry.path, _line_of(entry, f"{key}.{i}"),
                                  f"{_SINGULAR[key]}“{name}”不在{_SINGULAR[key]}表中",
                                  _suggest(name, known, f"把它加到 content/taxonomy/{where}，或改用表里已有的"))
                ok = False
    return ok


_SINGULAR = {"topics": "主题", "extra_topics": "主题", "beneficiaries": "适用对象"}


def _display(path: Path, project_dir: Path) -> str:
    """The path as editors see it in messages: relative to the project."""
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _read_sources(folder: Path, show, diagnostics: Diagnostics) -> dict[str, str]:
    """Each source's text: a .html/.docx/.pdf's is the <name>.txt import wrote beside it."""
    sources = {}
    for path in sorted(p for p in folder.glob("*") if formats.readable(p.name) and p.is_file()):
        read = folder / formats.text_name(path.name)
        try:
            sources[path.name] = read_source(read) if read.is_file() else formats.read_file(path)
        except SourceDecodeError as exc:
            diagnostics.error(show(path), getattr(exc, "line", 0), str(exc), exc.hint)
            sources[path.name] = ""  # its document is there; the error says what is wrong
    return sources


def _parse_all(paths: list[str], show, diagnostics: Diagnostics, cache: LoadCache | None) -> list[_Entry]:
    entries = []
    for path in paths:
        try:
            stat = os.stat(path)
        except FileNotFoundError:  # deleted since the folder was listed
            continue
        key = (stat.st_mtime_ns, stat.st_size)
        cached = cache.files.get(path) if cache is not None else None
        found = cached[1] if cached is not None and cached[0] == key else _parse_file(Path(path), show)
        if cache is not None:
            cache.files[path] = (key, found)
        if isinstance(found, _Entry):
            entries.append(found)
        elif found is not None:
            diagnostics.error(show(Path(path)), *found)
    return entries


def _parse_file(path: Path, show) -> "_Entry | tuple[int, str, str] | None":
    """The file's entry, or the (line, message, hint) of what is wrong with it."""
    try:
        text = decode_utf8(path.read_bytes())
    except FileNotFoundError:
        return None
    except YamlProblem as exc:  # not UTF-8: at the line of the first bad byte
        return exc.line, exc.problem, exc.hint
    try:
        return _Entry(show(path), frontmatter.parse(text))
    except frontmatter.FrontMatterError as exc:
        return exc.line, exc.message, exc.hint


def _problems(entry: _Entry, spec: schema.Schema, diagnostics: Diagnostics) -> bool:
    """Report schema problems; True when the entry has errors."""
    problems = schema.validate(entry.parsed.data, spec)
    for p in problems:
        line = entry.parsed.key_lines.get(p.key) or entry.parsed.key_lines.get(p.key.split(".")[0], 1)
        diagnostics.error(entry.path, line, p.message, p.hint)
    return bool(problems)


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
                          f"原文文件“{source}”不在 content/sources/ 中",
                          _suggest(source, sources, "把原文文本放进去，或改正文件名"))
        return None
    series = d.get("series")
    return Document(
        id=d["id"], title=str(d["title"]), issuer=str(d["issuer"]), date=_date(d.get("date")),
        doc_number=d.get("doc_number") or "", region=str(d["region"]),
        publisher=d.get("publisher") or "", source=source,
        series=SeriesInfo(str(series["name"]), series.get("label") or "") if series else None,
        published=_date(d.get("published")), implements=d.get("implements") or "",
        source_site=d.get("source_site") or "", inferred=tuple(d.get("inferred") or ()),
        body=entry.parsed.body, path=entry.path, line=_line_of(entry, "id"),
        body_line=entry.parsed.body_line, region_line=_line_of(entry, "region"),
        validity=read_validity(d.get("validity"), _line_of(entry, "validity")))


def _card(entry: _Entry, docs: dict[str, Document], sources: dict[str, str],
          diagnostics: Diagnostics) -> Card | None:
    if _problems(entry, schema.CARD, diagnostics):
        return None
    d = entry.parsed.data
    document = docs.get(d["document"])
    if document is None:
        diagnostics.error(entry.path, _line_of(entry, "document"),
                          f"文件“{d['document']}”不存在",
                          _suggest(d["document"], docs, "在 content/documents/ 下新建它，或改正 id"))
        return None
    if d.get("series") and document.series is None:
        diagnostics.error(entry.path, _line_of(entry, "series"),
                          f"卡片写了在系列中的位置，但文件“{document.id}”不是系列",
                          f"删掉“series:”，或在 {document.path} 里加上“series: {{name: …}}”")
        return None
    src = d.get("source")
    if src and src["file"] not in sources:
        diagnostics.error(entry.path, _line_of(entry, "source.file"),
                          f"原文文件“{src['file']}”不在 content/sources/ 中",
                          _suggest(src["file"], sources, "改正文件名"))
        return None
    series = d.get("series")
    agencies = d.get("agencies") or {}
    topics = list(d.get("topics") or ())
    topics += [t for t in d.get("extra_topics") or () if t not in topics]
    return Card(
        id=d["id"], title=str(d["title"]).strip(), document=document.id,
        number=str(d.get("number") or ""), kind=d.get("kind") or "measure",
        heading=tuple(d.get("heading") or ()),
        series=SeriesPlace(str(series["group"]), int(series["issue"])) if series else None,
        source=SourceRef(src["file"], int(src["line"])) if src else None,
        body=entry.parsed.body, path=entry.path, line=_line_of(entry, "id"),
        body_line=entry.parsed.body_line,
        agencies=tuple((role, tuple(agencies[role])) for role in ROLES if agencies.get(role)),
        deadlines=tuple(_plain_deadline(x) for x in d.get("deadlines") or ()),
        time_limits=tuple(d.get("time_limits") or ()), topics=tuple(topics),
        beneficiaries=tuple(d.get("beneficiaries") or ()), notes=str(d.get("notes") or ""),
        notes_line=_notes_line(entry), title_line=_line_of(entry, "title"),
        contact=tuple((k, str(v)) for k, v in (d.get("contact") or {}).items() if str(v or "").strip()),
        validity=read_validity(d.get("validity"), _line_of(entry, "validity")),
        application=read_application(d.get("application"), _line_of(entry, "application")))


def _notes_line(entry: _Entry) -> int:
    """Where the notes' text starts: on the key's line, or the next one for a YAML block (|, >)."""
    line = entry.parsed.key_lines.get("notes", 0)
    if not line:
        return 0
    text_lines = entry.parsed.raw_lines
    key_line = text_lines[line - 1] if line - 1 < len(text_lines) else ""
    return line + 1 if key_line.split(":", 1)[-1].strip()[:1] in ("|", ">") else line


def _plain_deadline(entry: dict) -> dict:
    """Dates as ISO text whichever way YAML read them."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in entry.items()}


def _unique_entries(entries: list[_Entry], cards: list[Card], skipped: set[str], diagnostics: Diagnostics) -> list[Card]:
    """The cards whose id no earlier card file holds. Every card file with an id counts, the ones
    with other errors too, so a duplicate id is reported with them rather than after their fix."""
    first: dict[str, str] = {}
    for entry in entries:
        card_id, document = entry.parsed.data.get("id"), entry.parsed.data.get("document")
        if not isinstance(card_id, str) or (isinstance(document, str) and document in skipped):
            continue
        if card_id in first:
            diagnostics.error(entry.path, _line_of(entry, "id"), f"卡片 id“{card_id}”已被 "
                              f"{first[card_id]} 使用", "给其中一张换一个 id")
        else:
            first[card_id] = entry.path
    return [card for card in cards if first.get(card.id) == card.path]


def _unique(items: list, kind: str, diagnostics: Diagnostics) -> list:
    seen: dict[str, object] = {}
    kept = []
    for item in items:
        first = seen.get(item.id)
        if first is not None:
            diagnostics.error(item.path, item.line, f"{kind} id“{item.id}”已被 {first.path} 使用",
                              "给其中一份换一个 id")
            continue
        seen[item.id] = item
        kept.append(item)
    return kept


def _suggest(value: str, known, otherwise: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"是不是“{close[0]}”？" if close else otherwise
