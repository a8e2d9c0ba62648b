#!/usr/bin/env python3
"""Benchmark: build a generated corpus of N cards and print wall time and peak memory.

    python scripts/benchmark.py --cards 10000      (or: make bench N=10000)

Also times the bundled seed handbook (median of several builds). Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policy_handbook.content.frontmatter import dump  # noqa: E402

WORDS = ("降低企业成本 优化营商环境 融资担保 用地保障 电力市场 物流运输 政务服务 证照分离 "
         "市场准入 人才引进 科技创新 政府采购 信用体系 法治保障 税费减免 小微企业 个体工商户").split()
AGENCIES = ["市发改委", "市财政局", "市经信委", "市市场监管局", "市人社局", "市自然资源局"]


def generate(root: Path, n_cards: int, per_document: int = 50) -> None:
    rng = random.Random(42)
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    n_docs = max(1, -(-n_cards // per_document))
    for d in range(n_docs):
        doc_id = f"bench-doc-{d}"
        series = {"series": {"name": f"知识点系列{d}", "label": "“48条”"}} if d % 5 == 0 else {}
        (root / "content/documents").mkdir(parents=True, exist_ok=True)
        (root / f"content/documents/{doc_id}.md").write_text(dump(
            {"id": doc_id, "title": f"第{d}号生成文件：关于{rng.choice(WORDS)}的若干措施",
             "issuer": "生成市人民政府", "date": f"20{10 + d % 15}-0{1 + d % 9}-1{d % 9}",
             "region": "生成市", **series}, "生成的基准测试文件。"), encoding="utf-8")
        folder = root / "content/cards" / doc_id
        folder.mkdir(parents=True)
        for i in range(1, min(per_document, n_cards - d * per_document) + 1):
            text = "，".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))) + "。"
            fields = {"id": f"{doc_id}-{i}", "title": f"{rng.choice(WORDS)}第{i}条",
                      "document": doc_id, "number": str(i)}
            if series:
                fields["series"] = {"group": f"第{1 + (i - 1) // 7}类", "issue": 1 + (i - 1) % 7}
            body = f"{text}（{'、'.join(rng.sample(AGENCIES, 2))}牵头负责）"
            (folder / f"{i}.md").write_text(dump(fields, body), encoding="utf-8")


def copy_seed(root: Path) -> Path:
    """A copy of the bundled handbook (content, templates, static, config) at root."""
    for folder in ("templates", "static", "content"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    return root


def timed_build(config: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(config), "build"],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--seed-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed = copy_seed(Path(tmp) / "seed")
        seed_times = [timed_build(seed / "config.yaml") for _ in range(args.seed_runs)]
        print(f"seed handbook: median {statistics.median(seed_times):.2f} s over {args.seed_runs} builds "
              f"(min {min(seed_times):.2f}, max {max(seed_times):.2f})")

        big = Path(tmp) / "big"
        started = time.perf_counter()
        generate(big, args.cards)
        print(f"generated {args.cards} cards in {time.perf_counter() - started:.1f} s")
        elapsed = timed_build(big / "config.yaml")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        pages = sum(1 for _ in (big / "site").rglob("*.html"))
        size = sum(p.stat().st_size for p in (big / "site").rglob("*") if p.is_file())
        # The largest child is the big build: its peak resident memory.
        print(f"{args.cards} cards: build {elapsed:.2f} s wall, peak memory {peak_kib / 1024:.0f} MiB, "
              f"{pages} pages, {size / 1_048_576:.1f} MiB written")


if __name__ == "__main__":
    main()
