"""No path escapes the project: symbolic links under content/, templates/ or static/ that lead
out of it are refused before anything is read through them (paths.links_leaving, called by the
build), and the template loader does not follow them either."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound

from conftest import REPO, Project
from policy_handbook import paths
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.pages.render import make_environment
from policy_handbook.pipeline import Builder

SECRET = "外部机密内容"


def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with a valid card file, a template and a style sheet in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "card.md").write_text(f"---\nid: demo-9\ntitle: {SECRET}\ndocument: demo\nnumber: '9'\n---\n\n{SECRET}\n",
                                    encoding="utf-8")
    (folder / "base.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    (folder / "css").mkdir()
    (folder / "css" / "leak.css").write_text(f"/* {SECRET} */", encoding="utf-8")
    return folder


def project_with_cards(tmp_path: Path) -> Project:
    project = Project(tmp_path / "project")
    project.document("demo")
    project.card("1")
    return project


def test_links_leading_out_of_the_project_are_all_refused_and_nothing_is_written(tmp_path):
    project, away = project_with_cards(tmp_path), outside(tmp_path)
    assert project.run("build").returncode == 0
    before = project.read_site()
    (project.root / "content/cards/demo/9.md").symlink_to(away / "card.md")
    (project.root / "static/borrowed").symlink_to(away / "css")
    (project.root / "templates/borrowed.html").symlink_to(away / "base.html")
    (project.root / "templates/dangling.html").symlink_to(tmp_path / "nowhere.html")
    result = project.run("build")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    for link in ("content/cards/demo/9.md", "static/borrowed", "templates/borrowed.html", "templates/dangling.html"):
        [line] = [x for x in lines if x.startswith(f"{link}: 错误：")]
        assert "指向项目之外的符号链接" in line and "；" in line  # what is wrong；how to fix it
    assert "4 个错误" in result.stderr
    assert project.read_site() == before  # the previous site/ as it was
    assert not list(project.root.glob(".site*"))  # no staging folder left behind
    assert project.run("check").returncode == 1


def test_a_link_is_refused_before_anything_is_read_through_it(tmp_path):
    """A card that is a link to a FIFO outside: reading it would wait for ever."""
    project = project_with_cards(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (project.root / "content/cards/demo/2.md").symlink_to(fifo)
    try:
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--config",
                                 str(project.root / "config.yaml"), "check"],
                                capture_output=True, text=True, cwd=project.root, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the build read through a link that leads out of the project")
    assert result.returncode == 1
    assert "content/cards/demo/2.md: 错误：" in result.stderr


def test_links_that_stay_in_the_project_are_followed(tmp_path):
    project = project_with_cards(tmp_path)
    shared = project.root / "shared"
    shared.mkdir()
    (shared / "extra.css").write_text("p { color: black }", encoding="utf-8")
    project.write("drafts/3.md", "---\nid: demo-3\ntitle: 措施3\ndocument: demo\nnumber: '3'\n---\n\n正文三。\n")
    (project.root / "content/cards/demo/3.md").symlink_to(Path("../../../drafts/3.md"))
    (project.root / "static/shared").symlink_to(shared, target_is_directory=True)
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    site = project.read_site()
    assert "正文三" in site["cards/demo-3/index.html"].decode("utf-8")
    assert site["static/shared/extra.css"] == b"p { color: black }"


def test_a_link_inside_that_leads_on_to_one_outside_is_found_and_a_loop_ends(tmp_path):
    project, away = project_with_cards(tmp_path), outside(tmp_path)
    other = project.root / "other"
    other.mkdir()
    (other / "leak.css").symlink_to(away / "css" / "leak.css")
    (other / "again").symlink_to(other, target_is_directory=True)  # a loop: looked through once
    (project.root / "static/other").symlink_to(other, target_is_directory=True)
    found = paths.links_leaving(project.root, [project.root / "content", project.root / "templates",
                                               project.root / "static"])
    assert [(d.path, d.line) for d in found] == [("other/leak.css", 0)]


def test_a_content_folder_that_is_itself_a_link_out_is_refused(tmp_path):
    project, away = project_with_cards(tmp_path), outside(tmp_path)
    (project.root / "content").rename(away / "content")
    (project.root / "content").symlink_to(away / "content", target_is_directory=True)
    config = load_config(project.root / "config.yaml", Diagnostics())
    result = Builder(config).build()
    assert [(d.path, d.line) for d in result.diagnostics.errors] == [("content", 0)]
    assert result.library is None  # stopped before loading


def test_the_template_loader_does_not_follow_a_link_out(tmp_path):
    project, away = project_with_cards(tmp_path), outside(tmp_path)
    (project.root / "templates/borrowed.html").symlink_to(away / "base.html")
    env = make_environment(project.root / "templates")
    with pytest.raises(TemplateNotFound):
        env.get_template("borrowed.html")
    assert env.get_template("base.html") is not None  # the project's own templates load


def test_control_characters_in_content_leave_every_xml_file_of_the_build_well_formed(tmp_path):
    import xml.etree.ElementTree as ET

    project = project_with_cards(tmp_path)
    project.document("demo", title="示例\x1b文件", issuer="示例市\x01人民政府", date="2020-01-02")
    project.card("2", "正文\x08带有\x0b控制字符\ufffe。", title="措施\x1f二")
    assert project.run("--base-url", "https://example.org/", "build").returncode == 0
    written = sorted(project.site.rglob("*.xml"))
    assert len(written) == 2  # the handbook's feed and the sitemap
    for path in written:
        ET.parse(path)  # raises on ill-formed XML


def test_import_and_new_neither_read_nor_write_through_a_link_out_of_the_project(tmp_path):
    project = Project(tmp_path / "project")
    project.write("content/sources/demo.txt", "1.第一条措施。正文。\n2.第二条措施。正文。\n")
    project.document("demo", source="demo.txt")
    assert project.run("import").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("not a card\n", encoding="utf-8")
    cards = project.root / "content" / "cards" / "demo"
    for card in cards.iterdir():
        card.unlink()
    cards.rmdir()
    os.symlink(elsewhere, cards)  # a re-import would write the cards out there

    for args in (("import",), ("new", "demo", "--title", "新措施")):
        result = project.run(*args)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "content/cards/demo: 错误：这是指向项目之外的符号链接（" in result.stdout + result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.md"]  # nothing written outside
