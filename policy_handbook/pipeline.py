"""The build: load, link, render, check, write. Nothing is written until everything has passed."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from . import paths
from .bodies import render_bodies
from .checks import check_site
from .config import Config
from .content import Content, load_content
from .errors import Diagnostics
from .library import Library, build_library
from .related import RelatedInput, related_cards
from .render import RenderedSite, render_site
from .search import SearchIndexError, index_site
from .write import write_site


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    library: Library | None = None
    pages: int = 0
    seconds: float = 0.0
    timings: dict[str, float] | None = None

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def link_library(content: Content) -> Library:
    """The library with its indexes and related cards."""
    library = build_library(content)
    return replace(library, related=related_cards([
        RelatedInput(c.id, c.document, c.title, c.body, c.topics) for c in library.cards.values()]))


def static_files(static_dir: Path) -> list[str]:
    return sorted(f"static/{p.relative_to(static_dir).as_posix()}" for p in static_dir.rglob("*") if p.is_file())


def build(config: Config, *, write: bool = True, search: bool = True) -> BuildResult:
    """Build and check the whole site; on any problem, write nothing and return the diagnostics."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(stage: str) -> None:
        timings[stage] = time.perf_counter() - started - sum(timings.values())

    diagnostics = Diagnostics()
    content = load_content(config.content_path, config.project_dir, diagnostics)
    lap("load")
    library = None if diagnostics else link_library(content)
    lap("index")
    result = BuildResult(diagnostics, library, timings=timings)
    if library is None:
        return result
    urls = paths.Urls(config.base_url)
    bodies = render_bodies(library, urls, diagnostics)
    lap("bodies")
    if diagnostics:
        return result
    site: RenderedSite = render_site(library, config, bodies)
    lap("render")
    for problem in check_site(site.pages, static_files(config.static_path), config.base_url, site.provenance):
        d = problem.diagnostic()
        diagnostics.error(d.path, d.line, d.message, d.hint)
    lap("check")
    if diagnostics:
        return result
    if write:
        try:
            write_site(site.pages, config.static_path, config.output_path,
                       finish=index_site if search else None)
        except SearchIndexError as exc:
            diagnostics.error(config.output_dir, 0, str(exc), "the previous site was left as it was")
            return result
        lap("write" if not search else "write+search")
    result.pages = len(site.pages)
    result.seconds = time.perf_counter() - started
    return result
