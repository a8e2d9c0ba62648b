"""Read what library/history.py needs: the repository's history of the content folder (git, through
its command line) or, outside git, content/import-state.json.

Two git calls for the whole folder, whatever the number of cards: one `git log --raw` (which
files each commit changed, with the blob ids before and after) and one `git cat-file --batch`
for the texts of the last changes of each file. A folder that is not in a git checkout, a
missing git or a failing call gives None: the build goes on with import-state.json.
A shallow clone's oldest commit seems to add every file; its changes are left out (only what
the clone really holds is told).
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120  # seconds for one git call
STATE_FILE = "import-state.json"
FOLDERS = ("cards", "documents")
MAX_ENTRIES = 10  # history entries kept for each file, newest first


@dataclass(frozen=True)
class Change:
    """One commit's change to one content file, as git reports it."""

    path: str  # relative to the content folder: "cards/<doc>/<n>.md", "documents/<id>.md"
    date: str  # YYYY-MM-DD of the commit
    status: str  # "A" added, "M" modified, "D" deleted
    old: str | None = None  # the file's text before (M), else None
    new: str | None = None  # the file's text after (A, M)


@dataclass(frozen=True)
class Repository:
    git_dir: Path  # this checkout's (a worktree's own) git folder: HEAD
    common_dir: Path  # refs, packed-refs, shallow

    def key(self) -> bytes:
        """Changes when HEAD or the branch it names moves: the history must be read again."""
        try:
            head = (self.git_dir / "HEAD").read_bytes()
        except OSError:
            return b""
        ref = head.removeprefix(b"ref:").strip().decode("utf-8", "replace") if head.startswith(b"ref:") else ""
        parts = [head]
        for folder in (self.git_dir, self.common_dir):
            if ref and (folder / ref).is_file():
                parts.append((folder / ref).read_bytes())
                break
        else:
            packed = self.common_dir / "packed-refs"
            parts.append(packed.read_bytes() if packed.is_file() else b"")
        return b"\0".join(parts)


def _git(content_dir: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(content_dir), "-c", "core.quotePath=false", *args],
                              input=stdin, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def find_repository(content_dir: Path) -> Repository | None:
    """The checkout the content folder is in, or None (not in git, or no git)."""
    out = _git(content_dir, "rev-parse", "--absolute-git-dir", "--git-common-dir")
    if out is None:
        return None
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) < 2:
        return None
    git_dir = Path(lines[0])
    common = Path(lines[1]) if Path(lines[1]).is_absolute() else (content_dir / lines[1]).resolve()
    return Repository(git_dir, common)


def parse_log(text: str, shallow: frozenset[str] = frozenset()) -> list[tuple[str, str, str, str, str]]:
    """`git log --raw --no-abbrev --format=%x01%H %cI` output -> (path, date, status, old blob,
    new blob), newest first. Changes of commits in `shallow` (a shallow clone's boundary) are left out."""
    rows = []
    commit, date = "", ""
    for line in text.split("\n"):
        if line.startswith("\x01"):
            commit, _, when = line[1:].partition(" ")
            date = when[:10]
        elif line.startswith(":") and "\t" in line and commit not in shallow:
            meta, path = line.split("\t", 1)
            fields = meta.split()
            if len(fields) >= 5 and path.endswith(".md") and not path.startswith('"'):
                rows.append((path, date, fields[4][:1], fields[2], fields[3]))
    return rows


def read_git(content_dir: Path, repository: Repository) -> list[Change] | None:
    """Every change to a card or document file, newest first, with the texts of the last
    MAX_ENTRIES changes of each file; None when git fails."""
    out = _git(content_dir, "log", "--no-renames", "--raw", "--no-abbrev", "--relative",
               "--format=%x01%H %cI", "--", *FOLDERS)
    if out is None:
        return None
    shallow_file = repository.common_dir / "shallow"
    shallow = frozenset(shallow_file.read_text().split()) if shallow_file.is_file() else frozenset()
    rows = parse_log(out.decode("utf-8", "replace"), shallow)
    counts: dict[str, int] = {}
    kept = []
    for row in rows:
        counts[row[0]] = counts.get(row[0], 0) + 1
        if counts[row[0]] <= MAX_ENTRIES + 2:  # a few spare for changes a reader does not see
            kept.append(row)
    wanted = sorted({blob for path, date, status, old, new in kept if status == "M" for blob in (old, new)})
    texts = _blobs(content_dir, wanted)
    if texts is None:
        return None
    return [Change(path, date, status, texts.get(old) if status == "M" else None,
                   texts.get(new) if status in "AM" else None)
            for path, date, status, old, new in kept]


def _blobs(content_dir: Path, ids: list[str]) -> dict[str, str] | None:
    """The texts of these blobs, from one `git cat-file --batch`."""
    if not ids:
        return {}
    out = _git(content_dir, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    if out is None:
        return None
    texts: dict[str, str] = {}
    at = 0
    for blob in ids:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        texts[blob] = out[at:at + size].decode("utf-8", "replace")
        at += size + 1
    return texts


@dataclass
class StateCache:
    """import-state.json as last read, read again only when its size or time changes (the preview)."""

    key: tuple[int, int] | None = None
    cards: dict[str, dict] | None = None

    def read(self, content_dir: Path) -> dict[str, dict]:
        """What the importer last wrote into each card ({} when the file is missing or damaged:
        import reports that)."""
        path = content_dir / STATE_FILE
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
            if key != self.key or self.cards is None:
                data = json.loads(path.read_bytes())
                cards = data.get("cards") if isinstance(data, dict) else None
                self.key, self.cards = key, cards if isinstance(cards, dict) else {}
        except (OSError, ValueError):
            self.key, self.cards = None, {}
        return self.cards
