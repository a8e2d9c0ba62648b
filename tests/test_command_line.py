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
