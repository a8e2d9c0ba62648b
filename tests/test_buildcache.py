"""The build cache: `build.py build` after a change renders only what the change touches, and
writes a site/ byte for byte that of a cold build of the same content; a damaged, stale or
other code's cache, or a site/ changed since, is ignored."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import Project
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.outputs import buildcache
from policy_handbook.pipeline import BuildResult, build

CARD = "content/cards/shuozhou-private-economy-2019/19.md"
CARD_PAGE = "cards/shuozhou-private-economy-2019-19/index.html"
STATE = ".cache/build/state.pickle"


def run(proj: Project, cache: bool = True) -> BuildResult:
    result = build(load_config(proj.root / "config.yaml", Diagnostics()), search=False, cache=cache)
    assert result.ok, result.diagnostics.report()
    return result


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a site with its permissions."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777)
            for p in sorted(root.rglob("*")) if p.is_file()}


def cold_site(proj: Project, tmp_path: Path) -> dict[str, tuple[bytes, int]]:
    """The site a cold build of the project's content as it is now writes."""
    other = tmp_path / "cold"
    shutil.rmtree(other, ignore_errors=True)
    other.mkdir()
    for name in ("config.yaml", "content", "templates", "static"):
        (shutil.copytree if (proj.root / name).is_dir() else shutil.copy)(proj.root / name, other / name)
    cold = Project.__new__(Project)
    cold.root = other
    run(cold, cache=False)
    assert not (other / STATE).exists()
    return tree(other / "site")


def assert_same_as_cold(proj: Project, tmp_path: Path) -> None:
    cached, cold = tree(proj.site), cold_site(proj, tmp_path)
    assert cached.keys() == cold.keys()
    differing = [path for path in cold if cold[path] != cached[path]]
    assert differing == [], f"the cached build differs from a cold one: {differing[:5]}"


def edit(proj: Project, rel: str, old: str, new: str) -> None:
    path = proj.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def seed(tmp_path: Path) -> Project:
    proj = Project(tmp_path / "project", seed_content=True)
    first = run(proj)
    assert not first.cached and (proj.root / STATE).is_file()
    assert not any(p.name == "state.pickle" for p in proj.site.rglob("*"))
    return proj


def test_a_one_card_edit_renders_only_what_it_touches_and_writes_what_a_cold_build_writes(seed, tmp_path):
    edit(seed, CARD, "深化电力体制改革", "全面深化电力体制改革")
    result = run(seed)
    assert result.cached
    assert result.rendered < 30, f"{result.rendered} of {result.pages} pages rendered for one edit"
    assert "全面深化电力体制改革" in (seed.site / CARD_PAGE).read_text(encoding="utf-8")
    assert_same_as_cold(seed, tmp_path)
    again = run(seed)  # nothing changed since: nothing is rendered, and the site stays the same
    assert again.cached and again.rendered == 0 and not again.changed
    assert_same_as_cold(seed, tmp_path)


CHANGES = {
    "title": (CARD, "title: 降低企业用电成本", "title: 降低民营企业用电成本"),
    "topic": (CARD, "topics: [用能]", "topics: [融资]"),
    "template": ("templates/card.html", "</article>", "</article><p>模板改了</p>"),
    "static": ("static/style.css", "body", "/* 改了 */ body"),
    "agencies.yaml": ("content/agencies.yaml", "name: ", "name: 新"),
    "taxonomy": ("content/taxonomy/topics.yaml", "用能", "能源使用"),
    "config": ("config.yaml", "title: ", "title: 新"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_kind_of_change_gives_what_a_cold_build_gives(seed, tmp_path, change):
    rel, old, new = CHANGES[change]
    edit(seed, rel, old, new)
    if change == "taxonomy":  # the cards that name the topic follow it
        for card in (seed.root / "content/cards").rglob("*.md"):
            text = card.read_text(encoding="utf-8")
            if "用能" in text:
                card.write_text(text.replace("用能", "能源使用"), encoding="utf-8")
    result = build(load_config(seed.root / "config.yaml", Diagnostics()), search=False)
    if not result.ok:  # a change the content does not allow must fail as a cold build does
        assert not build(load_config(seed.root / "config.yaml", Diagnostics()), search=False, cache=False).ok
        return
    assert result.cached == (change != "config")  # another config: a cold build
    assert_same_as_cold(seed, tmp_path)


def test_a_deleted_or_renamed_card_takes_its_pages_along(seed, tmp_path):
    path = seed.root / CARD
    (seed.root / "content/cards/shuozhou-private-economy-2019/19-moved.md").write_text(
        path.read_text(encoding="utf-8").replace("id: shuozhou-private-economy-2019-19",
                                                 "id: shuozhou-private-economy-2019-19b"), encoding="utf-8")
    path.unlink()
    result = run(seed)
    assert result.cached and "cards/shuozhou-private-economy-2019-19b/index.html" in result.changed
    assert not (seed.site / CARD_PAGE).exists()
    assert_same_as_cold(seed, tmp_path)
    (seed.root / "content/cards/shuozhou-private-economy-2019/19-moved.md").unlink()
    result = run(seed)
    assert result.cached and not (seed.site / "cards/shuozhou-private-economy-2019-19b").exists()
    assert_same_as_cold(seed, tmp_path)


def test_a_damaged_cache_is_ignored(seed, tmp_path):
    state = seed.root / STATE
    data = state.read_bytes()
    edit(seed, CARD, "深化电力体制改革", "全面深化电力体制改革")
    for damaged in (data[: len(data) // 2], data[:60] + b"\0" * 100 + data[160:], b"", b"not a cache"):
        state.write_bytes(damaged)
        result = run(seed)
        assert not result.cached
        assert_same_as_cold(seed, tmp_path)


def test_a_cache_of_other_code_is_ignored(seed, tmp_path, monkeypatch):
    edit(seed, CARD, "深化电力体制改革", "全面深化电力体制改革")
    monkeypatch.setattr(buildcache, "code_version", lambda: b"0" * 40)
    result = run(seed)
    assert not result.cached
    assert_same_as_cold(seed, tmp_path)


def test_a_site_changed_since_is_not_trusted(seed, tmp_path):
    page = seed.site / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>hand-edited</p></body>"))
    result = run(seed)
    assert not result.cached
    assert b"hand-edited" not in page.read_bytes()
    assert_same_as_cold(seed, tmp_path)


def test_a_file_changed_without_its_size_or_time_changing_is_read_again(seed, tmp_path):
    path = seed.root / CARD
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "深化电力体制改革" in text
    path.write_text(text.replace("深化电力体制改革", "推进电力体制改革"), encoding="utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    result = run(seed)
    assert "推进电力体制改革" in (seed.site / CARD_PAGE).read_text(encoding="utf-8")
    assert_same_as_cold(seed, tmp_path)
    assert result.ok


def test_a_failed_build_leaves_site_and_cache_as_they_were(seed, tmp_path):
    before = tree(seed.site)
    edit(seed, CARD, "title: 降低企业用电成本", "title: [降低企业用电成本")
    result = build(load_config(seed.root / "config.yaml", Diagnostics()), search=False)
    assert not result.ok
    assert tree(seed.site) == before
    edit(seed, CARD, "title: [降低企业用电成本", "title: 降低企业用电成本（修改）")
    result = run(seed)
    assert result.cached
    assert_same_as_cold(seed, tmp_path)


def test_no_cache_builds_cold_and_leaves_the_cache_alone(seed, tmp_path):
    state = (seed.root / STATE).read_bytes()
    edit(seed, CARD, "深化电力体制改革", "全面深化电力体制改革")
    done = seed.run("build", "--no-search", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert (seed.root / STATE).read_bytes() == state
    assert_same_as_cold(seed, tmp_path)
    result = run(seed)  # site/ is no longer what that cache describes
    assert not result.cached
    assert_same_as_cold(seed, tmp_path)


def test_a_cached_build_that_cannot_be_written_leaves_site_as_it_was(seed, tmp_path, monkeypatch):
    import errno

    from policy_handbook.outputs import write

    before = tree(seed.site)
    edit(seed, CARD, "深化电力体制改革", "全面深化电力体制改革")

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(write, "_write_bytes", disk_full)
    result = build(load_config(seed.root / "config.yaml", Diagnostics()), search=False)
    assert result.cached and not result.ok
    assert "磁盘空间已满" in result.diagnostics.report()
    assert tree(seed.site) == before
    assert [p.name for p in seed.site.parent.iterdir() if p.name.startswith(".site.")] == []
    monkeypatch.undo()
    run(seed)
    assert_same_as_cold(seed, tmp_path)
