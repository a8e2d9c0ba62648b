"""Worker processes of a parallel render go with the build: a build that is killed leaves none rendering on."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from conftest import REPO

SLOW_WORKERS = """
import sys, time
sys.path.insert(0, sys.argv[1])
from policy_handbook.pages.parallel import fork_map
def work(part):
    if part[0] == 1:
        open(sys.argv[2], "w").write(str(__import__("os").getpid()))
    time.sleep(60)
    return part
fork_map(work, [[0], [1]])
"""


def test_a_killed_build_takes_its_worker_processes_with_it(tmp_path):
    pid_file = tmp_path / "worker.pid"
    build = subprocess.Popen([sys.executable, "-c", SLOW_WORKERS, str(REPO), str(pid_file)])
    try:
        for _ in range(300):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.1)
        worker = int(pid_file.read_text())
        build.send_signal(signal.SIGKILL)
        build.wait()
        for _ in range(100):
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(worker, signal.SIGKILL)
        raise AssertionError("the worker process outlived the killed build")
    finally:
        if build.poll() is None:
            build.kill()
