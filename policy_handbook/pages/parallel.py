"""Run one function over chunks of work in forked worker processes, for a cold build on several cores.

The children are forked after loading and linking, so they read the library, the page plans and
the compiled templates from the parent's memory (copy-on-write) instead of receiving them; each
sends back only its result, pickled through a pipe. The parent works on the first chunk itself.
Results come back in chunk order, so the output does not depend on how many workers there are.
Only for a one-shot build: forking a process that runs other threads (the preview) is unsafe.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def chunks(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`items` cut into `parts` runs of (nearly) equal length, in order."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for k in range(parts):
        end = start + size + (k < extra)
        out.append(items[start:end])
        start = end
    return [c for c in out if len(c)]


def fork_map(fn: Callable[[Sequence[T]], R], parts: list[Sequence[T]]) -> list[R]:
    """[fn(part) for part in parts], the parts after the first in child processes."""
    if len(parts) <= 1 or not can_fork():
        return [fn(part) for part in parts]
    children = [_spawn(fn, part) for part in parts[1:]]
    readers = [_Reader(fd) for _, fd in children]
    first = fn(parts[0])
    results = [first]
    for (pid, _), reader in zip(children, readers):
        reader.join()
        _, status = os.waitpid(pid, 0)
        if status != 0 or reader.data is None:
            raise RuntimeError(f"worker process {pid} failed (status {status})")
        results.append(pickle.loads(reader.data))
    return results


def _spawn(fn: Callable[[Sequence[T]], R], part: Sequence[T]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        code = 1
        try:
            _die_with(parent)
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(fn(part), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _die_with(parent: int) -> None:
    """A worker of a build that is killed goes too (Linux: the kernel sends it SIGKILL when its
    parent goes), instead of rendering on for nothing."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent went before the setting took
        os._exit(1)


PR_SET_PDEATHSIG = 1


class _Reader(threading.Thread):
    """Drains a child's pipe while the parent works, so that a full pipe never blocks the child."""

    def __init__(self, fd: int):
        super().__init__(daemon=True)
        self.fd, self.data = fd, None
        self.start()

    def run(self) -> None:
        with os.fdopen(self.fd, "rb") as pipe:
            self.data = pipe.read()
