"""Editors own the cards: a re-import never loses their work."""
from __future__ import annotations

import pytest

from conftest import Project
from policy_handbook.content.frontmatter import dump, parse

SOURCE = "content/sources/shuozhou-private-economy-48-measures.txt"
CARD19 = "content/cards/shuozhou-private-economy-2019/19.md"
CARD20 = "content/cards/shuozhou-private-economy-2019/20.md"


@pytest.fixture
def handbook(tmp_path) -> Project:
    proj = Project(tmp_path / "project", seed_content=True)
    assert proj.run("import").returncode == 0
    return proj


def read(proj: Project, rel: str):
    return parse((proj.root / rel).read_text(encoding="utf-8"))


def edit(proj: Project, rel: str, change) -> None:
    parsed = read(proj, rel)
    data, body = change(dict(parsed.data), parsed.body)
    (proj.root / rel).write_text(dump(data, body), encoding="utf-8")


def change_source(proj: Project, old: str, new: str) -> None:
    path = proj.root / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_card_survives_a_changed_source_and_the_conflict_is_reported(handbook):
    edit(handbook, CARD19, lambda d, b: (d, b.replace("深化电力体制改革", "深化电力体制改革（编辑注：2020年已完成）")))
    change_source(handbook, "深化电力体制改革,为民营企业开辟绿色通道", "深化电力体制改革,为民营企业开辟快速通道")
    result = handbook.run("import")
    assert result.returncode == 0, result.stderr
    assert "编辑注：2020年已完成" in read(handbook, CARD19).body
    assert "绿色通道" in read(handbook, CARD19).body  # the editor's version, not the source's
    assert f"{CARD19}：保留了编辑的版本；原文的正文改了：" in result.stdout
    assert "[−绿色 +快速]" in result.stdout


def test_an_untouched_card_follows_its_changed_source(handbook):
    change_source(handbook, "支持符合条件的民营企业天然气用户改“转供”为“直供”",
                  "支持全部民营企业天然气用户改“转供”为“直供”")
    result = handbook.run("import")
    assert result.returncode == 0, result.stderr
    assert "支持全部民营企业天然气用户" in read(handbook, CARD20).body
    assert "冲突" not in result.stdout
    assert "写入 1 张" in result.stdout


def test_fields_only_editors_write_survive_and_imported_fields_still_update(handbook):
    edit(handbook, CARD20, lambda d, b: ({**d, "notes": "已于2020年落实。", "extra_topics": ["法治保障"]}, b))
    change_source(handbook, "降低企业用气成本。", "降低企业用气价格。")
    result = handbook.run("import")
    assert result.returncode == 0, result.stderr
    card = read(handbook, CARD20)
    assert card.data["title"] == "降低企业用气价格"
    assert card.data["notes"] == "已于2020年落实。" and card.data["extra_topics"] == ["法治保障"]
    assert "冲突" not in result.stdout


def test_an_editors_topics_are_kept_when_the_source_is_unchanged(handbook):
    edit(handbook, CARD19, lambda d, b: ({**d, "topics": ["用能", "税费"]}, b))
    result = handbook.run("import")
    assert "写入 0 张" in result.stdout
    assert read(handbook, CARD19).data["topics"] == ["用能", "税费"]


def test_a_card_an_editor_deleted_is_not_recreated(handbook):
    (handbook.root / CARD19).unlink()
    result = handbook.run("import")
    assert result.returncode == 0
    assert not (handbook.root / CARD19).exists()
    assert f"{CARD19} 已被编辑删除，导入没有重新建立它" in result.stdout


def test_an_agency_contact_added_by_hand_survives_import(handbook):
    registry = handbook.root / "content/agencies.yaml"
    text = registry.read_text(encoding="utf-8")
    edited = text.replace("- name: 朔州市财政局\n  level: 市\n  region: 朔州市\n  contact: {phone: '', address: '', website: ''}",
                          "- name: 朔州市财政局\n  level: 市\n  region: 朔州市\n  # 编辑核实于2026年11月\n"
                          "  contact: {phone: 0349-1234567, address: 朔州市开发南路, website: ''}")
    assert edited != text
    registry.write_text(edited, encoding="utf-8")
    # A new document brings a new agency, so import appends to the registry.
    handbook.write("content/sources/new.txt", "1.新增措施。由朔州市新设机构负责。(市大数据局牵头负责)\n")
    handbook.document("shuozhou-new", source="new.txt", region="朔州市")
    result = handbook.run("import")
    assert result.returncode == 0, result.stderr
    after = registry.read_text(encoding="utf-8")
    assert after.startswith(edited)  # everything the editor wrote, byte for byte
    assert "- name: 朔州市大数据局" in after[len(edited):]
    assert handbook.run("build").returncode == 0
    html = (handbook.site / "cards/shuozhou-private-economy-2019-14/index.html").read_text(encoding="utf-8")
    assert "0349-1234567" in html and 'href="tel:0349-1234567"' in html


def test_a_broken_card_stops_import_before_anything_is_written(handbook):
    (handbook.root / CARD19).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    change_source(handbook, "降低企业用气成本。", "降低企业用气价格。")
    result = handbook.run("import")
    assert result.returncode == 1
    assert f"{CARD19}:2: 错误：文件头的 YAML 写法有误" in result.stderr
    assert read(handbook, CARD20).data["title"] == "降低企业用气成本"
