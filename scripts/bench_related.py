#!/usr/bin/env python3
"""Benchmark related_cards on N generated cards: wall time, peak memory, related cards per card.

    python scripts/bench_related.py               (10,000 and then 100,000 cards)
    python scripts/bench_related.py --cards 50000

The cards are made of the seed sources (content/sources/*.txt), recombined with a fixed seed:
each source paragraph is a "matter"; a card takes a title and several clauses from one matter,
a few clauses of a second matter and one from anywhere, so cards of the same matter resemble
each other the way measures on one subject do across documents. N/50 documents; each card has
its matter's topic and perhaps a random second one, from content/taxonomy/topics.yaml.
Not a test: it asserts nothing. Each size runs in its own process, so peaks do not mix.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policy_handbook.library.related import RelatedInput, related_cards  # noqa: E402

CARDS_PER_DOCUMENT = 50
_CLAUSE = re.compile(r"[^，。；：！？,;:\n]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def matters(sources: Path) -> list[list[str]]:
    """Each source paragraph of some length, as its clauses."""
    found = []
    for path in sorted(sources.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            clauses = [c.strip() for c in _CLAUSE.findall(line) if len(_CJK.findall(c)) >= 4]
            if len(clauses) >= 3:
                found.append(clauses)
    return found


def generate(n_cards: int, seed: int = 42) -> list[RelatedInput]:
    rng = random.Random(seed)
    pool = matters(REPO / "content" / "sources")
    everything = [c for clauses in pool for c in clauses]
    topics = [t["name"] for t in yaml.safe_load((REPO / "content/taxonomy/topics.yaml").read_text("utf-8"))]
    matter_topic = [rng.choice(topics) for _ in pool]
    cards = []
    for i in range(n_cards):
        m, second = rng.randrange(len(pool)), rng.randrange(len(pool))
        main = pool[m]
        clauses = rng.choices(main, k=rng.randint(3, 8)) + rng.choices(pool[second], k=rng.randint(0, 3))
        clauses.append(rng.choice(everything))
        rng.shuffle(clauses)
        card_topics = {matter_topic[m]} | ({rng.choice(topics)} if rng.random() < 0.5 else set())
        cards.append(RelatedInput(
            id=f"bench-{i:06d}", document=f"bench-doc-{i // CARDS_PER_DOCUMENT}",
            title=min(main, key=len)[:24] if rng.random() < 0.3 else rng.choice(main)[:24],
            text="，".join(clauses) + "。", topics=tuple(sorted(card_topics))))
    return cards


def run(n_cards: int) -> None:
    started = time.perf_counter()
    cards = generate(n_cards)
    generated = time.perf_counter() - started
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    related = related_cards(cards)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    counts = [len(v) for v in related.values()]
    print(f"{n_cards} cards ({n_cards // CARDS_PER_DOCUMENT} documents, generated in {generated:.1f} s): "
          f"related_cards {elapsed:.1f} s, peak RSS {peak / 1024:.0f} MiB "
          f"(+{(peak - before) / 1024:.0f} MiB over the generated input), "
          f"{statistics.mean(counts):.2f} related per card, {counts.count(0)} with none", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, help="one size (default: 10000, then 100000)")
    args = parser.parse_args()
    if args.cards:
        run(args.cards)
        return
    for n in (10_000, 100_000):
        subprocess.run([sys.executable, __file__, "--cards", str(n)], check=True)


if __name__ == "__main__":
    main()
