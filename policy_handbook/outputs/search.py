"""Run Pagefind (the extended build, which splits Chinese into words) over a built site folder."""
from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .searchdata import strip_fragments


class SearchIndexError(Exception):
    pass


CARD_PAGES = "cards/**/*.html"  # paths.Urls.card: every card page, and nothing else
# Pagefind holds every page's words until it writes the index: about 400 KB a card with the
# search tokens (4 GB at 10,000 cards, linear). Above this many cards the index is made in
# shards, one Pagefind run each, so that no run needs more than ~4 GB: the first shard is the
# bundle itself, the others are bundles in its subfolders, listed in SHARDS for the search page
# (static/searchindex.js) to read alongside. Each shard costs a query one more metadata file and
# chunk per word, so a handbook of up to this many cards keeps one index.
SHARD_CARDS = 10000
SHARDS = "shards.json"  # in the bundle: ["shard-2", …], the other shards' folders ([] when one)


def index_site(site_dir: Path, output: Path | None = None, shard_cards: int = SHARD_CARDS) -> str:
    """Write site_dir/pagefind/ (or the bundle into `output`). Returns Pagefind's summary;
    raises SearchIndexError on failure (OSError when the disk is full). Pagefind dies with the
    process that started it (Linux), so a killed build never leaves it running."""
    bundle = output or site_dir / "pagefind"
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob(CARD_PAGES))
    shards = max(1, -(-len(pages) // shard_cards))
    if shards == 1:
        said = [_pagefind(site_dir, output)]
        names: list[str] = []
    else:
        size = -(-len(pages) // shards)
        names = [f"shard-{k}" for k in range(2, shards + 1)]
        said = [_index_shard(site_dir, pages[k * size:(k + 1) * size], bundle, bundle / name if k else bundle)
                for k, name in enumerate(["", *names])]
    for folder in [bundle, *(bundle / name for name in names)]:
        for name in UNUSED:
            for path in folder.glob(name):
                path.unlink()
        check_bundle(folder, skip=names if folder == bundle else ())
    (bundle / SHARDS).write_text(json.dumps(names), encoding="utf-8")
    try:
        write_sorts(bundle, [bundle / name for name in names])
        for folder in [bundle, *(bundle / name for name in names)]:
            strip_fragments(folder)  # to what a result shows: the page reads the rest from the index
    except (ValueError, KeyError, AttributeError, EOFError, gzip.BadGzipFile) as exc:
        raise SearchIndexError(f"Pagefind 写出的搜索索引读不出排序信息（{exc}），磁盘是不是满了？") from exc
    return "\n".join(said)


def _index_shard(site_dir: Path, pages: list[str], bundle: Path, output: Path) -> str:
    """One shard: its card pages linked (hard links: no copy) into a folder of their own inside
    the bundle, under the same paths, so that Pagefind gives them the same URLs; the folder is
    removed after (a killed build's bundle goes with its staging folder)."""
    bundle.mkdir(parents=True, exist_ok=True)
    farm = Path(tempfile.mkdtemp(prefix=".pages-", dir=bundle))
    try:
        for rel in pages:
            target = farm / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / rel, target)
            except OSError:
                shutil.copyfile(site_dir / rel, target)
        return _pagefind(farm, output)
    finally:
        shutil.rmtree(farm, ignore_errors=True)


def _pagefind(site_dir: Path, output: Path | None) -> str:
    """Run Pagefind on the card pages under site_dir."""
    # Only card pages are searchable (they alone carry data-pagefind-body): Pagefind reads no other
    # page, which at 10,000 cards is most of its time and memory.
    command = [sys.executable, "-c", LAUNCHER, str(os.getpid()), "--site", str(site_dir), "--quiet",
               "--glob", CARD_PAGES]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"无法运行 Pagefind：{exc}") from exc
    if done.returncode != 0:
        said = " | ".join(line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip())
        raise SearchIndexError(f"Pagefind 出错：{said[-1000:]}")
    return done.stdout.strip()


# Pagefind's ready-made interfaces and its search program: the search page reads the index
# files itself (static/searchindex.js). Glob patterns.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
          "pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


SORTS = "sort.json.gz"  # in the bundle, beside Pagefind's files
VALIDITY = "validity.json"  # card id -> [stated status, until], for cards that state one
NO_DEADLINE, NO_DATE = "9999-12-31", "0000"  # a card without one sorts last, never drops out


def write_sorts(bundle: Path, shards: list[Path] = ()) -> None:
    """bundle/sort.json.gz: {"deadline": page ids, earliest deadline first; "date": page ids,
    newest document first}; a page's id is its fragment's name, ties go by URL. search.js
    fetches it only when a reader sorts: as Pagefind sort keys, the same orders sat in the
    metadata file that every search fetches first."""
    rows = []
    for path in [p for folder in (bundle, *shards) for p in sorted((folder / "fragment").glob("*.pf_fragment"))]:
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        meta = data.get("meta", {})
        rows.append((path.name.removesuffix(".pf_fragment"), data.get("url", ""),
                     meta.get("deadline") or NO_DEADLINE, meta.get("date") or NO_DATE,
                     meta.get("vs", ""), meta.get("vu", "")))
    by_url = sorted(rows, key=lambda r: r[1])
    orders = {"deadline": [r[0] for r in sorted(by_url, key=lambda r: r[2])],
              "date": [r[0] for r in sorted(by_url, key=lambda r: r[3], reverse=True)]}
    text = json.dumps(orders, separators=(",", ":")).encode()
    (bundle / SORTS).write_bytes(gzip.compress(text, mtime=0))
    # What each card states of its validity (status, until), for search.js to put what is no
    # longer in force after the rest by default; only the cards that state something.
    validity = {r[0]: [r[4], r[5]] for r in by_url if r[4] or r[5]}
    (bundle / VALIDITY).write_text(json.dumps(validity, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


PROBE_BYTES = 64 * 1024  # Pagefind failed to write if not even this fits


def check_bundle(bundle: Path, skip: Iterable[str] = ()) -> None:
    """Pagefind 1.5 reports success even when the disk filled up under it: there must still be
    room left on the disk, and its index files (gzip) must read to their end. Raises OSError
    (ENOSPC) or SearchIndexError."""
    probe = bundle / ".room-left"
    try:
        with open(probe, "wb") as file:
            file.write(bytes(PROBE_BYTES))
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:
        raise OSError(exc.errno or errno.ENOSPC, exc.strerror or "No space left on device", str(bundle)) from exc
    finally:
        probe.unlink(missing_ok=True)
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        for language in entry["languages"].values():
            if not (bundle / f"pagefind.{language['hash']}.pf_meta").is_file():
                raise SearchIndexError(f"缺少 pagefind.{language['hash']}.pf_meta")
        for path in sorted(bundle.rglob("*")):
            if path.relative_to(bundle).parts[0] in skip:
                continue  # another shard, checked on its own
            if path.is_file() and path.read_bytes()[:2] == b"\x1f\x8b":
                gzip.decompress(path.read_bytes())
    except (SearchIndexError, ValueError, KeyError, TypeError, AttributeError, EOFError, gzip.BadGzipFile) as exc:
        raise SearchIndexError(f"Pagefind 写出的搜索索引不完整（{exc}），磁盘是不是满了？") from exc


# Starts Pagefind so that it dies with the process that started it: the kernel sends it SIGKILL
# when its parent goes (Linux prctl PR_SET_PDEATHSIG; Pagefind's launcher then execs the binary,
# which keeps the setting). Elsewhere it just starts Pagefind.
LAUNCHER = """
import ctypes, os, runpy, sys
parent = int(sys.argv[1])
try:
    ctypes.CDLL(None).prctl(1, 9)
except (OSError, AttributeError):
    pass
if os.getppid() != parent:
    sys.exit("the build that started Pagefind is gone")
sys.argv = ["pagefind", *sys.argv[2:]]
runpy.run_module("pagefind_bin_extended", run_name="__main__")
"""
