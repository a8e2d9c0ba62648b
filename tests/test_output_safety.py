"""The output folder: only a folder of its own is ever replaced; the swap leaves a complete site/
at every instant, however the build is stopped; a full or read-only disk is one line."""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Project
from test_build import stable

import build as command_line
from policy_handbook.outputs import write
from policy_handbook.outputs.target import MARKER


def small(project: Project, cards: int = 12) -> Project:
    project.document("demo")
    for n in range(1, cards + 1):
        project.card(str(n), body=f"第{n}条的正文。")
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def set_output(project: Project, value: str) -> None:
    text = (project.root / "config.yaml").read_text(encoding="utf-8")
    lines = [f"output_dir: {value}" if line.startswith("output_dir:") else line for line in text.splitlines()]
    (project.root / "config.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def output_line(project: Project) -> int:
    lines = (project.root / "config.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith("output_dir:"))


def files_around(project: Project) -> dict[Path, bytes]:
    """Every file in the project's parent folder, but the build's own cache (compiled templates)."""
    return {p: p.read_bytes() for p in project.root.parent.rglob("*")
            if p.is_file() and ".cache" not in p.relative_to(project.root.parent).parts}


def beside(project: Project) -> list[str]:
    """What builds leave beside site/: staging folders, previous sites, search bundles."""
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site."))


# --- output_dir may only name a folder of its own (issue 12, item 1) ---

@pytest.mark.parametrize("value, what", [
    (".", "它就是项目文件夹"),
    ("..", "它包含项目文件夹"),
    ("content", "它就是 content 文件夹，"),
    ("content/cards", "它在 content 文件夹里面"),
    ("templates", "它就是 templates 文件夹"),
    ("static", "它就是 static 文件夹"),
    ("notes", "它里面有不是生成网站时写入的文件（a.txt）"),
    ("config.yaml", "它是一个文件，不是文件夹"),
])
def test_an_output_dir_that_is_not_a_folder_of_its_own_is_a_config_error_and_nothing_is_touched(
        project, value, what):
    small(project, 2)
    project.write("notes/a.txt", "editors' notes")
    (project.root.parent / "beside.txt").write_text("not the project's")
    set_output(project, value)
    everything = files_around(project)
    done = project.run("build")
    assert done.returncode == 1
    error = f"config.yaml:{output_line(project)}: 错误：output_dir“{value}”不能用来存放网站：{what}"
    assert error in done.stderr, done.stderr
    assert "把 config.yaml 里的 output_dir 改成专用的文件夹" in done.stderr
    assert files_around(project) == everything
    assert not (project.root / "site").exists() and beside(project) == []


def test_the_output_check_is_reported_with_the_content_errors(project):
    small(project, 2)
    project.card("3", title="")
    set_output(project, ".")
    done = project.run("build")
    assert done.returncode == 1
    assert "output_dir“.”不能用来存放网站" in done.stderr
    assert "content/cards/demo/3.md" in done.stderr
    checked = project.run("check")  # what check passes, build does
    assert checked.returncode == 1 and "output_dir“.”不能用来存放网站" in checked.stderr


def test_a_new_empty_or_previously_built_folder_is_replaced(project):
    small(project, 2)
    set_output(project, "public/handbook")
    assert project.run("build").returncode == 0  # new (with a new parent)
    built = project.root / "public/handbook"
    assert (built / MARKER).is_file() and (built / "cards/demo-1/index.html").is_file()
    (built / "cards/demo-1/index.html").write_text("stale")
    assert project.run("build").returncode == 0  # marked: a previous build
    assert (built / "cards/demo-1/index.html").read_text(encoding="utf-8") != "stale"
    (built / MARKER).unlink()  # a site built before the marker existed: only what a build writes
    (built / ".index.html.new").write_text("a page the preview was replacing when it was stopped")
    assert project.run("build").returncode == 0
    assert not (built / ".index.html.new").exists()
    assert (built / MARKER).is_file()
    shutil.rmtree(built)
    built.mkdir()
    assert project.run("build").returncode == 0  # empty
    assert (built / "index.html").is_file()


def test_a_previous_build_with_a_foreign_file_and_no_marker_is_refused(project):
    small(project, 2)
    assert project.run("build").returncode == 0
    (project.site / MARKER).unlink()
    (project.site / "report.docx").write_text("someone's work")
    done = project.run("build")
    assert done.returncode == 1 and "有不是生成网站时写入的文件（report.docx）" in done.stderr
    assert (project.site / "report.docx").read_text() == "someone's work"


def test_the_preview_does_not_start_on_an_output_dir_it_must_not_replace(project):
    small(project, 2)
    set_output(project, ".")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(project.root / "config.yaml"),
                           "serve", "--port", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "output_dir“.”不能用来存放网站：它就是项目文件夹" in done.stdout + done.stderr
    assert "预览没有启动：改好 config.yaml 里的 output_dir，再运行 build.py serve" in done.stderr
    assert not (project.root / "site").exists() and beside(project) == []


# --- leftovers of killed builds (issue 12, item 5) ---

def test_a_build_removes_what_killed_builds_left_and_keeps_what_running_ones_use(project):
    small(project, 2)
    assert project.run("build").returncode == 0
    for name in (".site.new-abc", ".site.old-123", ".site.gone-x", ".site.pagefind-new-y"):
        project.write(f"{name}/cards/page.html", "half")
    in_use = project.root / ".site.new-running"
    in_use.mkdir()
    fd = os.open(in_use, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build or preview still running holds it
        assert project.run("build").returncode == 0
        assert beside(project) == [".site.new-running"]
    finally:
        os.close(fd)
    assert project.run("build").returncode == 0
    assert beside(project) == []


def test_a_previous_site_renamed_away_is_put_back_before_anything_else(project):
    """A build stopped between the two renames of the fallback swap left no site/."""
    small(project, 2)
    assert project.run("build").returncode == 0
    previous = tree(project.site)
    project.site.rename(project.root / ".site.old-4242")
    write.recover(project.site)
    assert tree(project.site) == previous and beside(project) == []


def test_without_an_exchange_the_two_renames_give_the_same_site(project, monkeypatch):
    small(project, 2)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    assert command_line.main(["--config", str(project.root / "config.yaml"), "build"]) == 0
    first = tree(project.site)
    project.card("2", title="改过的标题")
    assert command_line.main(["--config", str(project.root / "config.yaml"), "build"]) == 0
    assert "改过的标题".encode() in (project.site / "cards/demo-2/index.html").read_bytes()
    assert len(tree(project.site)) == len(first) and beside(project) == []


# --- a full or read-only disk is one line (issue 12, "crashes") ---

@pytest.mark.parametrize("code, strerror, advice", [
    (errno.ENOSPC, "磁盘空间已满", "在那个磁盘上腾出一些空间，再生成一次"),
    (errno.EROFS, "磁盘是只读的", "把 config.yaml 里的 output_dir 改成可写磁盘上的文件夹"),
    (errno.EACCES, "没有权限", "开放写入那里的权限（chmod、chown）"),
])
def test_a_disk_that_cannot_be_written_is_one_line_and_the_previous_site_stays(
        project, monkeypatch, capsys, code, strerror, advice):
    small(project, 3)
    assert project.run("build").returncode == 0
    previous = tree(project.site)
    project.card("1", title="新标题")
    written = []

    def full_disk(path, data):
        if len(written) >= 2:
            raise OSError(code, strerror, str(path))
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(write, "_write_bytes", full_disk)
    assert command_line.main(["--config", str(project.root / "config.yaml"), "build"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [error] = [line for line in err.splitlines() if ": 错误：" in line]
    assert error.startswith(f"site: 错误：无法把网站写入 {project.site}：{strerror}；{advice}")
    assert error.endswith("（原来的网站保持不变）")
    assert tree(project.site) == previous and beside(project) == []


def _unshare_works() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs mount namespaces (root with CAP_SYS_ADMIN)")
def test_a_read_only_project_folder_gives_one_line(project):
    small(project, 2)
    assert project.run("build").returncode == 0
    previous = tree(project.site)
    root = str(project.root)
    script = (f"mount --bind {root} {root} && mount -o remount,bind,ro {root} && "
              f"exec {sys.executable} {REPO / 'build.py'} --config {root}/config.yaml build")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (f"site: 错误：无法把网站写入 {project.site}：磁盘是只读的；把 config.yaml 里的 "
            f"output_dir 改成可写磁盘上的文件夹") in done.stderr, done.stderr
    assert tree(project.site) == previous


# --- kills at every point of a write (issue 12, item 5) ---

# Run in a child process: build.py build, made to stop at a named point of the write.
DRIVER = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from policy_handbook import pipeline
from policy_handbook.outputs import write
import build

point, config = sys.argv[2], sys.argv[3]

def pause():
    print("paused", flush=True)
    time.sleep(600)

if point == "writing pages":
    original, count = write._write_bytes, []
    def slow(path, data):
        original(path, data)
        count.append(path)
        if len(count) == 5:
            pause()
    write._write_bytes = slow
if point == "index written":
    index = pipeline.index_site
    pipeline.index_site = lambda staging: (index(staging), pause())
if point in ("before the exchange", "after the exchange"):
    exchange = write._exchange
    def paused(a, b):
        if point == "before the exchange":
            pause()
        done = exchange(a, b)
        pause()
    write._exchange = paused
if point.startswith("no exchange"):
    write._exchange = lambda a, b: False
if point == "no exchange, between the renames":
    rename = Path.rename
    def first_rename(self, target):
        done = rename(self, target)
        if ".old-" in Path(target).name:
            pause()
        return done
    Path.rename = first_rename
if point in ("removing the previous site", "no exchange, removing the previous site"):
    rmtree = write.shutil.rmtree
    def half(path, *args, **kwargs):
        if ".gone-" in Path(path).name and (Path(path) / "cards").is_dir():  # not one left by the last kill
            rmtree(Path(path) / "cards")
            pause()
        return rmtree(path, *args, **kwargs)
    write.shutil.rmtree = half
sys.exit(build.main(["--config", config, "build"]))
"""

POINTS = ["writing pages", "index written", "before the exchange", "after the exchange",
          "removing the previous site", "no exchange, removing the previous site"]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def pagefinds(root: Path) -> list[int]:
    """Pagefind processes working on this project."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"pagefind" in a for a in args[:3]) and any(str(root).encode() in a for a in args):
            found.append(int(cmdline.parent.name))
    return found


def start(project: Project, point: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(REPO), point, str(project.root / "config.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=project.root)


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(10)


@pytest.fixture
def two_builds(tmp_path) -> tuple[Project, dict, dict, float]:
    """A built project whose content then changed: (project, the site as built, what the next
    build gives, how long a build takes)."""
    project = small(Project(tmp_path / "project"), 30)
    started = time.monotonic()
    assert project.run("build").returncode == 0
    seconds = time.monotonic() - started
    before = tree(project.site)
    project.card("7", title="换了标题")
    reference = Project(tmp_path / "reference")
    shutil.rmtree(reference.root / "content")
    shutil.copytree(project.root / "content", reference.root / "content")
    assert reference.run("build").returncode == 0
    return project, before, tree(reference.site), seconds


def assert_complete(project: Project, before: dict, after: dict) -> None:
    site = tree(project.site)
    assert site == before or (stable(site) == stable(after) and len(site) == len(after)), \
        f"site/ is neither build: {len(site)} files"


def test_a_build_killed_at_any_point_of_the_write_leaves_a_complete_site_and_the_next_one_cleans_up(two_builds):
    project, before, after, _ = two_builds
    for point in POINTS:
        child = start(project, point)
        assert child.stdout.readline().strip() == "paused", (point, child.stderr.read())
        kill(child)
        assert project.site.is_dir(), point
        assert_complete(project, before, after)
        before = tree(project.site)
    assert pagefinds(project.root) == []
    assert project.run("build").returncode == 0
    assert beside(project) == []
    assert_complete(project, {}, after)


def test_a_build_killed_between_the_two_renames_is_repaired_by_the_next_one(two_builds):
    """Where the filesystem cannot exchange two folders, site/ is missing between two renames;
    the previous site is kept aside, and the next build puts it back before anything else."""
    project, before, after, _ = two_builds
    child = start(project, "no exchange, between the renames")
    assert child.stdout.readline().strip() == "paused", child.stderr.read()
    kill(child)
    [aside] = [name for name in beside(project) if name.startswith(".site.old-")]
    assert tree(project.root / aside) == before
    write.recover(project.site)  # what every write does first
    assert tree(project.site) == before
    assert project.run("build").returncode == 0
    assert beside(project) == [] and stable(tree(project.site)) == stable(after)


def test_pagefind_dies_with_a_killed_build(tmp_path):
    project = Project(tmp_path / "project", seed_content=True)  # enough cards for Pagefind to take a while
    child = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--config", str(project.root / "config.yaml"),
                              "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project.root)
    deadline = time.monotonic() + 60
    while not (running := pagefinds(project.root)):
        assert child.poll() is None and time.monotonic() < deadline, "Pagefind never ran"
        time.sleep(0.005)
    assert set(running) <= set(children(child.pid))
    kill(child)
    deadline = time.monotonic() + 5
    while pagefinds(project.root):
        assert time.monotonic() < deadline, "Pagefind outlived the build"
        time.sleep(0.05)
    assert not project.site.exists()  # the first build: nothing was swapped in
    assert project.run("build").returncode == 0
    assert beside(project) == []


def test_builds_killed_after_delays_across_a_whole_build_always_leave_a_complete_site(two_builds):
    project, before, after, seconds = two_builds
    for n in range(1, 21):
        child = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--config",
                                  str(project.root / "config.yaml"), "build"], cwd=project.root,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(seconds * n / 20)
        kill(child)
        assert_complete(project, before, after)
        before = tree(project.site)
    assert project.run("build").returncode == 0
    assert beside(project) == [] and pagefinds(project.root) == []


@pytest.mark.skipif(not _unshare_works(), reason="needs mount namespaces (root with CAP_SYS_ADMIN)")
def test_a_disk_that_fills_up_during_a_build_gives_one_line_and_keeps_the_previous_site(project):
    """On a real full disk (a small tmpfs): the page writes or Pagefind (which reports success
    even when its writes fail) run out of space."""
    small(project, 12)
    set_output(project, "disk/site")
    card = project.root / "content/cards/demo/1.md"
    build = f"{sys.executable} {REPO / 'build.py'} --config {project.root / 'config.yaml'} build"
    sums = "(cd disk/site && find . -type f | sort | xargs md5sum)"
    script = "\n".join([
        "set -u", f"cd {project.root}", "mkdir -p disk", "mount -t tmpfs -o size=4m none disk",
        f"{build} > built-1.txt 2>&1 || exit 10",
        f"{sums} > before.txt",
        "head -c 8m /dev/zero > disk/filler 2>/dev/null",  # fills the disk, then fails
        f"sed -i 's/^title: .*/title: 新标题/' {card}",
        f"{build} > built-2.txt 2>&1; echo $? > status-2.txt",
        f"{sums} > after.txt",
        "ls -a disk > beside.txt",
        "rm disk/filler",
        f"{build} > built-3.txt 2>&1 || exit 30",
        "grep -c 新标题 disk/site/cards/demo-1/index.html > found.txt"])
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr)
    read = lambda name: (project.root / name).read_text(encoding="utf-8")  # noqa: E731
    assert read("status-2.txt").strip() == "1"
    output = read("built-2.txt")
    assert "Traceback" not in output
    [error] = [line for line in output.splitlines() if ": 错误：" in line]
    assert error.startswith(f"disk/site: 错误：无法把网站写入 {project.root / 'disk/site'}："
                            "磁盘空间已满；在那个磁盘上腾出一些空间，再生成一次"), output
    assert read("after.txt") == read("before.txt")
    assert read("beside.txt").split() == [".", "..", "filler", "site"]
    assert int(read("found.txt")) >= 1


@pytest.mark.skipif(not _unshare_works(), reason="needs mount namespaces (root with CAP_SYS_ADMIN)")
def test_a_search_index_that_did_not_fit_on_the_disk_is_an_error(project):
    """Pagefind 1.5 exits 0 when its writes fail: the bundle is checked instead."""
    small(project, 12)
    assert project.run("build").returncode == 0
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path\n"
            "from policy_handbook.outputs.search import SearchIndexError, index_site\n"
            "try:\n    index_site(Path(sys.argv[2]), output=Path(sys.argv[3]) / 'pagefind')\n"
            "except (OSError, SearchIndexError) as exc:\n    print('refused:', exc); sys.exit(0)\n"
            "print('accepted')")
    disk = project.root / "disk"
    disk.mkdir()
    script = (f"mount -t tmpfs -o size=200k none {disk} && "
              f"exec {sys.executable} -c \"{code}\" {REPO} {project.site} {disk}")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("refused:"), (done.stdout, done.stderr)


def test_a_site_renamed_away_is_put_back_even_when_the_next_build_fails(project):
    small(project, 2)
    assert project.run("build").returncode == 0
    previous = tree(project.site)
    project.site.rename(project.root / ".site.old-77")
    project.card("2", title="")
    assert project.run("build").returncode == 1
    assert tree(project.site) == previous and beside(project) == []


def test_a_killed_preview_leaves_no_pagefind_running_and_the_next_build_cleans_up(tmp_path):
    from test_browser import free_port

    project = Project(tmp_path / "project", seed_content=True)
    serve = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--config", str(project.root / "config.yaml"),
                              "serve", "--port", str(free_port())], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=project.root)
    try:
        deadline = time.monotonic() + 60
        while not pagefinds(project.root):  # the background search refresh after the first build
            assert serve.poll() is None and time.monotonic() < deadline, "Pagefind never ran"
            time.sleep(0.005)
        assert any(name.startswith(".site.pagefind-new-") for name in beside(project))
    finally:
        kill(serve)
    deadline = time.monotonic() + 5
    while pagefinds(project.root):
        assert time.monotonic() < deadline, "Pagefind outlived the preview"
        time.sleep(0.05)
    complete = tree(project.site)
    assert "index.html" in complete and MARKER in complete
    assert project.run("build").returncode == 0
    assert beside(project) == []
