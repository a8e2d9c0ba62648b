"""Live preview: watch the project, rebuild after each burst of changes, tell the open tabs, and
refresh the search index in the background once the changes settle.

The watcher only records paths; one loop takes them after a quiet moment (a save of several
files or a `git checkout` is one rebuild) and runs the Builder, which works out from the
files themselves what changed. Related cards, which depend on every card's text, are left as
they were for an edited card and computed in a second pass once the edits settle. A failed build writes nothing: the last good pages stay served
and the tabs show the errors. Nothing that happens to the content stops the server.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..config import Config, load_config
from ..errors import Diagnostics
from ..outputs.search import SearchIndexError, index_site
from ..outputs.target import UnsafeOutput, check_output
from ..outputs.write import recover, update_site, work_folder, write_error, write_site
from ..pipeline import Builder, BuildResult
from .live import LiveState
from .quick import quick_build

DEBOUNCE_SECONDS = 0.2  # quiet time that ends a burst of changes
LONGEST_BURST_SECONDS = 3.0  # rebuild anyway when changes keep coming for this long
SETTLE_SECONDS = 1.0  # quiet time after an edit before related cards are computed again
SEARCH_SETTLE_SECONDS = 1.5  # quiet time after the last rebuild before the search index is refreshed
LONGEST_RETRY_SECONDS = 30.0  # a site that could not be written (disk full) is tried again at most this far apart
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


class ChangeQueue:
    """Paths reported by the watcher, taken in bursts by the build loop."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._paths: set[str] = set()
        self._last = 0.0

    def add(self, path: str) -> None:
        with self._ready:
            self._paths.add(path)
            self._last = time.monotonic()
            self._ready.notify_all()

    def take(self, stop: threading.Event, debounce: float = DEBOUNCE_SECONDS,
             longest: float = LONGEST_BURST_SECONDS, idle: float | None = None) -> set[str]:
        """The next burst: wait for a change, then until none came for `debounce` seconds.
        Empty when `stop` is set or, with `idle`, when no change came for that long."""
        waited = time.monotonic()
        with self._ready:
            while not self._paths:
                if stop.is_set() or (idle is not None and time.monotonic() - waited >= idle):
                    return set()
                self._ready.wait(0.5 if idle is None else min(0.5, max(0.01, idle - (time.monotonic() - waited))))
            first = time.monotonic()
            while (quiet := time.monotonic() - self._last) < debounce and time.monotonic() - first < longest:
                self._ready.wait(debounce - quiet)
            taken, self._paths = self._paths, set()
            return taken


def is_scratch(path: str) -> bool:
    """Editor swap files, lock files and half-downloaded files: never content."""
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(_SCRATCH_SUFFIXES) or name == "4913"


class _Recorder(FileSystemEventHandler):
    def __init__(self, queue: ChangeQueue, wanted: Callable[[str], bool]):
        self.queue, self.wanted = queue, wanted

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self.wanted(str(path)):
                self.queue.add(str(path))


def start_watching(config: Config, config_path: Path, queue: ChangeQueue) -> Observer:
    """Watch content/, templates/, static/ and the config file."""
    folders = [p.resolve() for p in (config.content_path, config.templates_path, config.static_path) if p.is_dir()]
    config_file = str(config_path.resolve())

    def wanted(path: str) -> bool:
        return path == config_file or not is_scratch(path)

    observer = Observer()
    for folder in folders:
        observer.schedule(_Recorder(queue, wanted), str(folder), recursive=True)
    observer.schedule(_Recorder(queue, lambda p: p == config_file), str(Path(config_file).parent), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


class SearchRefresher:
    """Re-index the site with Pagefind in the background, once rebuilds have settled; the new
    index replaces site/pagefind/ in one rename."""

    def __init__(self, output_dir: Path, log: Callable[[str], None], settle: float = SEARCH_SETTLE_SECONDS):
        self.output_dir, self.log, self.settle = output_dir.resolve(), log, settle
        self._due: float | None = None
        self._stale: set[str] = set()  # files of the index before the last one, removed at the next refresh
        self._wake = threading.Condition()
        self.refreshed = 0  # how many times the index was refreshed (for tests and messages)
        threading.Thread(target=self._run, name="search-refresh", daemon=True).start()

    def schedule(self) -> None:
        with self._wake:
            self._due = time.monotonic() + self.settle
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due is None or time.monotonic() < self._due:
                    self._wake.wait(None if self._due is None else self._due - time.monotonic())
                self._due = None
            self._refresh()

    def _refresh(self) -> None:
        started = time.monotonic()
        # A folder of its own, locked while in use: the next build removes it if this preview
        # is killed (Pagefind dies with it).
        try:
            with work_folder(self.output_dir, "pagefind-new") as bundle:
                index_site(self.output_dir, output=bundle)
                self._stale = merge_bundle(bundle, self.output_dir / "pagefind", self._stale)
        except (SearchIndexError, OSError) as exc:
            self.log(f"搜索索引没有更新：{exc}")
            return
        self.refreshed += 1
        self.log(f"搜索索引已更新，用时 {time.monotonic() - started:.2f} 秒")


ENTRY = "pagefind-entry.json"  # what a search page reads first: it names the index files to fetch


def merge_bundle(bundle: Path, target: Path, stale: set[str]) -> set[str]:
    """Move a new Pagefind bundle into target/ without pulling files from under an open search
    page: new files first, the entry file last (each by rename); the previous index's files stay
    one more refresh, then go. Returns the files to remove at the next refresh."""
    target.mkdir(parents=True, exist_ok=True)
    before = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    incoming = sorted((p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()),
                      key=lambda rel: rel == ENTRY)
    for rel in incoming:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(bundle / rel, target / rel)
    shutil.rmtree(bundle, ignore_errors=True)
    for rel in stale - set(incoming):
        (target / rel).unlink(missing_ok=True)
    return before - set(incoming)


class Preview:
    """The build side of `build.py serve`: one build loop over a Builder, publishing to tabs."""

    def __init__(self, config_path: Path, base_url: str | None, live: LiveState,
                 log: Callable[[str], None] = lambda line: print(line, flush=True)):
        self.config_path, self.base_url, self.live, self.log = config_path, base_url, live, log
        diagnostics = Diagnostics()
        # A broken config.yaml does not stop the preview either: the settings that are valid (or
        # the defaults) are used to serve, and its errors are shown until it is fixed.
        self.config = load_config(config_path, diagnostics, base_url=base_url)
        self.config_ok = not diagnostics
        self.builder = Builder(self.config)
        self.search = SearchRefresher(self.config.output_path, log)
        self.written = False  # whether a good build has been written since the server started
        self.unwritten = False  # the last good build could not be written (disk full): write it whole, again
        self._write_failures = 0  # in a row: the retries wait longer each time
        self._stuck = False  # the last build failed on the content or crashed: nothing to redo until a save
        self._warnings: list = []  # the warnings of the last good build, printed when they change
        # A folder the preview must not replace (outputs/target.py) is never written; changing
        # output_dir takes a restart, so `build.py serve` stops on it.
        self.output_ok = check_output(self.config, diagnostics, config_path)
        if self.output_ok:
            recover(self.config.output_path)  # what a killed build or preview left beside site/
        if not self.config_ok:
            self._failed(diagnostics)
        elif not self.output_ok:
            self.log(diagnostics.report())

    def rebuild(self, paths: set[str] = frozenset(), settle: bool = False) -> BuildResult | None:
        """Build and publish; never raises (a crash is shown like a content error). Related cards
        of edited cards are computed by a `settle` pass once the edits stop (run() does it)."""
        started = time.perf_counter()
        try:
            # A quick rebuild starts from the last good build: only while the last build passed
            # (else it would hide the errors still in the content).
            clean, self._stuck = not self._stuck, True  # until this build passes
            if (not self.config_ok or str(self.config_path.resolve()) in paths) and not self._reload_config():
                return None
            quick = quick_build(self.builder, paths) if paths and clean and not settle else None
            result = quick or self.builder.build(later=not settle)
            if not result.ok:
                self._failed(result.diagnostics)
                return result
            self._stuck = False
            initial = not self.written
            try:
                written = self._write(result)
            except (OSError, UnsafeOutput) as exc:
                self._write_failed(exc)
                return None
            if not result.quick:  # a quick rebuild reports nothing: its warnings are the last build's
                self._warn(result.diagnostics)
        except Exception as exc:  # a bug must not stop the preview: show it and keep serving
            self.log(traceback.format_exc())
            crash = Diagnostics()
            crash.error("build.py", 0, f"生成过程崩溃了：{type(exc).__name__}: {exc}",
                        "这是 policy-handbook 的程序错误，错误追踪（traceback）在终端里")
            kept = "仍在提供上次成功生成的页面" if self.written else "还没有生成过任何页面"
            self._failed(crash, f"生成过程崩溃了：{kept}；请把上面的错误追踪报告给开发者")
            return None
        self.live.built(written, result.static + result.static_removed)
        line = _summary(result, paths, time.perf_counter() - started, self.config.project_dir,
                        "initial" if initial else "settle" if settle else "edit")
        self.log(line + ("；相关措施和开放数据等停止编辑后再更新" if self.builder.pending else ""))
        gc.collect()  # now, while the editor reads the page, rather than during the next rebuild
        gc.freeze()  # what survived is the long-lived library: later collections skip it
        if written or result.static or result.static_removed:
            self.search.schedule()
        return result

    def _reload_config(self) -> bool:
        diagnostics = Diagnostics()
        config = load_config(self.config_path, diagnostics, base_url=self.base_url)
        self.config_ok = not diagnostics
        if diagnostics:
            self._failed(diagnostics)
            return False
        for key in ("output_dir", "base_url"):  # what the running server was started with
            if getattr(config, key) != getattr(self.config, key):
                self.log(f"{self.config_path.name} 里的 {key} 改了：重新启动 `build.py serve` 才会生效")
                config = dataclasses.replace(config, **{key: getattr(self.config, key)})
        if config != self.config:
            self.config, self.builder = config, Builder(config)
        return True

    def _write(self, result: BuildResult) -> list[str]:
        """Write what changed; the first good build, and the first after a failed write, replace
        the folder whole. The pages written."""
        output = self.config.output_path
        if not self.output_ok:
            raise UnsafeOutput(f"output_dir“{self.config.output_dir}”不能用来存放网站（见上文）")
        whole = not self.written or self.unwritten
        self.unwritten = True  # until this write is done: a write that fails half-way is redone whole
        if whole or len(result.changed) > result.pages / 2:
            # A new folder swapped in is quicker than replacing most files one by one; the
            # old search index is kept until the refreshed one replaces it.
            write_site({**result.site, **result.static_files}, output, finish=lambda staging: _keep_search(output, staging))
            pages = sorted(result.site) if whole else sorted(result.changed) + list(result.removed)
        else:
            static = self.builder.last.static
            update_site(output, {**result.changed, **{name: static[name] for name in result.static}},
                        result.removed + result.static_removed)
            pages = sorted(result.changed) + list(result.removed)
        self.written, self.unwritten, self._write_failures = True, False, 0
        return pages

    def _write_failed(self, exc: Exception) -> None:
        """A good build that could not be written (a full disk, a read-only folder): one line,
        and the whole site is written again at the next save or retry."""
        self._write_failures += 1
        output = self.config.output_path
        failure = Diagnostics()
        if isinstance(exc, OSError):
            message, hint = write_error(exc, output)
            failure.error(self.config.output_dir, 0, message, f"{hint}，预览会自动重试")
        else:
            failure.error(self.config.output_dir, 0, str(exc),
                          "把那些文件移走，预览会自动重试")
        kept = "仍在提供上次成功生成的页面" if self.written else "还没有生成过任何页面"
        self._failed(failure, f"网站没能写入：{kept}")

    @property
    def retry_seconds(self) -> float:
        """How long the build loop waits, without edits, before the settle pass or a write retry."""
        return min(SETTLE_SECONDS * 2 ** max(0, self._write_failures - 1), LONGEST_RETRY_SECONDS)

    def _warn(self, diagnostics: Diagnostics) -> None:
        """Print the content's warnings when they differ from the last build's (not on every save)."""
        warnings = diagnostics.warnings
        if warnings != self._warnings and warnings:
            self.log("\n".join(str(w) for w in warnings) + f"\n{len(warnings)} 个警告；页面已生成")
        self._warnings = warnings

    def _failed(self, diagnostics: Diagnostics, headline: str = "") -> None:
        self.log(diagnostics.report())
        kept = "仍在提供上次成功生成的页面" if self.written else "还没有生成过任何页面"
        self.log(headline or f"生成失败：{kept}；改好文件并保存")
        self.live.failed(diagnostics, site_kept=self.written)

    @property
    def due(self) -> bool:
        """Whether a settle pass is due once the edits stop: related cards or open data were
        kept from before an edit, or the last good build could not be written."""
        return not self._stuck and (self.builder.pending or self.unwritten)

    def run(self, stop: threading.Event) -> None:
        """Watch and rebuild until `stop` is set."""
        queue = ChangeQueue()
        observer = start_watching(self.config, self.config_path, queue)
        try:
            while not stop.is_set():
                pending = self.due
                paths = queue.take(stop, idle=self.retry_seconds if pending else None)
                if paths:
                    self.rebuild(paths)
                elif pending and not stop.is_set():
                    self.rebuild(settle=True)
        finally:
            observer.stop()


def _keep_search(output: Path, staging: Path) -> None:
    if (output / "pagefind").is_dir():
        shutil.copytree(output / "pagefind", staging / "pagefind")


def _summary(result: BuildResult, paths: set[str], seconds: float, project: Path, kind: str) -> str:
    """'content/cards/x/19.md 改动后重新生成，用时 0.21 秒：369 个页面中渲染了 13 个，写入 1 个：cards/x/'"""
    def shown(items: list[str], limit: int = 3) -> str:
        more = f" 等 {len(items)} 个" if len(items) > limit else ""
        return "、".join(items[:limit]) + more

    if kind == "initial":
        return f"已生成 {result.pages} 个页面，用时 {seconds:.2f} 秒；搜索索引在后台生成"
    sources = sorted(_relative(p, project) for p in paths if "." in Path(p).name)  # not sed's temporary files
    written = [_page_url(p) for p in sorted(result.changed)]
    parts = [f"{result.pages} 个页面中渲染了 {result.rendered} 个", f"写入 {len(result.changed)} 个"]
    if result.removed:
        parts.append(f"删除 {len(result.removed)} 个")
    if result.static or result.static_removed:
        parts.append(f"复制或删除静态文件 {len(result.static) + len(result.static_removed)} 个")
    line = (f"{shown(sources)} 改动后" if sources else "") + f"重新生成，用时 {seconds:.2f} 秒"
    if kind == "settle":
        line = f"相关措施和开放数据已更新，用时 {seconds:.2f} 秒"
    return f"{line}：{'，'.join(parts)}" + (f"：{shown(written)}" if written else "")


def _relative(path: str, project: Path) -> str:
    try:
        return Path(path).resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path


def _page_url(out: str) -> str:
    return out[: -len("index.html")] if out.endswith("index.html") else out
