"""Importing the seed documents: one card per measure, whatever the document's convention."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import Project
from policy_handbook.content.frontmatter import dump, parse

SEED_COUNTS = {
    "shuozhou-private-economy-2019": 48,
    "shanxi-cost-reduction-2016": 44,
    "xinzhou-business-environment-2021": 51,
    "pianguan-48-measures": 48,
    "ganzhou-cost-reduction-2016": 18,  # 15 tasks under 二、 and 3 measures under 三、
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Project:
    """The seed documents and sources, with no cards yet, imported from scratch."""
    proj = Project(tmp_path_factory.mktemp("import") / "project", seed_content=True)
    shutil.rmtree(proj.root / "content" / "cards")
    (proj.root / "content" / "import-state.json").unlink()
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    return proj


def cards_of(proj: Project, doc_id: str) -> dict[str, dict]:
    folder = proj.root / "content" / "cards" / doc_id
    out = {}
    for path in folder.glob("*.md"):
        parsed = parse(path.read_text(encoding="utf-8"))
        out[parsed.data["id"]] = {**parsed.data, "body": parsed.body.strip()}
    return out


def test_every_seed_document_yields_its_number_of_cards(imported):
    for doc_id, count in SEED_COUNTS.items():
        assert len(cards_of(imported, doc_id)) == count, doc_id


@pytest.mark.parametrize("card_id, title", [
    ("shuozhou-private-economy-2019-1", "用足用好现有政策"),
    ("shuozhou-private-economy-2019-3", "优化环评服务和环保监管"),
    ("shuozhou-private-economy-2019-48", "建立上报考评机制"),
    ("shanxi-cost-reduction-2016-1", "指导思想"),
    ("shanxi-cost-reduction-2016-4", "全面推开营改增试点，确保所有行业税负只减不增"),
    ("shanxi-cost-reduction-2016-44", "适时评估总结和推广经验"),
    ("xinzhou-business-environment-2021-1", "推动“非禁即入”全面落实"),
    ("xinzhou-business-environment-2021-3", "深化“证照分离”改革"),
    ("xinzhou-business-environment-2021-51", "构建“亲”“清”新型政商关系"),
    ("pianguan-48-measures-1-1", "坚持“法无禁止即可入”"),
    ("pianguan-48-measures-2-3", "推行涉企经营许可承诺制"),
    ("pianguan-48-measures-9-5", "做好宣传引导"),
    ("ganzhou-cost-reduction-2016-2-1-2", "编制惠企政策文件汇编"),
    ("ganzhou-cost-reduction-2016-2-5-2", "强化总结评估"),
    ("ganzhou-cost-reduction-2016-3-3", "营造舆论氛围"),
])
def test_card_titles_are_the_lead_sentence_without_the_number(imported, card_id, title):
    doc_id = next(d for d in SEED_COUNTS if card_id.startswith(d + "-"))
    assert cards_of(imported, doc_id)[card_id]["title"] == title


def test_shuozhou_card_keeps_body_and_agency_note_and_drops_typesetting_codes(imported):
    card = cards_of(imported, "shuozhou-private-economy-2019")["shuozhou-private-economy-2019-21"]
    assert card["number"] == "21"
    assert card["source"] == {"file": "shuozhou-private-economy-48-measures.txt", "line": 41}
    assert "〖" not in card["body"] and "JP2" not in card["body"]
    assert card["body"].startswith("加快“公转铁”运输结构调整")
    assert card["body"].endswith("（市交通局、市经信委牵头负责）")  # the source prints (…)


def test_shanxi_items_carry_chapter_heading_and_general_requirements_are_marked(imported):
    cards = cards_of(imported, "shanxi-cost-reduction-2016")
    general = {cid for cid, c in cards.items() if c["kind"] == "general"}
    assert general == {f"shanxi-cost-reduction-2016-{n}" for n in (1, 2, 3)}
    four = cards["shanxi-cost-reduction-2016-4"]
    assert four["number"] == "（四）"
    assert four["heading"] == ["二、合理降低企业税费负担（牵头单位：省财政厅）"]
    # (三) has no text on its own line: its body is the five paragraphs that follow.
    assert cards["shanxi-cost-reduction-2016-3"]["body"].count("\n\n") == 4
    assert all("\ue004" not in c["body"] and "\ue004" not in c["title"] for c in cards.values())


def test_xinzhou_heading_path_has_chapter_section_and_subtitle(imported):
    cards = cards_of(imported, "xinzhou-business-environment-2021")
    assert cards["xinzhou-business-environment-2021-1"]["heading"] == [
        "第三章 聚焦服务市场主体 打造“六最”营商环境", "第一节 聚焦市场主体突破发展", "打造审批最少的营商环境"]
    # A section title broken across two lines is joined back together.
    assert cards["xinzhou-business-environment-2021-50"]["heading"][-1] == \
        "第六节 构建以快速响应为基础的常态化政企联系制度体系"


def test_pianguan_series_groups_issues_and_no_header_or_footer_in_text(imported):
    cards = cards_of(imported, "pianguan-48-measures")
    groups: dict[str, list[int]] = {}
    for card in sorted(cards.values(), key=lambda c: c["source"]["line"]):
        groups.setdefault(card["series"]["group"], []).append(card["series"]["issue"])
    assert [len(v) for v in groups.values()] == [7, 4, 7, 7, 6, 4, 3, 5, 5]
    assert all(v == list(range(1, len(v) + 1)) for v in groups.values())
    assert list(groups)[0] == "大幅放宽市场准入"
    assert cards["pianguan-48-measures-1-1"]["number"] == "第一期"
    for card in cards.values():
        assert "市场主体 倍增工作 知识点" not in card["body"]
        assert "偏关县优化营商环境促进市场主体倍增工作专班" not in card["body"]


def test_ganzhou_tasks_under_two_and_measures_under_three(imported):
    cards = cards_of(imported, "ganzhou-cost-reduction-2016")
    assert cards["ganzhou-cost-reduction-2016-2-1-1"]["heading"] == ["二、重点任务及工作要求", "（一）制定惠企政策措施"]
    assert cards["ganzhou-cost-reduction-2016-3-1"]["heading"] == ["三、保障措施"]
    assert cards["ganzhou-cost-reduction-2016-3-1"]["number"] == "(一)"
    # The signature and date that close the notice are not part of the last measure.
    last = cards["ganzhou-cost-reduction-2016-3-3"]["body"]
    assert "2016年5月6日" not in last and "中共赣州市委 赣州市人民政府" not in last


def test_reimporting_unchanged_sources_changes_no_file(imported):
    before = {p: p.read_bytes() for p in (imported.root / "content").rglob("*.md")}
    result = imported.run("import")
    assert result.returncode == 0, result.stderr
    assert "写入 0 张，209 张没有变化" in result.stdout
    assert "找到的机构：92 个（其中 0 个新加入 content/agencies.yaml）" in result.stdout
    assert "没有主题的卡片：0 张" in result.stdout
    assert {p: p.read_bytes() for p in (imported.root / "content").rglob("*.md")} == before


def test_the_bundled_cards_are_what_the_importer_produces(imported):
    fresh = {p.relative_to(imported.root).as_posix(): p.read_text(encoding="utf-8")
             for p in (imported.root / "content" / "cards").rglob("*.md")}
    repo = Path(__file__).resolve().parent.parent
    bundled = {p.relative_to(repo).as_posix(): without_editors(p.read_text(encoding="utf-8"))
               for p in (repo / "content" / "cards").rglob("*.md")}
    assert fresh == bundled


def without_editors(text: str) -> str:
    """A card file without the fields only editors write (import never does)."""
    parsed = parse(text)
    return dump({k: v for k, v in parsed.data.items() if k != "application"}, parsed.body)


NOTICE = """关于做好示例工作的通知
各有关单位:
一、工作目标
到2025年,基本建成示例体系。
二、主要任务
(一)优化服务
1.压缩办理时限。企业开办时间压缩至1个工作日。
2.推行网上办理。全面推行“一网通办”。
(二)加强保障
1.落实资金。安排专项资金支持示例工作。
三、组织实施
(一)加强领导。成立工作专班。
示例市人民政府
2024年3月1日
"""


def test_structure_is_detected_from_the_text_not_the_file_name(project):
    """An editor's new notice, under any name, splits the same way as the seeds of its genre."""
    project.write("content/sources/any-name.txt", NOTICE)
    project.document("demo-notice", source="any-name.txt")
    result = project.run("import")
    assert result.returncode == 0, result.stderr
    cards = cards_of(project, "demo-notice")
    assert {c["id"]: c["title"] for c in cards.values()} == {
        "demo-notice-2-1-1": "压缩办理时限", "demo-notice-2-1-2": "推行网上办理",
        "demo-notice-2-2-1": "落实资金", "demo-notice-3-1": "加强领导"}
    assert "示例市人民政府" not in cards["demo-notice-3-1"]["body"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_sources_in_bom_utf8_and_gb18030_import_like_utf8(project, encoding):
    (project.root / "content/sources/n.txt").write_bytes(NOTICE.encode(encoding))
    project.document("demo-notice", source="n.txt")
    result = project.run("import")
    assert result.returncode == 0, result.stderr
    assert cards_of(project, "demo-notice")["demo-notice-2-1-1"]["title"] == "压缩办理时限"


def test_an_undecodable_source_is_named_and_the_other_documents_are_imported(project):
    """Issue 13: one bad file never blocks the rest, but the command fails so CI notices."""
    project.write("content/sources/good.txt", NOTICE)
    project.document("good", source="good.txt")
    (project.root / "content/sources/bad.txt").write_bytes("一、总则\n".encode() + b"\xff\xfe\xfa" * 20)
    project.document("bad", source="bad.txt")
    result = project.run("import")
    assert result.returncode == 1
    assert "content/sources/bad.txt:2: 错误：" in result.stderr and "既不是 UTF-8 也不是 GB18030" in result.stderr
    assert "个文件没有导入" in result.stdout and "bad" in result.stdout
    assert not (project.root / "content/cards/bad").exists()
    assert len(list((project.root / "content/cards/good").glob("*.md"))) == 4


def test_markdown_characters_in_source_text_stay_literal(project):
    project.write("content/sources/m.txt", "1.推行“承诺制+标准地”。<b>注意</b> *星号* [括号]\n+ 开头的加号\n")
    project.document("m", source="m.txt")
    assert project.run("import").returncode == 0
    assert project.run("build").returncode == 0
    html = (project.site / "cards/m-1/index.html").read_text(encoding="utf-8")
    body = html[html.index('<div class="card-body">'):html.index('<footer class="card-foot">')]
    assert "&lt;b&gt;注意&lt;/b&gt; *星号* [括号]" in body
    assert "+ 开头的加号" in body and "<ul>" not in body


def test_cards_say_who_leads_by_when_and_about_what(imported):
    shuozhou = cards_of(imported, "shuozhou-private-economy-2019")
    assert shuozhou["shuozhou-private-economy-2019-5"]["agencies"] == {
        "lead": ["朔州市纪委监委", "朔州市发改委", "朔州市经信委"]}
    assert shuozhou["shuozhou-private-economy-2019-48"]["deadlines"] == [{"kind": "recurring", "text": "每季度末"}]
    pianguan = cards_of(imported, "pianguan-48-measures")
    assert pianguan["pianguan-48-measures-9-1"]["deadlines"] == [
        {"kind": "recurring", "text": "每季度"}, {"kind": "recurring", "text": "每半年"}]
    shanxi = cards_of(imported, "shanxi-cost-reduction-2016")
    assert shanxi["shanxi-cost-reduction-2016-42"]["agencies"]["responsible"] == [
        "山西省各市、县人民政府", "山西省各有关部门"]
    assert shanxi["shanxi-cost-reduction-2016-4"]["topics"] == ["税费"]
    assert shanxi["shanxi-cost-reduction-2016-17"]["deadlines"] == [
        {"kind": "period", "start": "2016-05-01", "end": "2018-04-30", "text": "从2016年5月1日起至2018年4月30日"}]
    ganzhou = cards_of(imported, "ganzhou-cost-reduction-2016")
    assert ganzhou["ganzhou-cost-reduction-2016-2-1-2"]["deadlines"] == [
        {"kind": "due", "date": "2016-05-20", "text": "5月20日前"}]
    assert ganzhou["ganzhou-cost-reduction-2016-2-1-2"]["agencies"] == {
        "mentioned": ["赣州市直各部门", "赣州市专项行动领导小组办公室"]}
    # No agency is invented where the text names none.
    assert "agencies" not in shanxi["shanxi-cost-reduction-2016-33"]


def test_every_card_has_a_topic_and_topics_follow_headings(imported):
    for doc_id in SEED_COUNTS:
        for card in cards_of(imported, doc_id).values():
            assert card.get("topics"), card["id"]
    pianguan = cards_of(imported, "pianguan-48-measures")
    assert pianguan["pianguan-48-measures-7-1"]["topics"][0] == "融资"  # “48条”之加大融资支持力度
    shanxi = cards_of(imported, "shanxi-cost-reduction-2016")
    assert shanxi["shanxi-cost-reduction-2016-7"]["topics"][0] == "融资"  # 三、有效降低企业融资成本
    assert shanxi["shanxi-cost-reduction-2016-21"]["topics"][0] == "用能"  # 用电 under 用能用地


def test_import_prints_the_summary(imported):
    result = imported.run("import")
    for line in ("shuozhou-private-economy-2019：48 张卡片", "找到的机构：92 个",
                 "找到的时限：43 个有日期，17 个是期限", "没有机构的卡片：108 张",
                 "没有主题的卡片：0 张"):
        assert line in result.stdout


def test_explain_shows_the_phrase_each_agency_and_deadline_was_read_from(project_with_seed):
    before = {p: p.read_bytes() for p in (project_with_seed.root / "content").rglob("*") if p.is_file()}
    result = project_with_seed.run("import", "--explain", "ganzhou-cost-reduction-2016-2-1-1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "原文：content/sources/ganzhou-2016-cost-reduction-campaign.txt:11" in out
    assert "截止  2016-05-20（原文写作“5月20日之前”）" in out
    assert "依据：“市直各部门要对照《若干政策措施》,于5月20日之前,制定具体办法或操作细则”" in out  # as the source has it
    assert "提到  赣州市直各部门（原文写作“市直各部门”）" in out
    explained = project_with_seed.run("import", "--explain", "shanxi-cost-reduction-2016-4").stdout
    assert "牵头  山西省财政厅（原文写作“省财政厅”）\n        依据：“牵头单位：省财政厅”" in explained
    after = {p: p.read_bytes() for p in (project_with_seed.root / "content").rglob("*") if p.is_file()}
    assert after == before  # explaining writes nothing


def test_explain_names_an_unknown_card_and_how_to_find_one(project_with_seed):
    result = project_with_seed.run("import", "--explain", "ganzhou-cost-reduction-2016-9-9")
    assert result.returncode == 1
    assert "导入读到的卡片里没有“ganzhou-cost-reduction-2016-9-9”" in result.stderr
    assert "ganzhou-cost-reduction-2016-2-1-1" in result.stderr


def test_a_traditional_character_document_names_the_bodies_the_handbook_already_has(project_with_seed):
    """A 朔州 notice reposted in traditional characters: its cards link to 朔州市财政局, the body
    the agency directory already lists, not to a second, traditional-character entry."""
    project_with_seed.write("content/sources/trad.txt",
                            "一、降低成本\n1.落實稅費政策。(牽頭單位:市財政局;責任單位:市發改委)\n")
    project_with_seed.document("trad-notice", source="trad.txt", region="朔州市")
    before = (project_with_seed.root / "content/agencies.yaml").read_text(encoding="utf-8")
    result = project_with_seed.run("import")
    assert result.returncode == 0, result.stderr
    card = cards_of(project_with_seed, "trad-notice")["trad-notice-1"]
    assert card["agencies"] == {"lead": ["朔州市财政局"], "responsible": ["朔州市发改委"]}
    assert (project_with_seed.root / "content/agencies.yaml").read_text(encoding="utf-8") == before
