"""An editor fixes everything from one run: no problem hides behind another, and each is
reported once, at the line of the content that holds it (never blamed on a template)."""
from __future__ import annotations

from conftest import Project


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": 错误：" in line]


def test_a_broken_editor_link_is_reported_with_the_other_errors(project: Project):
    project.document("demo")
    project.card("1", deadlines=[{"kind": "due", "date": "2019-12-31"}])  # no 'text': an error
    project.card("2", body="见 [[demo-9]]。")  # no such card
    project.card("3", body="另见 [[demo-1]]。")  # card 1 exists, with errors of its own: not broken
    result = project.run("check")
    assert result.returncode == 1
    found = errors(result)
    assert any(line.startswith("content/cards/demo/1.md:") and "缺少 text" in line for line in found)
    assert any(line.startswith("content/cards/demo/2.md:") and "卡片“demo-9”不存在" in line for line in found)
    assert not any("3.md" in line for line in found), found
    assert len(found) == 2, found


def test_a_duplicate_id_is_reported_even_when_the_card_has_other_errors(project: Project):
    project.document("demo")
    project.card("1")
    project.write("content/cards/demo/5.md", "---\nid: demo-1\ntitle: 重复\ndocument: demo\nnumber: '5'\n"
                                             "deadlines: [{kind: due, date: 2019-12-31}]\n---\n正文\n")
    found = errors(project.run("check"))
    assert any(line.startswith("content/cards/demo/5.md:2: ") and "已被 content/cards/demo/1.md 使用" in line
               for line in found), found
    assert any(line.startswith("content/cards/demo/5.md:") and "缺少 text" in line for line in found), found


def test_a_card_that_cannot_be_read_at_all_makes_no_false_broken_link(project: Project):
    project.document("demo")
    project.card("1", deadlines=[{"kind": "due", "date": "2019-12-31"}])  # an error elsewhere
    project.write("content/cards/demo/2.md", "---\nid: demo-2\ntitle: [未闭合\ndocument: demo\n---\n正文\n")
    project.card("3", body="见 [[demo-2]]。")  # card 2's id cannot be known: no verdict on the link
    found = errors(project.run("check"))
    assert not any("3.md" in line for line in found), found
    assert any("2.md:3:" in line for line in found), found


def test_a_broken_link_in_a_card_is_reported_once_at_its_line_not_on_the_compilation_template(project: Project):
    project.document("demo")
    card = project.card("1", body="第一段。\n\n详见[办事指南](/guide/missing/)。",
                        notes="编辑说明：参见[旧页面](/old/page/)。")
    lines = card.read_text(encoding="utf-8").splitlines()
    body_line = lines.index("详见[办事指南](/guide/missing/)。") + 1
    notes_line = next(i for i, line in enumerate(lines, start=1) if "/old/page/" in line)
    result = project.run("check")
    found = errors(result)
    assert not any(line.startswith("templates/") for line in found), found
    guide = [line for line in found if "/guide/missing/" in line]
    old = [line for line in found if "/old/page/" in line]
    assert len(guide) == 1 and guide[0].startswith(f"content/cards/demo/1.md:{body_line}: "), found
    assert len(old) == 1 and old[0].startswith(f"content/cards/demo/1.md:{notes_line}: "), found
    assert "和另外 1 个页面" in guide[0]  # the card page and the printable compilation both show it
