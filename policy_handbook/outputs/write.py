"""Write the site atomically: build into a fresh folder beside site/, then swap it in.

A build that fails before the swap leaves the previous site/ exactly as it was. The swap
exchanges the two folders in one step (renameat2 RENAME_EXCHANGE on Linux, renamex_np on
macOS), so at every instant site/ is the previous build or the new one, however the build is
stopped. Where the filesystem cannot exchange, two renames are used; a build stopped between
them leaves the previous site as .site.old-*, and the next write puts it back first.

Every folder a write works in beside site/ (.site.new-*, .site.pagefind-new-*) is locked
(flock) while it is in use; the next write removes those whose process is gone, never those of
a build or preview still running. Only a folder that is new, empty or a previous build
(target.py) is ever replaced.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import posixpath
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .target import MARKER, MARKER_TEXT, UnsafeOutput, is_replaceable

LEFTOVER_KINDS = ("new", "old", "gone", "pagefind-new")  # .site.<kind>-… beside site/


def write_site(files: dict[str, bytes], output_dir: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Write the files (pages, extras and static files, as the build read them: nothing is read
    again, so no link is followed here) into a staging folder, run `finish` on it (the search
    index), then swap it in for output_dir. Any failure leaves output_dir as it was. Raises
    UnsafeOutput, and touches nothing, when output_dir holds anything but a previous build."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(output_dir)
    if not is_replaceable(output_dir):
        raise UnsafeOutput(f"{output_dir} 里有不是生成网站时写入的文件，它保持不变")
    with work_folder(output_dir, "new") as staging:
        for rel, data in sorted(files.items()):
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_bytes(target, data)
        _write_bytes(staging / MARKER, MARKER_TEXT)
        if finish is not None:
            finish(staging)
        _normalise_times(staging)
        _swap(staging, output_dir)


def write_changes(output_dir: Path, changed: Mapping[str, bytes], unchanged: Iterable[str],
                  finish: Callable[[Path], None] | None = None) -> None:
    """As write_site, for a build made from the one in output_dir (the build cache): the files
    in `unchanged` are hard-linked from output_dir into the staging folder (copied where the
    file system cannot link), the `changed` ones written; then `finish`, then the swap. Any
    failure leaves output_dir as it was (a linked file is never written to: the next build
    writes a new file in its place)."""
    output_dir = output_dir.resolve()
    recover(output_dir)
    if not is_replaceable(output_dir):
        raise UnsafeOutput(f"{output_dir} 里有不是生成网站时写入的文件，它保持不变")
    with work_folder(output_dir, "new") as staging:
        made: set[str] = set()
        source_root, target_root = str(output_dir), str(staging)
        for rel in sorted(unchanged):
            rel = _relative(rel)
            folder = posixpath.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(target_root, folder), exist_ok=True)
                made.add(folder)
            source, target = os.path.join(source_root, rel), os.path.join(target_root, rel)
            try:
                os.link(source, target)
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                shutil.copyfile(source, target)
        written = [staging / MARKER]
        for rel, data in sorted(changed.items()):
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_bytes(target, data)
            written.append(target)
        _write_bytes(staging / MARKER, MARKER_TEXT)
        before = set(_tree(staging)) if finish is not None else set()
        if finish is not None:
            finish(staging)
            written.extend(path for path in _tree(staging) if path not in before)
        _normalise_times(staging, written)
        _swap(staging, output_dir)


def _tree(root: Path) -> Iterator[Path]:
    for top, _, names in os.walk(root):
        for name in names:
            yield Path(top, name)


def update_site(output_dir: Path, changed: Mapping[str, bytes], removed: Iterable[str]) -> None:
    """Write changed files into output_dir in place and delete removed ones (a rebuild while
    serving). Each file is replaced atomically, so a reader sees the old page or the new one,
    never half of one; folders left empty are removed."""
    output_dir = output_dir.resolve()
    for rel, data in sorted(changed.items()):
        target = _inside(output_dir, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        try:
            _write_bytes(temporary, data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    for rel in sorted(removed):
        target = _inside(output_dir, rel)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != output_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


@contextlib.contextmanager
def work_folder(output_dir: Path, kind: str) -> Iterator[Path]:
    """A new folder beside output_dir (.<name>.<kind>-…), locked while in use and removed after
    (if still there): a later build sees that it is in use, or that its process is gone."""
    folder = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.{kind}-", dir=output_dir.parent))
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def recover(output_dir: Path) -> None:
    """After a build or preview that was killed: put the previous site back if it was stopped
    between two renames, and remove the folders it left beside output_dir. Best effort: a
    folder that cannot be removed now is tried again next time."""
    output_dir = output_dir.resolve()
    leftovers = sorted(p for kind in LEFTOVER_KINDS for p in output_dir.parent.glob(f".{output_dir.name}.{kind}-*")
                       if p.is_dir() and not p.is_symlink())
    for folder in leftovers:
        with _unused(folder) as unused:
            if not unused:
                continue
            try:
                if not output_dir.exists() and folder.name.startswith(f".{output_dir.name}.old-"):
                    folder.rename(output_dir)  # the previous build, complete: renamed away, not yet replaced
                else:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue


@contextlib.contextmanager
def _unused(folder: Path) -> Iterator[bool]:
    """Whether no running process holds folder's lock (held for the duration of the block)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes) -> None:
    """Every file a write makes goes through here (tests make it fail as a full disk does)."""
    path.write_bytes(data)


def _inside(root: Path, rel: str) -> Path:
    return root / _relative(rel)


def _relative(rel: str) -> str:
    normal = posixpath.normpath(rel)
    if normal.startswith(("../", "/")) or normal in ("..", "."):
        raise ValueError(f"refusing to write outside the site: {rel}")
    return normal


def _normalise_times(root: Path, files: Iterable[Path] | None = None) -> None:
    """Fixed permissions so that two builds of the same input are identical trees. With
    `files`, only those and the folders are set (files linked from the last build were set
    when it wrote them)."""
    os.chmod(root, 0o755)
    if files is None:
        for path in root.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        return
    for top, dirs, _ in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(top, name), 0o755)
    for path in files:
        os.chmod(path, 0o644)


def _swap(staging: Path, output_dir: Path) -> None:
    """Put staging in output_dir's place; the previous site is removed after."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    if _exchange(staging, output_dir):
        previous = staging  # the exchange left the previous site under the staging name
    else:
        previous = output_dir.with_name(f".{output_dir.name}.old-{staging.name.rsplit('-', 1)[-1]}")
        fd = os.open(output_dir, os.O_RDONLY)  # locked: a build starting now must not put it back
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            output_dir.rename(previous)
            try:
                staging.rename(output_dir)
            except BaseException:
                previous.rename(output_dir)
                raise
        finally:
            os.close(fd)
    gone = previous.with_name(f".{output_dir.name}.gone-{previous.name.rsplit('-', 1)[-1]}")
    try:  # the new site is in place: what is left here, the next write removes
        previous.rename(gone)  # renamed first: never taken for a complete previous site
        shutil.rmtree(gone, ignore_errors=True)
    except OSError:
        pass


_RENAME_EXCHANGE = 2  # Linux renameat2 flag; macOS renamex_np's RENAME_SWAP has the same value
_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one step. False, with nothing changed, where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        done = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        done = libc.renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_EXCHANGE)
    else:
        return False
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(b))


# The system's words for the usual reasons, as an editor reads them (others as the system says them).
REASONS = {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "磁盘是只读的",
           errno.EACCES: "没有权限", errno.EPERM: "不允许这样操作"}


def write_error(exc: OSError, output_dir: Path) -> tuple[str, str]:
    """(what is wrong, what to do) for a site that could not be written: a full disk, a
    read-only or forbidden folder."""
    said = REASONS.get(exc.errno) or exc.strerror or str(exc)
    what = f"无法把网站写入 {output_dir.resolve()}：{said}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return what, "在那个磁盘上腾出一些空间"
    if exc.errno == errno.EROFS:
        return what, "把 config.yaml 里的 output_dir 改成可写磁盘上的文件夹"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return what, ("开放写入那里的权限（chmod、chown），或把 config.yaml 里的 output_dir 改成别的文件夹")
    return what, "检查那个磁盘和那个文件夹"
