"""`build.py new`: a new card with the next free number and id, valid at once, kept by import."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Project
from policy_handbook.errors import Diagnostics
from policy_handbook.content.frontmatter import parse
from policy_handbook.text.numerals import parse_chinese_numeral
from policy_handbook.importer.scaffold import PlannedCard, chinese_numeral, read_number, write_card

SHUOZHOU = "shuozhou-private-economy-2019"
PIANGUAN = "pianguan-48-measures"
PIANGUAN_GROUPS = ["大幅放宽市场准入", "促进市场主体开办经营便利化", "搭建市场主体集聚发展平台载体",
                   "培育壮大产业主体", "强化土地环境能耗保障支撑", "加大财税支持力度", "加大融资支持力度",
                   "精准高效服务企业", "完善政策落实机制"]


def new(proj: Project, *args: str) -> tuple[str, dict, str]:
    """Run `new`; the printed path, and the front matter and body of the file it names."""
    result = proj.run("new", *args)
    assert result.returncode == 0, result.stderr
    rel, next_step = result.stdout.splitlines()
    assert next_step.startswith("下一步：") and "python build.py check" in next_step
    parsed = parse((proj.root / rel).read_text(encoding="utf-8"))
    return rel, parsed.data, parsed.body


def card_files(proj: Project) -> dict[str, bytes]:
    folder = proj.root / "content" / "cards"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fails_without_writing(proj: Project, *args: str) -> str:
    """Run `new` expecting an error; no card file may appear or change. Returns stderr."""
    before = card_files(proj)
    result = proj.run("new", *args)
    assert result.returncode == 1, result.stdout
    assert card_files(proj) == before
    assert "没有写入卡片" in result.stderr
    return result.stderr


def check_passes(proj: Project, cards: int) -> None:
    result = proj.run("check")
    assert result.returncode == 0, result.stderr
    assert f"（{cards} 张卡片，" in result.stdout


def test_new_card_in_a_plain_document_takes_the_next_number_and_passes_check(project_with_seed):
    rel, data, body = new(project_with_seed, SHUOZHOU, "--title", "设立民营企业服务专线")
    assert rel == f"content/cards/{SHUOZHOU}/49.md"
    assert data == {
        "id": f"{SHUOZHOU}-49", "title": "设立民营企业服务专线", "document": SHUOZHOU, "number": "49",
        "kind": "measure", "heading": [], "agencies": {"lead": [], "responsible": [], "support": []},
        "deadlines": [], "time_limits": [], "topics": [], "beneficiaries": []}
    assert body.strip().startswith("待填写")
    check_passes(project_with_seed, 210)


@pytest.mark.parametrize("doc_id, local, number", [
    ("xinzhou-business-environment-2021", "52", "52"),
    ("shanxi-cost-reduction-2016", "45", "（四十五）"),
    # Ganzhou numbers 1-3 again under each (一)…(五), then (一)-(三) under 三、 (ASCII brackets):
    # the number continues the last card's style; numbers repeat, so the id is the position.
    ("ganzhou-cost-reduction-2016", "19", "(四)"),
])
def test_number_continues_in_the_style_the_document_prints(project_with_seed, doc_id, local, number):
    rel, data, _ = new(project_with_seed, doc_id)
    assert rel == f"content/cards/{doc_id}/{local}.md"
    assert (data["id"], data["number"]) == (f"{doc_id}-{local}", number)
    assert data["title"] == "待填写：标题"
    check_passes(project_with_seed, 210)


def test_a_second_new_card_follows_the_first(project_with_seed):
    new(project_with_seed, "ganzhou-cost-reduction-2016")
    rel, data, _ = new(project_with_seed, "ganzhou-cost-reduction-2016")
    assert rel.endswith("/20.md") and data["number"] == "(五)"
    check_passes(project_with_seed, 211)


def test_series_card_is_the_next_issue_of_its_group(project_with_seed):
    rel, data, _ = new(project_with_seed, PIANGUAN, "--group", "完善政策落实机制", "--title", "新一期")
    assert rel == f"content/cards/{PIANGUAN}/9-6.md"
    assert data["id"] == f"{PIANGUAN}-9-6"
    assert data["number"] == "第六期"
    assert data["series"] == {"group": "完善政策落实机制", "issue": 6}
    rel, data, _ = new(project_with_seed, PIANGUAN, "--group", "大幅放宽市场准入")
    assert rel.endswith("/1-8.md") and data["number"] == "第八期"
    check_passes(project_with_seed, 211)


def test_an_unknown_group_name_starts_a_new_group(project_with_seed):
    rel, data, _ = new(project_with_seed, PIANGUAN, "--group", "人才引进")
    assert rel == f"content/cards/{PIANGUAN}/10-1.md"
    assert (data["number"], data["series"]) == ("第一期", {"group": "人才引进", "issue": 1})
    rel, data, _ = new(project_with_seed, PIANGUAN, "--group", "人才引进")
    assert rel.endswith("/10-2.md") and data["number"] == "第二期"
    check_passes(project_with_seed, 211)
    result = project_with_seed.run("build")
    assert result.returncode == 0, result.stderr
    html = (project_with_seed.site / f"cards/{PIANGUAN}-10-2/index.html").read_text(encoding="utf-8")
    assert "“48条”之人才引进 第二期" in html


def test_a_group_name_close_to_an_existing_one_is_refused_unless_new_group(project_with_seed):
    stderr = fails_without_writing(project_with_seed, PIANGUAN, "--group", "完善政策落实机")
    assert f"content/documents/{PIANGUAN}.md: 错误：“{PIANGUAN}”里没有组“完善政策落实机”" in stderr
    assert "是不是“完善政策落实机制”？" in stderr and "--new-group" in stderr
    rel, data, _ = new(project_with_seed, PIANGUAN, "--group", "完善政策落实机", "--new-group")
    assert rel.endswith("/10-1.md") and data["series"] == {"group": "完善政策落实机", "issue": 1}


def test_new_group_for_an_existing_group_is_refused(project_with_seed):
    stderr = fails_without_writing(project_with_seed, PIANGUAN, "--group", "完善政策落实机制", "--new-group")
    assert "组“完善政策落实机制”已经存在" in stderr


def test_series_document_without_group_lists_its_groups(project_with_seed):
    stderr = fails_without_writing(project_with_seed, PIANGUAN)
    assert "是系列，要说明卡片属于哪个组；加上 --group 组名" in stderr
    assert all(name in stderr for name in PIANGUAN_GROUPS)


def test_group_for_a_plain_document_is_refused(project_with_seed):
    stderr = fails_without_writing(project_with_seed, SHUOZHOU, "--group", "任意")
    assert f"文件“{SHUOZHOU}”不是系列" in stderr


def test_unknown_document_suggests_the_closest_and_lists_all(project_with_seed):
    stderr = fails_without_writing(project_with_seed, "shuozhou-private-economy")
    assert "content/documents: 错误：没有文件“shuozhou-private-economy”；" \
           f"是不是“{SHUOZHOU}”？" in stderr
    for doc_id in ("ganzhou-cost-reduction-2016", PIANGUAN, "shanxi-cost-reduction-2016", SHUOZHOU,
                   "xinzhou-business-environment-2021"):
        assert doc_id in stderr


def test_content_errors_in_cards_stop_it_before_anything_is_written(project_with_seed):
    broken = project_with_seed.root / "content" / "cards" / SHUOZHOU / "48.md"
    broken.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    stderr = fails_without_writing(project_with_seed, SHUOZHOU)
    assert f"content/cards/{SHUOZHOU}/48.md:2: 错误：文件头的 YAML 写法有误" in stderr
    assert "无法知道哪些卡片编号已被使用" in stderr


@pytest.mark.parametrize("name, card_id", [
    ("49.md", f"{SHUOZHOU}-extra"),  # the file name the new card would take
    ("extra.md", f"{SHUOZHOU}-49"),  # the id the new card would take
])
def test_an_existing_file_or_id_is_never_reused(project_with_seed, name, card_id):
    existing = project_with_seed.write(
        f"content/cards/{SHUOZHOU}/{name}",
        f"---\nid: {card_id}\ntitle: 编辑补充\ndocument: {SHUOZHOU}\nnumber: 补充\n---\n\n编辑写的。\n")
    text = existing.read_bytes()
    rel, data, _ = new(project_with_seed, SHUOZHOU)
    assert rel == f"content/cards/{SHUOZHOU}/49-2.md"
    assert (data["id"], data["number"]) == (f"{SHUOZHOU}-49-2", "49")
    assert existing.read_bytes() == text
    check_passes(project_with_seed, 211)


def test_write_never_overwrites_a_file(tmp_path: Path):
    path = tmp_path / "49.md"
    path.write_text("an editor's card", encoding="utf-8")
    diagnostics = Diagnostics()
    card = PlannedCard(path, "content/cards/x/49.md", {"id": "x-49"}, "正文")
    assert write_card(card, diagnostics) is False
    assert path.read_text(encoding="utf-8") == "an editor's card"
    assert str(diagnostics.errors[0]).startswith("content/cards/x/49.md: 错误：这个文件已经存在")


def test_new_card_survives_import(project_with_seed):
    made = [new(project_with_seed, *args)[0] for args in (
        [SHUOZHOU, "--title", "测试"], ["ganzhou-cost-reduction-2016"],
        [PIANGUAN, "--group", "完善政策落实机制"], [PIANGUAN, "--group", "人才引进"])]
    before = {rel: (project_with_seed.root / rel).read_bytes() for rel in made}
    result = project_with_seed.run("import")
    assert result.returncode == 0, result.stderr
    assert {rel: (project_with_seed.root / rel).read_bytes() for rel in made} == before
    state = (project_with_seed.root / "content" / "import-state.json").read_text(encoding="utf-8")
    assert not any(rel in state for rel in made)
    check_passes(project_with_seed, 213)


def test_the_place_of_a_card_an_editor_deleted_is_not_reused(project_with_seed):
    """import-state.json remembers 48.md: a new card there would be taken for measure 48."""
    (project_with_seed.root / "content" / "cards" / SHUOZHOU / "48.md").unlink()
    rel, data, _ = new(project_with_seed, SHUOZHOU)
    assert rel == f"content/cards/{SHUOZHOU}/48-2.md" and data["number"] == "48"
    result = project_with_seed.run("import")
    assert result.returncode == 0, result.stderr
    assert "48.md 已被编辑删除，导入没有重新建立它" in result.stdout
    assert not (project_with_seed.root / "content" / "cards" / SHUOZHOU / "48.md").exists()
    assert parse((project_with_seed.root / rel).read_text(encoding="utf-8")).data == data


def test_new_card_has_its_page_in_the_built_site(project_with_seed):
    new(project_with_seed, SHUOZHOU, "--title", "设立民营企业服务专线")
    result = project_with_seed.run("build")
    assert result.returncode == 0, result.stderr
    html = (project_with_seed.site / f"cards/{SHUOZHOU}-49/index.html").read_text(encoding="utf-8")
    assert "设立民营企业服务专线" in html
    document = (project_with_seed.site / f"documents/{SHUOZHOU}/index.html").read_text(encoding="utf-8")
    assert f"/cards/{SHUOZHOU}-49/" in document


@pytest.mark.parametrize("value, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (45, "四十五"),
                                         (100, "一百"), (103, "一百零三"), (110, "一百一十"), (999, "九百九十九")])
def test_chinese_numerals_are_written_as_documents_print_them(value, text):
    assert chinese_numeral(value) == text


def test_chinese_numerals_read_back_as_the_same_number():
    assert all(parse_chinese_numeral(chinese_numeral(n)) == n for n in range(1, 1000))


@pytest.mark.parametrize("printed, value, again", [
    ("19", 19, "20"), ("（二十一）", 21, "（二十二）"), ("(三)", 3, "(四)"), ("第五期", 5, "第六期"), ("十", 10, "十一"),
])
def test_a_printed_number_is_read_with_its_style(printed, value, again):
    style, read = read_number(printed)
    assert read == value and style.format(value + 1) == again
