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
    "cards", "data", "deadlines", "documents", "feeds", "match", "pagefind", "print", "recent", "regions",
    "search", "series", "static", "topics"})


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
    own = "把 config.yaml 里的 output_dir 改成专用的文件夹，比如 site"
    if target == project:
        return "它就是项目文件夹，生成网站替换输出时会把它删掉", own
    if target in project.parents:
        return "它包含项目文件夹，生成网站替换输出时会把它删掉", own
    for name, folder in (("content", content), ("templates", project / "templates"),
                         ("static", project / "static"), (".git", project / ".git")):
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            where = "就是" if target == folder else "在" if folder in target.parents else "包含"
            inside = "里面" if where == "在" else ""
            return f"它{where} {name} 文件夹{inside}，生成网站绝不能替换它", own
    if target.exists() and not target.is_dir():
        return "它是一个文件，不是文件夹", f"{own}，或把这个文件移走"
    if not is_replaceable(target):
        others = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in target.iterdir()
                        if entry.name not in BUILD_NAMES and not _half_written(entry.name))
        shown = "、".join(others[:3]) + (f" 等 {len(others)} 项" if len(others) > 3 else "")
        return (f"它里面有不是生成网站时写入的文件（{shown or '没有 index.html'}），生成网站会把它们删掉",
                f"{own}，或把那些文件从 {target} 移走")
    return None


def check_output(config: Config, diagnostics: Diagnostics, config_file: Path | None = None) -> bool:
    """Report an output_dir that a build must not replace, at its line in config.yaml."""
    problem = output_problem(config.output_path, config.project_dir, config.content_path)
    if problem is None:
        return True
    config_file = config_file or config.project_dir / "config.yaml"
    message, hint = problem
    diagnostics.error(config_file.name, key_line(config_file, "output_dir"),
                      f"output_dir“{config.output_dir}”不能用来存放网站：{message}", hint)
    return False
