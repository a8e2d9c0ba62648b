"""Pages: a plan per page (template, view, what it shows), the views, printable compilations and
the document's full text; rendering to {output path: bytes}; link checks over the rendered pages;
and what a change touches (depends.py)."""
