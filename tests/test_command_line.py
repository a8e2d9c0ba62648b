"""The command line as an editor meets it first."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_a_python_without_the_dependencies_says_how_to_run_instead_of_a_traceback(tmp_path):
    # -S leaves out site-packages: the same interpreter without the pinned dependencies.
    result = subprocess.run([sys.executable, "-S", str(REPO / "build.py"), "check"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "ModuleNotFoundError" not in result.stderr
    assert "PyYAML" in result.stderr  # the first dependency it lacks, by its package name
    assert "make serve" in result.stderr and ".venv/bin/python build.py" in result.stderr


def test_each_make_target_runs_its_own_command():
    # `make build` is what the deploy workflow runs: it must build the site, nothing else.
    def planned(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-n", *args], capture_output=True, text=True, cwd=REPO)

    build = planned("build", "BASE_URL=/handbook/")
    assert "warning" not in build.stderr, build.stderr  # no target defined twice
    assert 'build.py --base-url "/handbook/" build' in build.stdout
    assert "scripts/bench_rebuild.py" in planned("bench-rebuild").stdout
    assert '-m "not browser" -n auto' in planned("test-fast").stdout
