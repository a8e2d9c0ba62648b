"""The one place that turns ids into URLs and output paths, and that keeps paths in the project.

Ids are validated ASCII slugs (schema.ID_PATTERN), so no output path can leave site/; a symbolic
link under content/, templates/ or static/ that leads out of the project is refused before the
build reads anything (links_leaving).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from posixpath import normpath

from .errors import Diagnostic


@dataclass(frozen=True)
class Urls:
    base: str = "/"  # ends with "/"; may be a full URL or a path such as /handbook/
    # With a full-URL base (https://example.org/handbook/) every URL made here is absolute, as
    # feeds, calendars, sitemaps and canonical links need; with a path base they are root paths.

    def home(self) -> str:
        return self.base

    def card(self, card_id: str) -> str:
        return f"{self.base}cards/{card_id}/"

    def document(self, document_id: str) -> str:
        return f"{self.base}documents/{document_id}/"

    def measure(self, document_id: str, card_id: str) -> str:
        """The measure's anchor in the full text of its document."""
        return f"{self.document(document_id)}#{card_id}"

    def static(self, name: str) -> str:
        return f"{self.base}static/{name}"

    def section(self, name: str) -> str:
        """An index page: documents, agencies, topics, deadlines, regions, beneficiaries, search."""
        return f"{self.base}{name}/"

    def series(self, document_id: str) -> str:
        return f"{self.base}series/{document_id}/"

    def group(self, document_id: str, index: int) -> str:
        return f"{self.base}series/{document_id}/{index}/"

    def term(self, section: str, slug: str) -> str:
        """A page of one agency, topic, region or beneficiary: /agencies/<slug>/."""
        return f"{self.base}{section}/{slug}/"

    def feed(self, section: str = "", slug: str = "") -> str:
        """Atom feed of cards: the whole handbook (/feeds/cards.xml) or one agency or topic
        (/feeds/agencies/<slug>.xml, /feeds/topics/<slug>.xml)."""
        return f"{self.base}feeds/{section}/{slug}.xml" if section else f"{self.base}feeds/cards.xml"

    def calendar(self, section: str = "", slug: str = "") -> str:
        """iCalendar of dated items: the whole handbook (/calendars/deadlines.ics) or one agency
        or topic (/calendars/agencies/<slug>.ics, /calendars/topics/<slug>.ics)."""
        return f"{self.base}calendars/{section}/{slug}.ics" if section else f"{self.base}calendars/deadlines.ics"

    def data(self, name: str) -> str:
        """Open data: /data/cards.json, /data/policy-list.csv, /data/schema/cards.schema.json."""
        return f"{self.base}data/{name}"

    def compilation(self, section: str, key: str) -> str:
        """A printable compilation (汇编) of a document or a topic: /print/documents/<id>/."""
        return f"{self.base}print/{section}/{key}/"


def output_path(url_path: str) -> str:
    """'/cards/x/' -> 'cards/x/index.html' (relative to site/, never escaping it)."""
    path = url_path.split("#", 1)[0].lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    folder = path[: -len("index.html")] if path.endswith("/index.html") or path == "index.html" else path
    if "." not in folder and "//" not in path and "\\" not in path:
        return path  # already normal: no '.', '..' or empty segment (the common case, and fast)
    normal = normpath(path)
    if normal.startswith("..") or normal.startswith("/"):
        raise ValueError(f"output path escapes the site: {url_path!r}")
    return normal


def url_output(url: str, base: str) -> str:
    """The output path of a URL made by Urls with the given base."""
    if not url.startswith(base):
        raise ValueError(f"{url!r} is not under the base {base!r}")
    return output_path(url[len(base):])


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether `path`, every symbolic link on the way followed, ends up in `root` (or is root)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def links_leaving(project_dir: Path, folders: Iterable[Path]) -> list[Diagnostic]:
    """An error for every symbolic link in `folders` (the folders included) that leads out of
    the project, followed to its end. Reads nothing through a link: it only lists folders and
    resolves names. Links that stay in the project are followed and looked through in turn."""
    problems, seen = [], set()
    stack = [Path(f) for f in folders if os.path.lexists(f)]
    while stack:
        path = stack.pop()
        if path.is_symlink() and not inside(path, project_dir):
            where = os.path.join(os.path.realpath(path.parent), path.name)  # the link itself, not the way to it
            shown = os.path.relpath(where, os.path.realpath(project_dir)).replace(os.sep, "/")
            problems.append(Diagnostic(shown, 0, f"这是指向项目之外的符号链接（{os.path.realpath(path)}）",
                                       "把它指向的内容复制一份放在这里代替它，或把那些内容移进项目"))
            continue
        real = os.path.realpath(path)
        if real in seen or not os.path.isdir(real):
            continue
        seen.add(real)
        try:
            with os.scandir(path) as entries:
                stack.extend(Path(e.path) for e in entries if e.is_symlink() or e.is_dir(follow_symlinks=False))
        except OSError:
            continue  # unreadable: the loader says so
    return sorted(set(problems))


def read_tree(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """Every file under folder, keyed by prefix + its path relative to folder. Linked folders
    are looked through (links leading out of the project were refused before), each real
    folder once, so a link loop ends."""
    files: dict[str, bytes] = {}
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs.clear()
            continue
        seen.add(real)
        for name in names:
            path = Path(top, name)
            if path.is_file():
                files[f"{prefix}{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return dict(sorted(files.items()))


def content_prefix(content_path: Path, project_dir: Path) -> str:
    """The content folder as card and document paths start with it: "content/"."""
    try:
        return content_path.resolve().relative_to(project_dir.resolve()).as_posix() + "/"
    except ValueError:
        return content_path.as_posix() + "/"
