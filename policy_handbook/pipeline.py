"""The build: load, link, render, write. Nothing is written until everything is read and rendered."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .content import load_content
from .errors import Diagnostics
from .library import Library, build_library
from .render import render_site
from .write import write_site


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    library: Library | None = None
    pages: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def load(config: Config, diagnostics: Diagnostics) -> Library | None:
    content = load_content(config.content_path, config.project_dir, diagnostics)
    return None if diagnostics else build_library(content)


def build(config: Config, *, write: bool = True) -> BuildResult:
    """Build the whole site; on any content error, write nothing and return the diagnostics."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    library = load(config, diagnostics)
    result = BuildResult(diagnostics, library)
    if library is None:
        return result
    pages = render_site(library, config)
    if write:
        write_site(pages, config.static_path, config.output_path)
    result.pages = len(pages)
    result.seconds = time.perf_counter() - started
    return result


def build_from(config_path: Path, **overrides) -> BuildResult:
    diagnostics = Diagnostics()
    config = load_config(config_path, diagnostics, **overrides)
    if diagnostics:
        return BuildResult(diagnostics)
    return build(config)
