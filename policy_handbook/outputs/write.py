"""Write the site atomically: build into a fresh folder beside site/, then swap it in.

A build that fails before the swap leaves the previous site/ exactly as it was.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping


def write_site(pages: dict[str, bytes], static_dir: Path, output_dir: Path,
               finish: Callable[[Path], None] | None = None) -> None:
    """Write pages and static files into a staging folder, run `finish` on it (the search
    index), then swap it in for output_dir. Any failure leaves output_dir as it was."""
    output_dir = output_dir.resolve()
    parent = output_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=parent))
    try:
        for rel, data in sorted(pages.items()):
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if static_dir.is_dir():
            shutil.copytree(static_dir, staging / "static", dirs_exist_ok=True)
        if finish is not None:
            finish(staging)
        _normalise_times(staging)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def update_site(output_dir: Path, changed: Mapping[str, bytes], removed: Iterable[str]) -> None:
    """Write changed files into output_dir in place and delete removed ones (a rebuild while
    serving). Each file is replaced atomically, so a reader sees the old page or the new one,
    never half of one; folders left empty are removed."""
    output_dir = output_dir.resolve()
    for rel, data in sorted(changed.items()):
        target = _inside(output_dir, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_bytes(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    for rel in sorted(removed):
        target = _inside(output_dir, rel)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != output_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _inside(root: Path, rel: str) -> Path:
    normal = posixpath.normpath(rel)
    if normal.startswith(("../", "/")) or normal in ("..", "."):
        raise ValueError(f"refusing to write outside the site: {rel}")
    return root / normal


def _normalise_times(root: Path) -> None:
    """Fixed permissions so that two builds of the same input are identical trees."""
    os.chmod(root, 0o755)
    for path in root.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def _swap(staging: Path, output_dir: Path) -> None:
    old = None
    if output_dir.exists():
        old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        output_dir.rename(old)
    staging.rename(output_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
