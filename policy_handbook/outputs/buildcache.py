"""The build cache: what one `build.py build` leaves for the next, so that the next renders only
what changed (pipeline.Builder.resume / persist).

The cache is one pickle under the project's git-ignored .cache/build/, written atomically. It
is used only when everything it was made from still holds, and ignored otherwise (the build is
then a cold one; the cache is never the reason for a wrong page):

- the same code: a digest of the package's sources, the pinned requirements and the Python
  version heads the file; a damaged or truncated file, or one from other code, is not unpickled
  further than that;
- the same site: the pages of the last build are not copied into the cache; site/ holds them.
  The cache records each file's inode, size and times as written, and is used only when every
  one of them is still so (a page edited or replaced by hand, a preview's write or another
  build since, and the cache is ignored). SiteFiles reads a page back from site/ when needed.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections import ChainMap
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
MAGIC = b"policy-handbook build cache 1\n"
STATE_FILE = "state.pickle"

CTIME_MARGIN_NS = 2_000_000_000  # a file changed this close before a build started is read again
Signature = dict[str, tuple[int, int, int, int]]  # site path -> (inode, size, mtime_ns, ctime_ns)


@functools.cache
def code_version() -> bytes:
    """Changes whenever the code that made a cache could make other output: the package's
    sources, the pinned requirements and the Python version (read once per process)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(sys.version.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    requirements = PACKAGE.parent / "requirements.txt"
    if requirements.is_file():
        digest.update(requirements.read_bytes())
    return digest.hexdigest().encode()


def save(folder: Path, state: object) -> bool:
    """Write the state (atomically: a reader sees the previous cache or this one). False, with
    nothing changed, when it cannot be written (a read-only checkout: builds are then cold)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{STATE_FILE}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + code_version() + b"\n")
                pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / STATE_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False
    return True


def load(folder: Path) -> object | None:
    """The state saved by this code, or None: missing, damaged, or written by other code."""
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no cycles: collecting meanwhile only costs time
    try:
        with open(folder / STATE_FILE, "rb") as source:
            if source.readline() != MAGIC or source.readline() != code_version() + b"\n":
                return None
            return pickle.load(source)
    except Exception:  # any damage to the file: the build is a cold one
        return None
    finally:
        if enabled:
            gc.enable()


def discard(folder: Path) -> None:
    """Remove the cache (before a build that would make it describe the wrong site)."""
    try:
        (folder / STATE_FILE).unlink(missing_ok=True)
    except OSError:
        pass


def signature(root: Path, files: Iterable[str]) -> Signature | None:
    """How each file in root is now; None when one is missing."""
    found: Signature = {}
    try:
        for rel in files:
            stat = os.stat(root / rel)
            found[rel] = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    except OSError:
        return None
    return found


class SiteFiles(Mapping):
    """Pages of an earlier build that are in site/ and not in memory: read from there when asked
    for (few are: the build compares and writes only what it rendered), with the pages of this
    build over them."""

    def __init__(self, root: Path, keys: Iterable[str], fresh: Mapping[str, bytes] | None = None):
        self.root, self._keys = Path(root), tuple(keys)
        self._set = frozenset(self._keys)
        self.fresh = dict(fresh or {})  # rendered since: not in site/ yet

    def __getitem__(self, key: str) -> bytes:
        if key in self.fresh:
            return self.fresh[key]
        if key not in self._set:
            raise KeyError(key)
        return (self.root / key).read_bytes()

    def __contains__(self, key: object) -> bool:
        return key in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def over(self, new: Mapping[str, bytes], keys: Iterable[str]) -> "SiteFiles":
        """These files with `new` over them, limited to `keys` (in that order)."""
        keys = tuple(keys)
        wanted = frozenset(keys)
        fresh = {k: v for k, v in self.fresh.items() if k in wanted}
        fresh.update((k, v) for k, v in new.items() if k in wanted)
        return SiteFiles(self.root, keys, fresh)

    def __reduce__(self):
        return SiteFiles, (self.root, self._keys, self.fresh)


def changed_since(paths: Iterable[str], started: int) -> list[str]:
    """The files changed (or gone) since a build began at `started` (time.time_ns()): their
    inode change time says so even when their size and modification time were kept."""
    since, found = started - CTIME_MARGIN_NS, []
    for path in paths:
        try:
            if os.stat(path).st_ctime_ns >= since:
                found.append(path)
        except OSError:
            found.append(path)
    return found


def merged(new: dict[str, bytes], old: Mapping[str, bytes], keys: Iterable[str]) -> Mapping[str, bytes]:
    """The pages of this build: those rendered now over the last build's."""
    if isinstance(old, SiteFiles):
        return old.over(new, keys)
    return {out: new[out] if out in new else old[out] for out in keys}


def joined(pages: Mapping[str, bytes], extras: Mapping[str, bytes]) -> Mapping[str, bytes]:
    if isinstance(pages, dict) and isinstance(extras, dict):
        return {**pages, **extras}
    return ChainMap(extras, pages)  # pages (some in site/, read when asked for) and the other files
