"""Markdown -> HTML for card and document bodies. Raw HTML is never passed through."""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # commonmark with html off: "<script>" in content is escaped, never emitted as a tag;
    # markdown-it's link validation already refuses javascript: and data: URLs.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")


def render_markdown(text: str) -> str:
    return _parser().render(text)
