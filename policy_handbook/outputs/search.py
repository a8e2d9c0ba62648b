"""Run Pagefind (the extended build, which splits Chinese into words) over a built site folder."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def index_site(site_dir: Path, output: Path | None = None) -> str:
    """Write site_dir/pagefind/ (or the bundle into `output`). Returns Pagefind's summary;
    raises SearchIndexError on failure. Pagefind dies with the process that started it (Linux),
    so a killed build never leaves it running."""
    command = [sys.executable, "-m", "pagefind_bin_extended", "--site", str(site_dir), "--quiet"]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                              preexec_fn=_die_with_parent())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout.strip()


_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """A preexec_fn that has the kernel kill the child when its parent goes (None off Linux).
    Pagefind's Python launcher execs the binary, which keeps the setting."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return preexec
