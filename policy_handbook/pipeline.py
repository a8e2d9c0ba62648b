"""The build: load, link, render, check; then write. Nothing is written until everything has passed.

`Builder` keeps the last good build and its caches, so that a rebuild after an edit re-reads
only the changed files and re-renders and re-checks only the pages the edit touches
(pages/depends.py). A failed build leaves the last good build as it was. `build()` is one full build.
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import paths
from .config import Config
from .content.history import StateCache, find_repository, read_git
from .content.load import Content, LoadCache, load_content
from .errors import Diagnostics
from .library.bodies import BodyCache, Bodies, check_links, render_bodies
from .library.history import History, git_history, state_history
from .library.library import Library, build_library
from .library.related import RelatedInput, TermCache, related_cards
from .library.validity import validity_warnings
from .outputs import buildcache
from .outputs.buildcache import SiteFiles
from .outputs.extra import DATA_PREFIX, OutputClash, extra_files
from .outputs.search import SearchIndexError, index_site
from .outputs.shareimage import ShareImageError
from .outputs.target import UnsafeOutput, check_output
from .outputs.write import recover, write_changes, write_error, write_site
from .pages.checks import Provenance, Scan, check_site, scan_page
from .pages.depends import PageDeps, changed, changed_templates, pages_to_render, template_uses
from .pages.parallel import chunks, fork_map
from .pages.render import TemplateProblem, make_environment, plan_site, render_pages


CACHE_DIR = ".cache"  # beside config.yaml, git-ignored: compiled templates, the build cache


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    library: Library | None = None
    pages: int = 0  # pages in the site
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    site: dict[str, bytes] = field(default_factory=dict)  # every page (when ok)
    static_files: dict[str, bytes] = field(default_factory=dict)  # "static/…" -> bytes, as read (when ok)
    rendered: int = 0  # pages rendered by this build
    changed: dict[str, bytes] = field(default_factory=dict)  # pages new or different since the last build
    removed: tuple[str, ...] = ()  # pages gone since the last build
    static: tuple[str, ...] = ()  # static files ("static/…") new or different since the last build
    static_removed: tuple[str, ...] = ()
    first: bool = True  # no earlier good build: everything is new
    cached: bool = False  # build(): the last build's state was taken up from the build cache
    quick: bool = False  # the preview's quick rebuild of a text edit (preview/quick.py): the rest follows

    @property
    def ok(self) -> bool:
        return not self.diagnostics


@dataclass(frozen=True)
class _Good:
    """The last build that passed: what the next one is compared with."""

    library: Library
    bodies: Bodies
    deps: dict[str, PageDeps]
    pages: dict[str, bytes]
    provenance: dict[str, Provenance]
    scans: dict[str, Scan]
    templates: dict[str, str]  # template name -> source
    static: dict[str, bytes]  # "static/…" -> bytes
    extras: dict[str, bytes]  # feeds, calendars, open data, sitemap (outputs/extra.py)


@dataclass
class RelatedCache:
    """Related cards of the last build and what they were computed from: reused as they are
    when no card's title, text, topics or document changed; otherwise the term counts of the
    unchanged cards are."""

    terms: TermCache = field(default_factory=dict)
    inputs: list[RelatedInput] = field(default_factory=list)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pending: bool = False  # the related cards last handed out were the previous ones, kept for speed


PARALLEL_RELATED_FROM = 2000  # cards from which forking workers for related cards pays for itself


def link_library(content: Content, cache: RelatedCache | None = None, later: bool = False,
                 workers: int = 1) -> Library:
    """The library with its indexes and related cards. With `later`, changed cards keep the
    related cards of the last computation (gone cards dropped) and cache.pending is set: the
    preview shows an edit at once and computes related cards when the edits settle. With
    `workers` > 1 (a cold build), related cards are computed in that many processes."""
    library = build_library(content)
    inputs = [RelatedInput(c.id, c.document, c.title, c.body, c.topics) for c in library.cards.values()]

    def map_parts(fn, indexes):
        parts = chunks(indexes, workers if len(indexes) >= PARALLEL_RELATED_FROM else 1) if indexes else []
        return [found for part in fork_map(fn, parts) for found in part]

    if cache is None:
        return replace(library, related=related_cards(inputs, map_parts=map_parts))
    if inputs == cache.inputs:
        cache.pending = False
        return replace(library, related=cache.related)
    if later and cache.inputs:
        cache.pending = True
        return replace(library, related={c: tuple(r for r in cache.related.get(c, ()) if r in library.cards)
                                         for c in library.cards})
    cache.inputs, cache.related, cache.pending = inputs, related_cards(inputs, cache=cache.terms,
                                                                       map_parts=map_parts), False
    return replace(library, related=cache.related)


class Builder:
    """Builds the site again and again, each time redoing only what changed since the last good build."""

    def __init__(self, config: Config, workers: int = 1):
        self.config = config
        self.workers = workers  # processes to render with; 1 for the preview (it runs threads)
        self.env = make_environment(config.templates_path, config.project_dir / CACHE_DIR / "jinja")
        self.files = LoadCache()
        self.related = RelatedCache()
        self.bodies = BodyCache()
        self.last: _Good | None = None
        self._uses: tuple[dict[str, str], dict[str, frozenset[str]]] | None = None
        self.data_pending = False  # open data kept from an earlier build (see build(later=True))
        self.repository = find_repository(config.content_path) if config.content_path.is_dir() else None
        self.git: tuple[bytes, History] | None = None  # (HEAD and its ref, the history read then)
        self.state = StateCache()
        self.history: History | None = None  # of the last good build
        self.edited: tuple[Library, Bodies] | None = None  # quick rebuilds since it (preview/quick.py)

    def _cache_folder(self) -> Path:
        return self.config.project_dir / CACHE_DIR / "build"

    def resume(self) -> bool:
        """Take up what the last `build.py build` left in .cache/build/ (buildcache.py), when it
        was made by this code, with this config, on this day, and site/ is still what it wrote.
        Otherwise leave the builder as new (a cold build) and say so."""
        state = buildcache.load(self._cache_folder())
        output = self.config.output_path.resolve()
        if (not isinstance(state, dict) or state.get("config") != self.config or state.get("output") != output
                or state.get("day") != self.config.as_of_date):
            return False
        last: _Good = state["last"]
        if buildcache.signature(output, state["site"]) != state["site"]:
            return False
        files: LoadCache = state["files"]
        for path in buildcache.changed_since(files.files, state["started"]):  # whatever their time and size say
            del files.files[path]
        files.cards = {id(done[0]): done for done in files.cards.values()}  # keyed by object: new objects now
        self.files, self.related, self.bodies, self.last = files, state["related"], state["bodies"], last
        self._uses, self.git = state["uses"], state["git"]
        return True

    def persist(self, started: int) -> bool:
        """Save the state of the last good build for the next `build.py build`, once it has been
        written to site/ (in full: nothing pending). `started`: time.time_ns() before it read anything."""
        last, output = self.last, self.config.output_path.resolve()
        if last is None or self.pending:
            return False
        names = [*last.pages, *last.extras, *last.static]
        site = buildcache.signature(output, names)
        if site is None:
            return False
        # The pages are in site/; their links are read again only if every page's are checked
        # (pipeline._render): only the anchors each page defines are kept.
        kept = replace(last, pages=SiteFiles(output, last.pages), extras=SiteFiles(output, last.extras),
                       scans={out: (None, ids) for out, (_, ids) in last.scans.items()})
        # Term counts take as long to load as to count again: they are not kept.
        related = replace(self.related, terms={})
        return buildcache.save(self._cache_folder(), {
            "config": self.config, "output": output, "day": self.config.as_of_date, "started": started,
            "site": site, "last": kept, "files": self.files, "related": related, "bodies": self.bodies,
            "uses": self._uses, "git": self.git})

    def build(self, later: bool = False) -> BuildResult:
        """Build, redoing only what changed. With `later` (the preview, between saves), what
        depends on every card is left as it was: the related cards of changed cards (see
        link_library) and the open data files; `self.pending` then says a full pass is due."""
        # The build makes no reference cycles worth collecting; scanning the large, long-lived
        # library again and again costs up to a third of a rebuild.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._build(later)
        finally:
            if enabled:
                gc.enable()

    @property
    def pending(self) -> bool:
        return self.related.pending or self.data_pending or self.edited is not None

    def _build(self, later: bool) -> BuildResult:
        started = time.perf_counter()
        result = BuildResult(Diagnostics(), first=self.last is None)

        def lap(stage: str) -> None:
            result.timings[stage] = time.perf_counter() - started - sum(result.timings.values())

        config, diagnostics = self.config, result.diagnostics
        for problem in paths.links_leaving(config.project_dir, (config.content_path, config.templates_path,
                                                                config.static_path)):
            diagnostics.add(problem)  # before anything is read through such a link
        if diagnostics:
            return result
        content = load_content(config.content_path, config.project_dir, diagnostics, self.files)
        lap("load")
        if diagnostics:
            if content.complete:  # every file was read: report broken links with the other errors
                check_links(content, paths.Urls(config.base_url), diagnostics)
            return result
        library = result.library = link_library(content, self.related, later=later, workers=self.workers)
        for path, line, message, hint in validity_warnings(library.documents.values(), config.as_of_date,
                                                           config.validity_review_years):
            diagnostics.warning(path, line, message, hint)
        lap("index")
        bodies = render_bodies(library, paths.Urls(config.base_url), diagnostics, self.bodies)
        lap("bodies")
        if diagnostics:
            return result
        good = self._render(library, bodies, result, lap, later)
        if good is None:
            return result
        self.last, self.edited = good, None
        result.pages, result.site = len(good.pages), buildcache.joined(good.pages, good.extras)
        result.static_files = good.static
        result.seconds = time.perf_counter() - started
        return result

    def _history(self, library: Library) -> tuple[History, bool]:
        """What changed (and whether it differs from the last build's): from git, read again only
        when HEAD or its branch moved; outside git (or when git fails) from import-state.json."""
        if self.repository is not None:
            key = self.repository.key()
            if self.git is not None and self.git[0] == key:
                return self.git[1], False
            changes = read_git(self.config.content_path, self.repository)
            if changes is not None:
                prefix = paths.content_prefix(self.config.content_path, self.config.project_dir)
                self.git = (key, git_history(changes, prefix))
                return self.git[1], True
        return state_history(self.state.read(self.config.content_path), library.cards.values()), False

    def _template_uses(self, templates: dict[str, str]) -> dict[str, frozenset[str]]:
        if self._uses is None or self._uses[0] != templates:
            self._uses = (templates, template_uses(self.env, templates))
        return self._uses[1]

    def _render(self, library: Library, bodies: Bodies, result: BuildResult, lap, later: bool) -> _Good | None:
        """Render, check and compare with the last good build; None (and diagnostics) on failure."""
        config, last, diagnostics = self.config, self.last, result.diagnostics
        templates = {k: v.decode("utf-8", "replace") for k, v in paths.read_tree(config.templates_path).items()}
        static = paths.read_tree(config.static_path, "static/")
        history, moved = self._history(library)
        plans = plan_site(library, config, bodies, history)
        changes = changed(last.library, last.bodies, library, bodies) if last and not moved else None
        only = pages_to_render(plans, last.deps if last else None, changes,
                               changed_templates(last.templates, templates) if last else set(),
                               self._template_uses(templates))
        try:
            rendered = render_pages(plans, only, library, config, self.env, self.workers, scan_page)
        except TemplateProblem as problem:
            diagnostics.error(f"{config.templates_path.name}/{problem.template}", problem.line,
                              problem.message, problem.hint)
            return None
        result.rendered = len(rendered.pages)
        lap("render")
        new = rendered.pages
        pages = buildcache.merged(new, last.pages if last else {}, plans)
        provenance = {out: rendered.provenance[out] if out in new else last.provenance[out] for out in plans}
        scans = {out: rendered.scans[out] if out in new else last.scans[out] for out in plans}
        try:
            extras = self._extras(library, bodies, plans, changes, later, history)
        except OutputClash as clash:
            diagnostics.error(config.output_dir, 0, str(clash), "给页面或文件改个名字，让每个都有自己的路径")
            return None
        except ShareImageError as exc:
            diagnostics.error(config.output_dir, 0, exc.message, exc.hint)
            return None
        lap("extras")
        removed = tuple(sorted((last.pages.keys() | last.extras.keys()) - plans.keys() - extras.keys())) if last else ()
        static_removed = tuple(sorted(last.static.keys() - static.keys())) if last else ()
        anchors_moved = last is None or removed or static_removed or any(
            out in last.scans and scans[out][1] != last.scans[out][1] for out in rendered.pages)
        if anchors_moved:  # every page's links are checked: scan again those the build cache kept without
            scans = {out: scan_page(pages[out]) if scan[0] is None else scan for out, scan in scans.items()}
        for problem in check_site(pages, [*static, *extras], config.base_url, provenance, scans,
                                  only=None if anchors_moved else rendered.pages):
            d = problem.diagnostic()
            diagnostics.error(d.path, d.line, d.message, d.hint)
        lap("check")
        if diagnostics:
            return None
        result.changed = {out: html for out, html in rendered.pages.items() if not last or last.pages.get(out) != html}
        result.changed.update((out, data) for out, data in extras.items() if not last or last.extras.get(out) != data)
        result.removed, result.static_removed = removed, static_removed
        result.static = tuple(k for k, v in static.items() if not last or last.static.get(k) != v)
        self.history = history  # (the quick rebuilds' until the next good build)
        return _Good(library, bodies, {out: PageDeps(p.template, p.cards, p.items, p.deps) for out, p in plans.items()},
                     pages, provenance, scans, templates, static, extras)

    def _extras(self, library: Library, bodies: Bodies, plans: dict, changes, later: bool,
                history: History | None = None) -> dict[str, bytes]:
        """Feeds, calendars, open data and sitemap: made again when any card or the set of pages
        changed, else kept. With `later` (an edit in the preview), they keep their last version
        until the full pass once edits settle — every feed and calendar over all cards is most of
        an edit's cost at 10,000 cards — unless the set of pages changed (a new page may link to a
        new feed); then only the open data (large, linked only from fixed URLs) waits."""
        last = self.last
        kept_data_due = self.data_pending and not later  # the full pass the kept files wait for
        same_pages = last is not None and plans.keys() == last.pages.keys()
        if same_pages and changes is not None and not changes.cards and not changes.deps and not kept_data_due:
            return last.extras
        if later and same_pages:
            self.data_pending = True
            return last.extras
        keep_data = later and last is not None and any(path.startswith(DATA_PREFIX) for path in last.extras)
        files = extra_files(library, self.config, bodies, sorted(plans), data=not keep_data, history=history,
                            workers=self.workers)
        if keep_data:
            files.update((path, data) for path, data in last.extras.items() if path.startswith(DATA_PREFIX))
        self.data_pending = keep_data
        return files


def build(config: Config, *, write: bool = True, search: bool = True,
          config_file: Path | None = None, workers: int = 1, cache: bool = True) -> BuildResult:
    """Build and check the whole site, then write it (atomically, with its search index);
    on any problem, write nothing and return the diagnostics. An output_dir that a build must
    not replace (outputs/target.py) is a config error at its line in `config_file`.
    With `cache`, the state the last build left in .cache/build/ is taken up when it still holds
    (Builder.resume): only what changed since is rendered, the rest of site/ is linked into the
    new one; the state of this build is saved for the next."""
    output = Diagnostics()
    safe = check_output(config, output, config_file)
    if safe and write:  # `check` too: the build it stands for would fail
        recover(config.output_path)  # what a killed build left: put back or removed before anything else
    builder = Builder(config, workers)
    begun, started = time.time_ns(), time.perf_counter()
    resumed = cache and write and safe and builder.resume()
    resumed_in = time.perf_counter() - started
    if not cache:
        builder.related.terms = None  # one build only: the cards' term counts (~40 KB a card) need not outlive it
    result = builder.build()
    result.cached = resumed
    result.timings = {"cache": resumed_in, **result.timings}
    result.seconds += resumed_in
    result.diagnostics.extend(output)
    if not result.ok or not write:
        return result
    started, searched = time.perf_counter(), 0.0

    def index(staging: Path) -> None:  # the search index, timed on its own
        nonlocal searched
        began = time.perf_counter()
        index_site(staging)
        searched = time.perf_counter() - began

    try:
        if resumed:  # the files that did not change are linked from site/, not written again
            files = {**result.changed, **{name: result.static_files[name] for name in result.static}}
            write_changes(config.output_path, files, [k for k in (*result.site, *result.static_files) if k not in files],
                          finish=index if search else None)
        else:
            write_site({**result.site, **result.static_files}, config.output_path, finish=index if search else None)
    except SearchIndexError as exc:
        result.diagnostics.error(config.output_dir, 0, str(exc), "原来的网站保持不变")
        return result
    except UnsafeOutput as exc:  # output_dir was filled by something else while the build ran
        result.diagnostics.error(config.output_dir, 0, str(exc), "把那些文件移走，再生成一次")
        return result
    except OSError as exc:  # a full disk, a read-only or forbidden folder
        message, hint = write_error(exc, config.output_path)
        result.diagnostics.error(config.output_dir, 0, message,
                                 f"{hint}，再生成一次（原来的网站保持不变）")
        return result
    result.timings["write"] = time.perf_counter() - started - searched
    if search:
        result.timings["search"] = searched
    if cache:
        saving = time.perf_counter()
        builder.persist(begun)
        result.timings["cache save"] = time.perf_counter() - saving
    result.seconds += time.perf_counter() - started
    return result
