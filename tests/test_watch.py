"""The preview's build loop without a browser: bursts, scratch files, and what it publishes."""
from __future__ import annotations

import threading
import time

from conftest import Project
from policy_handbook.preview.live import LiveState, inject
from policy_handbook.preview.watch import ChangeQueue, Preview, is_scratch


def test_a_burst_of_changes_is_taken_at_once_after_a_quiet_moment():
    queue, stop = ChangeQueue(), threading.Event()

    def save_files():
        for n in range(10):
            queue.add(f"content/cards/d/{n}.md")
            time.sleep(0.02)

    threading.Thread(target=save_files).start()
    time.sleep(0.01)
    started = time.monotonic()
    taken = queue.take(stop, debounce=0.15)
    assert len(taken) == 10
    assert time.monotonic() - started >= 0.15
    assert queue.take(stop, idle=0.05) == set()  # nothing more came


def test_editor_scratch_files_are_not_content():
    for name in ("19.md~", ".19.md.swp", "#19.md#", ".#19.md", "4913", "19.md.tmp"):
        assert is_scratch(f"content/cards/d/{name}")
    assert not is_scratch("content/cards/d/19.md")


def test_tabs_learn_what_changed_since_they_were_served():
    live = LiveState()
    live.built(["cards/a/index.html"])
    served_at = live.generation
    live.built(["cards/b/index.html"])
    assert '"reload": false' in live.message("cards/a/index.html", served_at)
    assert '"reload": true' in live.message("cards/b/index.html", served_at)
    assert b'data-since="2"></script></body>' in inject(b"<body></body>", live.generation)


def test_a_failed_rebuild_publishes_the_errors_and_the_fix_clears_them(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    live, lines = LiveState(), []
    preview = Preview(project.root / "config.yaml", None, live, log=lines.append)
    preview.search.schedule = lambda: None
    assert preview.rebuild().ok
    card = project.root / "content/cards/shuozhou-private-economy-2019/19.md"
    good = card.read_text(encoding="utf-8")
    card.write_text(good.replace("title: ", "title: [", 1), encoding="utf-8")
    assert not preview.rebuild({str(card)}).ok
    assert live.errors and live.errors[0]["path"] == "content/cards/shuozhou-private-economy-2019/19.md"
    assert (project.site / "cards/shuozhou-private-economy-2019-19/index.html").is_file()
    card.write_text(good, encoding="utf-8")
    fixed = preview.rebuild({str(card)})
    assert fixed.ok and live.errors == [] and fixed.changed == {}
    assert any(line.startswith("生成失败：") for line in lines)


def test_the_preview_prints_warnings_once_when_they_change(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    lines = []
    preview = Preview(project.root / "config.yaml", None, LiveState(), log=lines.append)
    preview.search.schedule = lambda: None
    assert preview.rebuild().ok
    card = project.root / "content/cards/shuozhou-private-economy-2019/19.md"
    card.write_text(card.read_text(encoding="utf-8").replace("title: 降低企业用电成本", "title: 待填写：标题"),
                    encoding="utf-8")
    preview.rebuild({str(card)})
    preview.rebuild({str(card)})
    warned = [line for line in lines if "标题还是占位文字" in line]
    assert len(warned) == 1 and "19.md:3: 警告：" in warned[0]


def test_a_refreshed_search_index_keeps_the_previous_files_for_open_pages(tmp_path):
    from policy_handbook.preview.watch import merge_bundle

    def bundle(files: dict[str, str]):
        folder = tmp_path / "bundle"
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text)
        return folder

    target = tmp_path / "site/pagefind"
    stale = merge_bundle(bundle({"pagefind-entry.json": "1", "index/a.pf_index": "a"}), target, set())
    stale = merge_bundle(bundle({"pagefind-entry.json": "2", "index/b.pf_index": "b"}), target, stale)
    assert (target / "index/a.pf_index").exists()  # a page that read entry 1 still finds its chunks
    assert (target / "pagefind-entry.json").read_text() == "2"
    merge_bundle(bundle({"pagefind-entry.json": "3", "index/b.pf_index": "b"}), target, stale)
    assert not (target / "index/a.pf_index").exists()  # gone one refresh later
    assert (target / "index/b.pf_index").exists()


# --- After edits settle, the preview's site is what a full build writes (issue 12, item 6) ---

CARD_19 = "content/cards/shuozhou-private-economy-2019/19.md"


def site_tree(folder) -> dict[str, bytes]:
    """Every file of a written site but the search index (Pagefind's output varies between runs)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


def full_build(project: Project) -> dict[str, bytes]:
    """What `build.py build` writes for the project as it is now (into a folder of its own)."""
    import dataclasses

    from policy_handbook.config import load_config
    from policy_handbook.errors import Diagnostics
    from policy_handbook.pipeline import build

    config = load_config(project.root / "config.yaml", Diagnostics())
    config = dataclasses.replace(config, output_dir="full-build")
    result = build(config, search=False, cache=False)  # a cold build: not one from the build cache
    assert result.ok, result.diagnostics.report()
    return site_tree(project.root / "full-build")


def quiet_preview(project: Project, lines: list) -> Preview:
    preview = Preview(project.root / "config.yaml", None, LiveState(), log=lines.append)
    preview.search.schedule = lambda: None
    return preview


def settle(preview: Preview) -> int:
    """What the build loop does once the edits stop: settle passes while one is due. The count."""
    passes = 0
    while preview.due and passes < 5:
        preview.rebuild(settle=True)
        passes += 1
    return passes


def edit_file(project: Project, rel: str, old: str, new: str) -> str:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_after_edits_settle_the_preview_site_is_a_full_build_open_data_included(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    lines: list = []
    preview = quiet_preview(project, lines)
    assert preview.rebuild().ok
    edits = [(CARD_19, "title: 降低企业用电成本", "title: 降低民营企业用电成本"),
             (CARD_19, "深化电力体制改革", "全面深化电力体制改革"),
             ("static/style.css", "body", "/* edited */\nbody"),
             ("templates/card.html", "</article>", "</article><!-- edited -->")]
    for rel, old, new in edits:
        assert preview.rebuild({edit_file(project, rel, old, new)}).ok
        assert settle(preview) <= 1, "the settle pass repeats"
        assert not preview.due
        site, full = site_tree(project.site), full_build(project)
        assert sorted(site) == sorted(full)
        assert [rel for rel in full if site[rel] != full[rel]] == [], f"after editing {rel}"
    cards = (project.site / "data/cards.json").read_text(encoding="utf-8")
    assert "降低民营企业用电成本" in cards
    assert "降低民营企业用电成本" in (project.site / "data/policy-list.csv").read_text(encoding="utf-8-sig")


def test_the_build_loop_settles_once_and_then_rests(tmp_path):
    """The settle pass runs once after the edits stop, not every second for ever."""
    project = Project(tmp_path / "p", seed_content=True)
    lines: list = []
    preview = quiet_preview(project, lines)
    assert preview.rebuild().ok
    stop = threading.Event()
    loop = threading.Thread(target=preview.run, args=(stop,), daemon=True)
    loop.start()
    try:
        time.sleep(0.5)  # the watcher is up
        edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")
        deadline = time.monotonic() + 20
        while not any(line.startswith("相关措施和开放数据已更新") for line in lines):
            assert time.monotonic() < deadline, "\n".join(lines)
            time.sleep(0.1)
        time.sleep(3.5)  # three more settle periods
        settles = [line for line in lines if line.startswith("相关措施和开放数据已更新")]
        assert len(settles) == 1, "\n".join(lines)
    finally:
        stop.set()
        loop.join(5)
    assert "全面深化电力体制改革" in (project.site / "data/cards.json").read_text(encoding="utf-8")


def test_a_full_disk_is_one_line_and_the_preview_writes_the_site_once_space_is_back(tmp_path, monkeypatch):
    import errno

    from policy_handbook.outputs import write

    project = Project(tmp_path / "p", seed_content=True)
    lines: list = []
    live = LiveState()
    preview = Preview(project.root / "config.yaml", None, live, log=lines.append)
    preview.search.schedule = lambda: None
    assert preview.rebuild().ok
    disk_full, write_bytes = [True], write._write_bytes

    def disk(path, data):
        if disk_full[0]:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        write_bytes(path, data)

    monkeypatch.setattr(write, "_write_bytes", disk)
    card = edit_file(project, CARD_19, "title: 降低企业用电成本", "title: 降低民营企业用电成本")
    assert preview.rebuild({card}) is None
    assert "Traceback" not in "\n".join(lines)
    [error] = [line for line in lines if "磁盘空间已满" in line]
    assert error.startswith(f"site: 错误：无法把网站写入 {project.site.resolve()}：磁盘空间已满；"
                            "在那个磁盘上腾出一些空间，预览会自动重试")
    assert live.errors and live.errors[0]["path"] == "site"
    assert preview.due  # tried again without waiting for a save
    settle(preview)
    page = project.site / "cards/shuozhou-private-economy-2019-19/index.html"
    assert preview.due and "降低企业用电成本" in page.read_text(encoding="utf-8")  # the last good page
    disk_full[0] = False
    settle(preview)
    assert not preview.due and live.errors == []
    assert "降低民营企业用电成本" in page.read_text(encoding="utf-8")
    assert site_tree(project.site) == full_build(project)
    assert preview.retry_seconds == 1.0


def test_a_write_retry_waits_longer_each_time_the_disk_is_still_full(tmp_path):
    from policy_handbook.preview.watch import LONGEST_RETRY_SECONDS, SETTLE_SECONDS

    preview = quiet_preview(Project(tmp_path / "p"), [])
    waits = []
    for _ in range(8):
        preview._write_failed(OSError(28, "No space left on device"))
        waits.append(preview.retry_seconds)
    assert waits[:3] == [SETTLE_SECONDS, 2 * SETTLE_SECONDS, 4 * SETTLE_SECONDS]
    assert waits[-1] == LONGEST_RETRY_SECONDS


def test_no_settle_pass_is_due_while_the_content_is_broken(tmp_path):
    """A settle pass over broken content would print the same errors every second."""
    project = Project(tmp_path / "p", seed_content=True)
    lines: list = []
    preview = quiet_preview(project, lines)
    assert preview.rebuild().ok
    card = edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")
    assert preview.rebuild({card}).ok and preview.due
    edit_file(project, CARD_19, "title: ", "title: [")
    assert not preview.rebuild({card}).ok
    assert not preview.due
    edit_file(project, CARD_19, "title: [", "title: ")
    assert preview.rebuild({card}).ok and preview.due
    assert settle(preview) == 1 and site_tree(project.site) == full_build(project)
