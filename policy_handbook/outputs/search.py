"""Run Pagefind (the extended build, which splits Chinese into words) over a built site folder."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def index_site(site_dir: Path, output: Path | None = None) -> str:
    """Write site_dir/pagefind/ (or the bundle into `output`). Returns Pagefind's summary;
    raises SearchIndexError on failure."""
    command = [sys.executable, "-m", "pagefind_bin_extended", "--site", str(site_dir), "--quiet"]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout.strip()
