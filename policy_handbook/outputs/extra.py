"""The files beside the pages: Atom feeds, iCalendar feeds, open data, sitemap, robots.txt and
the search page's character table.

Each producer is a pure function of the library and config returning {output path: bytes}; this
module only gathers them and refuses a path that two of them (or a page) would both write.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..config import Config
from ..library.bodies import Bodies
from ..library.history import History
from ..library.library import Library
from .calendars import calendar_files
from .feeds import feed_files, site_files
from .matchdata import match_files
from .opendata import data_files
from .searchdata import search_files
from .shareimage import share_image_files


class OutputClash(Exception):
    pass


DATA_PREFIX = "data/"  # where data_files writes


def extra_files(library: Library, config: Config, bodies: Bodies, pages: Iterable[str],
                data: bool = True, history: History | None = None, workers: int = 1) -> dict[str, bytes]:
    """Every non-page file of the site; `pages` are the HTML pages' output paths (for the
    sitemap). Without `data`, the open data files are left out. `history` dates feed entries
    by their last change. Share images (https sites only) are drawn on `workers` processes."""
    pages = list(pages)
    files: dict[str, bytes] = {}
    producers = [feed_files(library, config, history, bodies.cards), calendar_files(library, config),
                 site_files(pages, config), search_files(library), match_files(library, config),
                 share_image_files(library, config, workers)]
    if data:
        producers.append(data_files(library, config, bodies))
    for made in producers:
        clash = (made.keys() & files.keys()) | (made.keys() & set(pages))
        if clash:
            raise OutputClash(f"两个输出会写到同一个路径 {sorted(clash)[0]}")
        files.update(made)
    return files
