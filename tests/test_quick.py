"""The preview's quick rebuild (preview/quick.py): a text edit re-renders the card's own page at
once, and nothing else; once edits settle the site is byte for byte a full build. Any other
edit takes the full comparison."""
from __future__ import annotations

from pathlib import Path

from conftest import Project
from test_watch import CARD_19, edit_file, full_build, quiet_preview, settle, site_tree

CARD_PAGE = "cards/shuozhou-private-economy-2019-19/index.html"
DOC_PAGE = "documents/shuozhou-private-economy-2019/index.html"
PRINT_PAGE = "print/documents/shuozhou-private-economy-2019/index.html"  # the compilation: every text in full
CARD_20 = "content/cards/shuozhou-private-economy-2019/20.md"


def started(tmp_path: Path):
    project = Project(tmp_path / "p", seed_content=True)
    lines: list = []
    preview = quiet_preview(project, lines)
    assert preview.rebuild().ok
    return project, preview, lines


def assert_full_build_once_settled(project: Project, preview) -> None:
    assert settle(preview) <= 1
    assert not preview.due
    site, full = site_tree(project.site), full_build(project)
    assert sorted(site) == sorted(full)
    assert [rel for rel in full if site[rel] != full[rel]] == []


def test_a_text_edit_renders_only_the_cards_page_then_the_rest_when_edits_settle(tmp_path):
    project, preview, lines = started(tmp_path)
    result = preview.rebuild({edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")})
    assert result.ok and result.quick
    assert result.rendered == 1 and list(result.changed) == [CARD_PAGE]
    assert "全面深化电力体制改革" in (project.site / CARD_PAGE).read_text(encoding="utf-8")
    assert "全面深化电力体制改革" not in (project.site / PRINT_PAGE).read_text(encoding="utf-8")
    assert preview.due and lines[-1].endswith("停止编辑后再更新")
    assert_full_build_once_settled(project, preview)
    assert "全面深化电力体制改革" in (project.site / PRINT_PAGE).read_text(encoding="utf-8")


def test_edits_of_two_cards_and_an_edit_undone_before_edits_settle(tmp_path):
    project, preview, _ = started(tmp_path)
    first = edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")
    assert preview.rebuild({first}).quick
    text = (project.root / CARD_20).read_text(encoding="utf-8")
    body = text.split("\n---\n", 2)[-1]
    second = edit_file(project, CARD_20, body, body.replace("。", "，并抓好落实。", 1))
    assert preview.rebuild({second}).quick
    assert preview.rebuild({edit_file(project, CARD_19, "全面深化电力体制改革", "深化电力体制改革")}).quick
    assert "全面深化" not in (project.site / CARD_PAGE).read_text(encoding="utf-8")
    assert_full_build_once_settled(project, preview)


def test_a_file_changed_without_an_event_is_caught_when_edits_settle(tmp_path):
    project, preview, _ = started(tmp_path)
    edit_file(project, CARD_20, "title: ", "title: 无人通知")  # the watcher missed this one
    assert preview.rebuild({edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")}).quick
    assert_full_build_once_settled(project, preview)
    assert "无人通知" in (project.site / DOC_PAGE).read_text(encoding="utf-8")


def test_edits_other_than_text_take_the_full_comparison(tmp_path):
    project, preview, _ = started(tmp_path)
    edits = [(CARD_19, "title: 降低企业用电成本", "title: 降低民营企业用电成本"),  # lists show titles
             (CARD_19, "深化电力体制改革", "深化[[shuozhou-private-economy-2019-20]]电力体制改革"),  # a backlink
             (CARD_19, "topics: [用能]", "topics: [融资]"),
             ("templates/card.html", "</article>", "</article><!-- edited -->")]
    for rel, old, new in edits:
        result = preview.rebuild({edit_file(project, rel, old, new)})
        assert result.ok and not result.quick, rel
        assert_full_build_once_settled(project, preview)
    linked = "shuozhou-private-economy-2019-19"
    assert linked in (project.site / "cards/shuozhou-private-economy-2019-20/index.html").read_text(encoding="utf-8")


def test_a_text_edit_with_a_broken_link_fails_as_a_full_build_does(tmp_path):
    project, preview, lines = started(tmp_path)
    before = (project.site / CARD_PAGE).read_bytes()
    result = preview.rebuild({edit_file(project, CARD_19, "深化电力体制改革", "深化[[no-such-card]]电力体制改革")})
    assert result is not None and not result.ok and not result.quick
    assert "no-such-card" in "\n".join(lines)
    assert (project.site / CARD_PAGE).read_bytes() == before
    fixed = preview.rebuild({edit_file(project, CARD_19, "[[no-such-card]]", "")})
    assert fixed.ok
    assert_full_build_once_settled(project, preview)


def test_no_quick_rebuild_while_other_content_is_broken(tmp_path):
    project, preview, lines = started(tmp_path)
    assert not preview.rebuild({edit_file(project, CARD_20, "title: ", "title: [")}).ok
    result = preview.rebuild({edit_file(project, CARD_19, "深化电力体制改革", "全面深化电力体制改革")})
    assert result is not None and not result.ok and not result.quick  # 20.md is still broken: still said
    assert "20.md" in lines[-2] or "20.md" in "\n".join(lines[-4:])
    assert preview.rebuild({edit_file(project, CARD_20, "title: [", "title: ")}).ok
    assert_full_build_once_settled(project, preview)
