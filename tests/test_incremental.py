"""Incremental rebuilds: after an edit, only the pages the edit touches are rendered, and the
result is exactly what a full build of the same content gives."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Project
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.pipeline import Builder, BuildResult

CARD = "content/cards/shuozhou-private-economy-2019/19.md"
CARD_PAGE = "cards/shuozhou-private-economy-2019-19/index.html"
DOC_PAGE = "documents/shuozhou-private-economy-2019/index.html"


@pytest.fixture
def seed(tmp_path: Path) -> tuple[Project, Builder]:
    proj = Project(tmp_path / "project", seed_content=True)
    builder = Builder(load_config(proj.root / "config.yaml", Diagnostics()))
    first = builder.build()
    assert first.ok, first.diagnostics.report()
    return proj, builder


def edit(proj: Project, rel: str, old: str, new: str) -> None:
    path = proj.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rebuild(proj: Project, builder: Builder) -> BuildResult:
    """Rebuild, and check that the pages are byte for byte those of a fresh full build."""
    result = builder.build()
    assert result.ok, result.diagnostics.report()
    full = Builder(load_config(proj.root / "config.yaml", Diagnostics())).build()
    assert full.ok
    assert result.site.keys() == full.site.keys()
    differing = [page for page in full.site if full.site[page] != result.site[page]]
    assert differing == [], f"incremental pages differ from a full build: {differing[:5]}"
    return result


def text_of(result: BuildResult, page: str) -> str:
    return result.site[page].decode("utf-8")


def test_editing_a_cards_text_renders_that_card_and_few_other_pages(seed):
    proj, builder = seed
    edit(proj, CARD, "深化电力体制改革", "全面深化电力体制改革")
    result = rebuild(proj, builder)
    assert CARD_PAGE in result.changed
    assert "全面深化电力体制改革" in text_of(result, CARD_PAGE)
    assert result.rendered < 30, f"{result.rendered} of {result.pages} pages rendered for one edit"


def test_a_new_title_reaches_every_page_that_lists_the_card(seed):
    proj, builder = seed
    edit(proj, CARD, "title: 降低企业用电成本", "title: 降低民营企业用电成本")
    result = rebuild(proj, builder)
    listing = [page for page, html in result.site.items() if "降低民营企业用电成本".encode() in html]
    assert CARD_PAGE in listing and DOC_PAGE in listing
    assert "topics/yong-neng/index.html" in listing  # the card's topic, 用能
    assert any(page.startswith("agencies/") for page in listing)
    assert set(listing) <= set(result.changed)
    assert result.rendered < result.pages / 4


def test_a_card_moved_to_another_topic_leaves_the_old_topic_page(seed):
    proj, builder = seed
    edit(proj, CARD, "topics: [用能]", "topics: [融资]")
    result = rebuild(proj, builder)
    link = "/cards/shuozhou-private-economy-2019-19/"
    assert link not in text_of(result, "topics/yong-neng/index.html")
    assert link in text_of(result, "topics/rong-zi/index.html")


def test_a_deleted_card_loses_its_page_and_its_listings(seed):
    proj, builder = seed
    (proj.root / CARD).unlink()
    result = rebuild(proj, builder)
    assert CARD_PAGE in result.removed and CARD_PAGE not in result.site
    assert "shuozhou-private-economy-2019-19/" not in text_of(result, DOC_PAGE)
    assert "shuozhou-private-economy-2019-19/" not in text_of(result, "topics/yong-neng/index.html")


def test_a_new_card_gets_a_page_and_is_listed(seed):
    proj, builder = seed
    text = re.sub(r"\nsource: .*", "", (proj.root / CARD).read_text(encoding="utf-8"))  # added by hand
    proj.write("content/cards/shuozhou-private-economy-2019/49.md",
               text.replace("-19\n", "-49\n").replace("number: '19'", "number: '49'")
               .replace("title: 降低企业用电成本", "title: 设立民营企业服务专线"))
    result = rebuild(proj, builder)
    assert "cards/shuozhou-private-economy-2019-49/index.html" in result.changed
    assert "设立民营企业服务专线" in text_of(result, DOC_PAGE)
    assert "设立民营企业服务专线" in text_of(result, "topics/yong-neng/index.html")


def test_a_template_edit_renders_the_pages_that_use_it(seed):
    proj, builder = seed
    edit(proj, "templates/card.html", "</article>", "</article><!-- edited -->")
    result = rebuild(proj, builder)
    card_pages = [page for page in result.site if page.startswith("cards/")]
    assert result.rendered == len(card_pages) == len(result.changed)
    edit(proj, "templates/base.html", "</body>", "<!-- base --></body>")
    assert rebuild(proj, builder).rendered == result.pages


def test_a_static_file_edit_renders_no_page(seed):
    proj, builder = seed
    edit(proj, "static/style.css", "body", "/* edited */\nbody")
    result = rebuild(proj, builder)
    assert result.rendered == 0 and result.changed == {}
    assert result.static == ("static/style.css",)


def test_a_change_to_agencies_yaml_renders_everything(seed):
    proj, builder = seed
    registry = (proj.root / "content/agencies.yaml").read_text(encoding="utf-8")
    name = re.search(r"name: (\S+)", registry).group(1)
    proj.write("content/agencies.yaml", registry + f"- name: {name}测试\n  level: 市\n")
    result = rebuild(proj, builder)
    assert result.rendered == result.pages


def test_a_failed_rebuild_keeps_the_last_good_build_and_the_fix_changes_nothing(seed):
    proj, builder = seed
    before = builder.last.pages
    original = (proj.root / CARD).read_text(encoding="utf-8")
    (proj.root / CARD).write_text(original.replace("topics: [用能]", "topics: [用能"), encoding="utf-8")
    failed = builder.build()
    assert not failed.ok
    assert any(d.path == CARD for d in failed.diagnostics.errors)
    assert builder.last.pages is before
    (proj.root / CARD).write_text(original, encoding="utf-8")
    fixed = rebuild(proj, builder)
    assert fixed.changed == {} and fixed.removed == ()


def test_a_template_syntax_error_names_the_template_and_line(seed):
    proj, builder = seed
    edit(proj, "templates/card.html", "</article>", "{% if %}</article>")
    failed = builder.build()
    assert not failed.ok
    [error] = failed.diagnostics.errors
    assert error.path == "templates/card.html" and error.line > 1
    assert error.message.startswith("模板语法错误：")


def test_while_an_editor_types_feeds_and_calendars_wait_and_the_settle_pass_brings_them_up_to_date(seed):
    """An edit in the preview shows the card at once; the Atom feeds and calendars (made over all
    cards, most of an edit's cost in a large handbook) follow once the edits settle."""
    proj, builder = seed
    before = builder.last.extras
    edit(proj, CARD, "深化电力体制改革", "全面深化电力体制改革")
    typing = builder.build(later=True)
    assert typing.ok, typing.diagnostics.report()
    assert "全面深化电力体制改革" in text_of(typing, CARD_PAGE)
    feeds = [p for p in before if p.startswith("feeds/")]
    assert feeds and all(typing.site[p] == before[p] for p in feeds)  # not remade while typing
    assert builder.pending  # the preview knows a settle pass is due
    settled = rebuild(proj, builder)  # the settle pass: exactly a full build
    assert any(settled.site[p] != before[p] for p in feeds)
    assert not builder.pending
