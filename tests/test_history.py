"""What changed: "更新于", each page's change history, the 最近更新 page and feeds dated by the
last change (library/history.py, content/history.py), from a test repository's history and,
outside git, from import-state.json."""
from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import Project
from policy_handbook.content.history import parse_log
from policy_handbook.library.history import compare

A = "{http://www.w3.org/2005/Atom}"
FIRST, SECOND = "2024-03-01T10:00:00+08:00", "2025-06-15T09:30:00+08:00"
OLD_BODY = "企业开办时间压缩到3个工作日以内。市场监管局负责登记。"
NEW_BODY = "企业开办时间压缩到1个工作日以内。市场监管局负责登记。"


def git(root, *args: str, date: str = FIRST) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "编辑",
           "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def edited_project(project: Project, in_git: bool = True) -> Project:
    """A card committed, then its text and deadline edited and committed again (two fixed dates);
    a second card committed once."""
    project.document(date="2016-05-06")
    project.card("1", OLD_BODY, title="压缩企业开办时间")
    project.card("2", "降低用电成本。", title="降低用电成本")
    if in_git:
        git(project.root, "init", "-q")
        git(project.root, "add", "-A")
        git(project.root, "commit", "-q", "-m", "cards")
        project.card("1", NEW_BODY, title="压缩企业开办时间到一天")
        git(project.root, "commit", "-q", "-am", "edit", date=SECOND)
    return project


def page(project: Project, rel: str) -> str:
    return (project.site / rel).read_text(encoding="utf-8")


def test_an_edited_card_shows_its_history_its_update_date_and_a_readable_comparison(project):
    edited_project(project)
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    html = page(project, "cards/demo-1/index.html")
    history = html[html.index('class="history"'):]
    assert re.search(r"更新于 <time datetime=\"2025-06-15\">2025-06-15</time>", history)
    assert history.index("2025-06-15") < history.index("2024-03-01")  # newest first, both dates
    assert "修改了标题、正文" in history and "新增" in history
    assert "<del>3</del><ins>1</ins>" in history  # the changed character, not the whole text again
    assert "<ins>到一天</ins>" in history
    document = page(project, "documents/demo/index.html")
    assert 'datetime="2025-06-15">2025-06-15' in document and "压缩企业开办时间到一天</span>：修改了标题、正文" in document
    other = page(project, "cards/demo-2/index.html")
    assert 'datetime="2024-03-01">2024-03-01' in other and "修改了" not in other


def test_the_recent_page_lists_the_latest_change_first_and_the_feed_dates_it(project):
    edited_project(project)
    assert project.run("build", "--no-search").returncode == 0
    recent = page(project, "recent/index.html")
    items = re.findall(r"<li><time datetime=\"([\d-]+)\">.*?<a href=\"([^\"]+)\">", recent)
    assert items[0] == ("2025-06-15", "/cards/demo-1/")
    assert ("2024-03-01", "/cards/demo-2/") in items
    feed = ET.parse(project.site / "feeds" / "cards.xml").getroot()
    entries = {e.find(f"{A}link").get("href"): e for e in feed.findall(f"{A}entry")}
    assert entries["/cards/demo-1/"].find(f"{A}updated").text == "2025-06-15T00:00:00+08:00"
    assert entries["/cards/demo-1/"].find(f"{A}published").text == "2016-05-06T00:00:00+08:00"
    assert feed.findall(f"{A}entry")[0].find(f"{A}link").get("href") == "/cards/demo-1/"
    assert feed.find(f"{A}updated").text == "2025-06-15T00:00:00+08:00"


def test_the_same_checkout_gives_the_same_bytes(project):
    edited_project(project)
    assert project.run("build", "--no-search").returncode == 0
    first = project.read_site()
    assert project.run("build", "--no-search").returncode == 0
    assert project.read_site() == first


def test_outside_git_the_pages_build_and_say_what_editors_changed_without_dates(project):
    edited_project(project, in_git=False)
    state = {"about": "", "cards": {"content/cards/demo/1.md": {"title": "压缩企业开办时间", "body": OLD_BODY.replace("3", "5")},
                                    "content/cards/demo/2.md": {"title": "降低用电成本", "body": "降低用电成本。"}}}
    project.write("content/import-state.json", json.dumps(state, ensure_ascii=False))
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    html = page(project, "cards/demo-1/index.html")
    assert "编辑修改过：正文" in html and "<del>5</del><ins>3</ins>" in html
    assert "更新于" not in html and "没有修改日期" in html
    assert "编辑没有改过" in page(project, "cards/demo-2/index.html")
    recent = page(project, "recent/index.html")
    assert "/cards/demo-1/" in recent and "/cards/demo-2/" not in recent and "<time" not in recent


def test_no_raw_html_from_a_card_reaches_the_comparison(project):
    project.document()
    project.card("1", "正文<b>一</b>。")
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "a")
    project.card("1", "正文<script>alert(1)</script>。")
    git(project.root, "commit", "-q", "-am", "b", date=SECOND)
    assert project.run("build", "--no-search").returncode == 0
    history = page(project, "cards/demo-1/index.html").split('class="history"')[1].split("</section>")[0]
    assert "<script" not in history and "<b>" not in history
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in history and "&lt;b&gt;" in history


def test_a_shallow_clones_boundary_commit_is_not_told_as_an_addition():
    log = "\x01aaa 2025-01-02T00:00:00+08:00\n\n:000000 100644 000 bbb A\tcards/d/1.md\n"
    assert parse_log(log) == [("cards/d/1.md", "2025-01-02", "A", "000", "bbb")]
    assert parse_log(log, frozenset({"aaa"})) == []


def test_a_comparison_keeps_unchanged_sentences_short():
    segments = compare("第一句很长" * 20 + "。改这里。", "第一句很长" * 20 + "。改那里。")
    assert ("del", "这") in segments and ("ins", "那") in segments
    assert len("".join(t for _, t in segments)) < 60


def test_the_preview_reads_git_again_only_when_a_commit_moves_head(project, monkeypatch):
    from policy_handbook.config import load_config
    from policy_handbook.content import history as reader
    from policy_handbook.errors import Diagnostics
    from policy_handbook.pipeline import Builder

    edited_project(project)
    builder = Builder(load_config(project.root / "config.yaml", Diagnostics()))
    assert builder.build().ok
    calls = []
    real = reader.subprocess.run
    monkeypatch.setattr(reader.subprocess, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    project.card("1", NEW_BODY + "新增一句。", title="压缩企业开办时间到一天")  # saved, not committed
    result = builder.build(later=True)
    assert result.ok and calls == []  # a save runs no git
    assert "新增一句" in result.site["cards/demo-1/index.html"].decode()
    git(project.root, "commit", "-q", "-am", "more", date="2025-07-01T08:00:00+08:00")
    result = builder.build(later=True)
    assert calls  # the commit moved the branch: history read again
    html = result.site["cards/demo-1/index.html"].decode()
    assert 'datetime="2025-07-01">2025-07-01' in html and "<ins>新增一句。</ins>" in html


def test_changes_of_one_day_are_one_entry_from_the_days_first_text_to_its_last(project):
    edited_project(project)
    project.card("1", NEW_BODY.replace("1个", "半个"), title="压缩企业开办时间到一天")
    git(project.root, "commit", "-q", "-am", "again", date="2025-06-15T18:00:00+08:00")
    assert project.run("build", "--no-search").returncode == 0
    history = page(project, "cards/demo-1/index.html").split('class="history"')[1].split("</section>")[0]
    assert history.count('datetime="2025-06-15">2025-06-15</time> 修改了') == 1
    assert "<del>3</del><ins>半</ins>" in history


def test_a_shallow_clone_does_not_date_every_card_by_its_one_commit(project, tmp_path):
    edited_project(project)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project.root}", str(clone)], check=True)
    shallow = Project.__new__(Project)
    shallow.root = clone
    assert shallow.run("build", "--no-search").returncode == 0
    html = page(shallow, "cards/demo-2/index.html")
    assert "更新于" not in html and "2025-06-15" not in html and "新增" not in html.split('class="history"')[1]
