"""Where the site may be written. A build replaces its output folder whole, so that folder must be
one of its own: new, empty, or holding a previous build and nothing else.

A build marks its folder with MARKER. A folder written before the marker existed is recognised
by what it holds: index.html, 404.html and nothing a build does not write (BUILD_NAMES).
Anything else (the project, a folder holding it, content/, templates/, static/, a folder with
other files) is a config error naming output_dir, and nothing is touched.
"""
from __future__ import annotations

from pathlib import Path

from ..config import Config, key_line
from ..errors import Diagnostics

MARKER = ".policy-handbook-site"
MARKER_TEXT = (b"This folder is written by policy-handbook (build.py build or serve).\n"
               b"Every build replaces it whole: keep nothing else here.\n")
# Everything a build has written at the top of its folder (the marker aside), for folders built
# before the marker existed. Only those builds need this list: later ones carry the marker.
BUILD_NAMES = frozenset({
    "404.html", "index.html", "robots.txt", "sitemap.xml", "agencies", "beneficiaries", "calendars",
    "cards", "data", "deadlines", "documents", "feeds", "pagefind", "print", "regions", "search",
    "series", "static", "topics"})


class UnsafeOutput(Exception):
    """The output folder holds something a build did not write: it is never replaced."""


def is_replaceable(folder: Path) -> bool:
    """Whether folder may be replaced by a build: missing, empty, or a previous build."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    names = {entry.name for entry in folder.iterdir()}
    if not names or MARKER in names:
        return True
    names = {name for name in names if not _half_written(name)}
    return {"index.html", "404.html"} <= names and names <= BUILD_NAMES


def _half_written(name: str) -> bool:
    """A file the preview was replacing when it was stopped (.index.html.new)."""
    return name.startswith(".") and name.endswith(".new")


def output_problem(output: Path, project: Path, content: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when a build must not replace `output`; else None."""
    target, project = output.resolve(), project.resolve()
    own = "set output_dir in config.yaml to a folder of its own, such as site"
    if target == project:
        return "it is the project folder, which a build would delete when it replaces its output", own
    if target in project.parents:
        return "it holds the project folder, which a build would delete when it replaces its output", own
    for name, folder in (("content", content), ("templates", project / "templates"),
                         ("static", project / "static"), (".git", project / ".git")):
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            where = "is" if target == folder else "is inside" if folder in target.parents else "holds"
            return f"it {where} the {name} folder, which a build must never replace", own
    if target.exists() and not target.is_dir():
        return "it is a file, not a folder", f"{own}, or move the file away"
    if not is_replaceable(target):
        others = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in target.iterdir()
                        if entry.name not in BUILD_NAMES and not _half_written(entry.name))
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        return (f"it holds files that no build wrote ({shown or 'no index.html'}), which a build would delete",
                f"{own}, or move those files out of {target}")
    return None


def check_output(config: Config, diagnostics: Diagnostics, config_file: Path | None = None) -> bool:
    """Report an output_dir that a build must not replace, at its line in config.yaml."""
    problem = output_problem(config.output_path, config.project_dir, config.content_path)
    if problem is None:
        return True
    config_file = config_file or config.project_dir / "config.yaml"
    message, hint = problem
    diagnostics.error(config_file.name, key_line(config_file, "output_dir"),
                      f"output_dir '{config.output_dir}' cannot hold the site: {message}", hint)
    return False
