#!/usr/bin/env python3
"""Benchmark the live preview's rebuilds: one-card edits, a template edit, a static edit, against
the full build, on the seed handbook and on a generated corpus.

    python scripts/bench_rebuild.py --cards 10000      (or: make bench-rebuild N=10000)

Runs the preview's own build loop (watch.Preview) in-process, without the watcher and without
the background search refresh (timed apart at the end). An edit's rebuild keeps the edited
card's related cards; the pass that recomputes them when edits settle is timed apart too. Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchmark import copy_seed, generate  # noqa: E402
from policy_handbook.preview.live import LiveState  # noqa: E402
from policy_handbook.outputs.search import index_site  # noqa: E402
from policy_handbook.preview.watch import Preview  # noqa: E402


def timed(preview: Preview, label: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = preview.rebuild({label})
    seconds = time.perf_counter() - started
    if result is None or not result.ok:
        sys.exit(f"rebuild failed after {label}")
    return seconds, result.rendered, len(result.changed)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bench(root: Path, edits: int) -> None:
    lines: list[str] = []
    preview = Preview(root / "config.yaml", None, LiveState(), log=lines.append)
    preview.search.schedule = lambda: None  # timed apart below
    started = time.perf_counter()
    first = preview.rebuild()
    full = time.perf_counter() - started
    print(f"  full build (no search): {full:.2f} s, {first.pages} pages")

    cards = sorted((root / "content/cards").rglob("*.md"))
    step = max(1, len(cards) // edits)
    body, title = [], []
    for k in range(edits):
        card = cards[k * step]
        replace_in(card, "\n---\n\n", f"\n---\n\n第{k}次编辑：")
        body.append(timed(preview, str(card)))
        replace_in(card, "\ntitle: ", f"\ntitle: 改{k}")
        title.append(timed(preview, str(card)))
    settle = []
    for k in range(edits):
        card = cards[k * step + 1]
        replace_in(card, "\n---\n\n", f"\n---\n\n第{k}次再编辑：")
        timed(preview, str(card))
        started = time.perf_counter()
        preview.rebuild(settle=True)
        settle.append(time.perf_counter() - started)
    for name, runs in (("one-card text edit", body), ("one-card title edit", title)):
        seconds = [s for s, _, _ in runs]
        print(f"  {name}: median {statistics.median(seconds):.2f} s over {len(runs)} edits "
              f"(min {min(seconds):.2f}, max {max(seconds):.2f}); pages rendered median "
              f"{statistics.median(r for _, r, _ in runs):.0f}, written median {statistics.median(w for *_, w in runs):.0f}")
    print(f"  related-cards pass once edits settle: median {statistics.median(settle):.2f} s")
    replace_in(root / "templates/card.html", "</article>", "</article><!-- edited -->")
    seconds, rendered, written = timed(preview, str(root / "templates/card.html"))
    print(f"  template edit (card.html): {seconds:.2f} s, {rendered} pages rendered, {written} written")
    replace_in(root / "templates/base.html", "</body>", "<!-- edited --></body>")
    seconds, rendered, written = timed(preview, str(root / "templates/base.html"))
    print(f"  template edit (base.html): {seconds:.2f} s, {rendered} pages rendered, {written} written")
    replace_in(root / "static/style.css", "body", "/* edited */ body")
    seconds, rendered, written = timed(preview, str(root / "static/style.css"))
    print(f"  static edit (style.css): {seconds:.2f} s, {rendered} pages rendered")
    started = time.perf_counter()
    index_site(root / "site", output=root / ".pagefind-bench")
    print(f"  background search refresh: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed = copy_seed(Path(tmp) / "seed")
        print("seed handbook:")
        bench(seed, args.edits)
        if args.cards:
            big = Path(tmp) / "big"
            generate(big, args.cards)
            print(f"{args.cards} generated cards:")
            bench(big, args.edits)


if __name__ == "__main__":
    main()
