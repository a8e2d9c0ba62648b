"""Import never loses editors' work: every measure gets a card file of its own, editors' work
follows the measure it was written for, and a damaged or missing import-state stops import
with a clear error instead of a traceback or recreated cards."""
from __future__ import annotations

import json

from conftest import Project
from policy_handbook.content.frontmatter import dump, parse

# 第X章 each restart 一、二、三: a common layout for 实施方案 and 规划.
CHAPTERS = """示例市促进民营经济发展实施方案
第一章 总体要求
一、坚持市场主导。充分发挥市场在资源配置中的决定性作用。
二、坚持问题导向。聚焦企业反映强烈的突出问题，逐项研究解决。
第二章 主要任务
一、降低用地成本。对符合条件的民营企业项目优先安排用地指标。
二、降低融资成本。引导金融机构扩大对民营企业的信贷投放。
第三章 保障措施
一、加强组织领导。成立由市政府主要领导任组长的工作领导小组。
二、强化督查考核。将政策落实情况纳入年度目标责任考核。
示例市人民政府
2024年3月1日
"""

# A knowledge-card series whose group 放宽市场准入 is printed again later, starting at 第一期.
SERIES = """“20条”之放宽市场准入 第一期
推行经营范围自主申报。企业可自主选择经营范围条目。
“20条”之放宽市场准入 第二期
推行住所申报承诺制。申请人对住所的真实性作出承诺即可登记。
“20条”之加大融资支持 第一期
设立应急转贷资金。为企业提供短期周转资金。
“20条”之放宽市场准入 第一期
放宽名称登记限制。企业名称可使用行业新词。
"""


def card_files(proj: Project, doc_id: str) -> dict[str, dict]:
    """Each card file of a document: its name -> front matter with the body under 'body'."""
    out = {}
    for path in sorted((proj.root / "content/cards" / doc_id).glob("*.md")):
        parsed = parse(path.read_text(encoding="utf-8"))
        out[path.name] = {**parsed.data, "body": parsed.body.strip()}
    return out


def imported(proj: Project, source: str, doc_id: str = "demo") -> Project:
    proj.write("content/regions.yaml", "- {name: 示例市, level: 市, short: 示例}\n")
    proj.write(f"content/sources/{doc_id}.txt", source)
    proj.document(doc_id, source=f"{doc_id}.txt")
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    return proj


# Item 2: card ids are unique by construction.

def test_numbering_that_restarts_in_each_chapter_gives_every_measure_its_own_card(project):
    imported(project, CHAPTERS)
    cards = card_files(project, "demo")
    assert {name: c["title"] for name, c in cards.items()} == {
        "1-1.md": "坚持市场主导", "1-2.md": "坚持问题导向", "2-1.md": "降低用地成本",
        "2-2.md": "降低融资成本", "3-1.md": "加强组织领导", "3-2.md": "强化督查考核"}
    assert all(c["id"] == "demo-" + name[:-3] for name, c in cards.items())


def test_a_series_group_printed_again_keeps_both_issues(project):
    proj = project
    proj.write("content/sources/s.txt", SERIES)
    proj.document("demo", source="s.txt", series={"name": "示例20条", "label": "“20条”"})
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    cards = card_files(proj, "demo")
    assert {name: c["title"] for name, c in cards.items()} == {
        "1-1.md": "推行经营范围自主申报", "1-2.md": "推行住所申报承诺制",
        "2-1.md": "设立应急转贷资金", "1-1-2.md": "放宽名称登记限制"}
    assert "1 个文件共 4 张卡片：写入 4 张" in result.stdout
    # The repeat is pointed out at its line in the source.
    assert "content/sources/s.txt:7: 警告：第一期（放宽市场准入）与第 1 行的编号重复；" in result.stderr


# Item 3: editors' work follows the measure it was written for.

NOTICE = """示例市优化营商环境若干措施
1.推行企业开办“一网通办”。企业开办全程网上办理，办理时间压缩至1个工作日。
2.降低企业用电成本。全面清理规范转供电环节不合理加价行为。
3.设立民营企业服务专线。专线电话由市营商环境服务中心受理。
4.建立政策兑现限时办结制度。符合条件的奖补资金在30个工作日内拨付到位。
示例市人民政府
2024年3月1日
"""

INSERTED = "2.推行惠企政策“免申即享”。通过数据共享主动识别符合条件的企业，无需申请即可享受。\n"


def insert_measure(text: str) -> str:
    """The notice with a new measure 2: the old 2-4 are renumbered 3-5."""
    lines = text.splitlines(keepends=True)
    body = [lines[0], lines[1], INSERTED]
    for line in lines[2:5]:
        n = int(line[0])
        body.append(f"{n + 1}{line[1:]}")
    return "".join(body + lines[5:])


def edit(proj: Project, rel: str, change) -> None:
    path = proj.root / rel
    parsed = parse(path.read_text(encoding="utf-8"))
    data, body = change(dict(parsed.data), parsed.body)
    path.write_text(dump(data, body), encoding="utf-8")


def reimport(proj: Project, text: str, doc_id: str = "demo"):
    proj.write(f"content/sources/{doc_id}.txt", text)
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    return result


def test_a_measure_inserted_in_the_source_does_not_move_editors_notes(project):
    imported(project, NOTICE)
    edit(project, "content/cards/demo/3.md", lambda d, b: ({**d, "notes": "专线号码：12345。"}, b))
    edit(project, "content/cards/demo/2.md",
         lambda d, b: (d, b.replace("不合理加价行为。", "不合理加价行为（编辑注：2024年已完成）。")))
    result = reimport(project, insert_measure(NOTICE))
    cards = card_files(project, "demo")
    # The note stays with 设立民营企业服务专线, now numbered 4; nobody else gets it.
    assert cards["3.md"]["title"] == "设立民营企业服务专线" and cards["3.md"]["number"] == "4"
    assert cards["3.md"]["notes"] == "专线号码：12345。"
    assert [c["title"] for c in cards.values() if "notes" in c] == ["设立民营企业服务专线"]
    # The edited body stays with its measure, and the page addresses stay.
    assert cards["2.md"]["title"] == "降低企业用电成本" and cards["2.md"]["number"] == "3"
    assert "编辑注：2024年已完成" in cards["2.md"]["body"]
    assert cards["4.md"]["number"] == "5" and cards["4.md"]["id"] == "demo-4"
    # The new measure gets a card of its own, and the editor is told where.
    new = [c for c in cards.values() if c["title"] == "推行惠企政策“免申即享”"]
    assert len(new) == 1 and new[0]["number"] == "2" and "notes" not in new[0]
    assert len(cards) == 5
    assert "content/sources/demo.txt:3: 措施 2 导入为 content/cards/demo/2-2.md" in result.stdout
    assert "冲突" not in result.stdout
    # A second import changes nothing: every card is matched to its measure.
    again = project.run("import")
    assert "写入 0 张，5 张没有变化" in again.stdout and "注意：" not in again.stdout


def test_a_reworded_measure_keeps_its_notes_through_a_renumbering(project):
    imported(project, NOTICE)
    edit(project, "content/cards/demo/4.md", lambda d, b: ({**d, "notes": "2024年起执行。"}, b))
    changed = insert_measure(NOTICE).replace("在30个工作日内拨付到位", "在20个工作日内拨付到位")
    result = reimport(project, changed)
    card = card_files(project, "demo")["4.md"]
    assert card["number"] == "5" and "20个工作日" in card["body"] and card["notes"] == "2024年起执行。"
    assert "冲突" not in result.stdout


def test_a_measure_replaced_beyond_recognition_is_a_conflict_and_nothing_moves(project):
    imported(project, NOTICE)
    edit(project, "content/cards/demo/3.md", lambda d, b: ({**d, "notes": "专线号码：12345。"}, b))
    before = (project.root / "content/cards/demo/3.md").read_bytes()
    replaced = NOTICE.replace("3.设立民营企业服务专线。专线电话由市营商环境服务中心受理。",
                              "3.开展“双随机、一公开”监管。抽查结果全部向社会公示。")
    result = reimport(project, replaced)
    assert (project.root / "content/cards/demo/3.md").read_bytes() == before
    assert "1 处冲突" in result.stdout
    assert ("content/cards/demo/3.md：保留了编辑的版本，留在原处；"
            "它的措施已不在原文中（原来是 content/sources/demo.txt:4 的 3）") in result.stdout
    cards = card_files(project, "demo")
    assert cards["3-2.md"]["title"] == "开展“双随机、一公开”监管" and "notes" not in cards["3-2.md"]


def test_a_measure_reworded_too_much_to_be_sure_is_a_conflict_naming_the_closest(project):
    imported(project, NOTICE)
    edit(project, "content/cards/demo/3.md", lambda d, b: ({**d, "notes": "专线号码：12345。"}, b))
    before = (project.root / "content/cards/demo/3.md").read_bytes()
    reworded = NOTICE.replace("3.设立民营企业服务专线。专线电话由市营商环境服务中心受理。",
                              "3.设立民营企业诉求热线。诉求由市政务服务中心统一受理并限时答复。")
    result = reimport(project, reworded)
    assert (project.root / "content/cards/demo/3.md").read_bytes() == before
    assert ("content/cards/demo/3.md：保留了编辑的版本，留在原处；它的措施（原来是 content/sources/demo.txt:4 "
            "的 3）在原文中已不是原样；最接近的是 content/sources/demo.txt:4 的 3（相似度 58%，导入为 "
            "content/cards/demo/3-2.md），但差别太大或和另一张卡片太像，无法确定；如果那就是它的措施，"
            "把你的修改复制到 content/cards/demo/3-2.md，再删掉这张卡片") in result.stdout
    assert card_files(project, "demo")["3-2.md"]["title"] == "设立民营企业诉求热线"


def test_an_unedited_card_whose_measure_is_rewritten_follows_the_source_in_place(project):
    imported(project, NOTICE)
    replaced = NOTICE.replace("3.设立民营企业服务专线。专线电话由市营商环境服务中心受理。",
                              "3.开展“双随机、一公开”监管。抽查结果全部向社会公示。")
    result = reimport(project, replaced)
    cards = card_files(project, "demo")
    assert len(cards) == 4 and cards["3.md"]["title"] == "开展“双随机、一公开”监管"
    assert "冲突" not in result.stdout and "写入 1 张" in result.stdout


def test_a_card_made_with_new_does_not_take_the_place_of_a_later_source_measure(project):
    three = NOTICE.replace("4.建立政策兑现限时办结制度。符合条件的奖补资金在30个工作日内拨付到位。\n", "")
    imported(project, three)
    made = project.run("new", "demo", "--title", "编辑补充的措施")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("content/cards/demo/4.md")
    mine = (project.root / "content/cards/demo/4.md").read_bytes()
    result = reimport(project, NOTICE)  # the source gains its measure 4
    assert (project.root / "content/cards/demo/4.md").read_bytes() == mine
    cards = card_files(project, "demo")
    assert cards["4-2.md"]["title"] == "建立政策兑现限时办结制度"
    assert cards["4-2.md"]["id"] == "demo-4-2" and cards["4-2.md"]["number"] == "4"
    assert ("措施 4 导入为 content/cards/demo/4-2.md，因为 content/cards/demo/4.md "
            "是编辑新建的卡片") in result.stdout
    assert "冲突" not in result.stdout


# Item 4: a damaged or missing import-state loses nothing.

STATE = "content/import-state.json"


def everything(proj: Project) -> dict[str, bytes]:
    content = proj.root / "content"
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def fails_writing_nothing(proj: Project) -> str:
    before = everything(proj)
    result = proj.run("import")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "导入失败；没有写入任何文件" in result.stderr
    assert everything(proj) == before
    return result.stderr


def test_a_damaged_import_state_is_an_error_at_its_line_and_nothing_is_written(project):
    imported(project, NOTICE)
    state = project.root / STATE
    text = state.read_text(encoding="utf-8")
    state.write_text(text[:len(text) // 2], encoding="utf-8")  # cut short, as by a full disk
    project.write("content/sources/demo.txt", insert_measure(NOTICE))
    stderr = fails_writing_nothing(project)
    lines = text[:len(text) // 2].count("\n") + 1
    assert f"{STATE}:{lines}: 错误：导入记录已损坏：不是有效的 JSON" in stderr
    assert f"从 git（`git checkout -- {STATE}`）或备份恢复它" in stderr


def test_an_import_state_of_the_wrong_shape_or_encoding_is_an_error_too(project):
    imported(project, NOTICE)
    state = project.root / STATE
    data = json.loads(state.read_text(encoding="utf-8"))
    data["cards"]["content/cards/demo/1.md"] = ["not", "an", "object"]
    state.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert "“content/cards/demo/1.md”的条目不是对象" in fails_writing_nothing(project)
    data["cards"] = {"../../outside.md": {"title": "x"}}
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "“../../outside.md”不是卡片文件的路径" in fails_writing_nothing(project)
    state.write_bytes(b'{"cards": {}}\n\xff\xfe')
    assert f"{STATE}:2: 错误：导入记录已损坏：不是 UTF-8 文本" in fails_writing_nothing(project)
    state.write_text("[" * 100_000, encoding="utf-8")
    assert f"{STATE}: 错误：导入记录已损坏" in fails_writing_nothing(project)


def test_new_refuses_to_guess_with_a_damaged_import_state(project):
    imported(project, NOTICE)
    (project.root / STATE).write_text('{"cards": ', encoding="utf-8")
    result = project.run("new", "demo")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{STATE}:1: 错误：导入记录已损坏" in result.stderr


def test_a_missing_import_state_with_cards_stops_import_instead_of_recreating_deleted_cards(project):
    imported(project, NOTICE)
    (project.root / "content/cards/demo/2.md").unlink()  # an editor deleted a card
    (project.root / STATE).unlink()
    stderr = fails_writing_nothing(project)
    assert f"{STATE}: 错误：导入记录不见了，但要导入的文件（demo）已有 3 个卡片文件" in stderr
    assert not (project.root / "content/cards/demo/2.md").exists()


def test_an_empty_import_state_adopts_every_card_as_it_is(project):
    """The way out the error offers when no copy of the state exists: `{}`."""
    imported(project, NOTICE)
    edit(project, "content/cards/demo/3.md", lambda d, b: ({**d, "notes": "专线号码：12345。"}, b))
    edit(project, "content/cards/demo/1.md", lambda d, b: ({**d, "title": "推行企业开办一网通办"}, b))
    kept = {name: (project.root / "content/cards/demo" / name).read_bytes() for name in ("1.md", "3.md")}
    (project.root / "content/cards/demo/2.md").unlink()
    (project.root / STATE).write_text("{}\n", encoding="utf-8")
    result = reimport(project, insert_measure(NOTICE))
    cards = card_files(project, "demo")
    assert (project.root / "content/cards/demo/1.md").read_bytes() == kept["1.md"]  # the editor's title
    # Without a record of what import wrote, every difference counts as the editor's: kept, and shown.
    assert cards["3.md"]["notes"] == "专线号码：12345。" and cards["3.md"]["number"] == "3"
    assert "content/cards/demo/3.md：保留了编辑的版本；原文里的 number 从“3”改成了“4”" \
        in result.stdout
    # Measures without a card are imported (the deleted one too, as the error warned), nothing twice.
    assert sorted(c["title"] for c in cards.values()) == sorted(
        ["推行企业开办一网通办", "推行惠企政策“免申即享”", "降低企业用电成本", "设立民营企业服务专线",
         "建立政策兑现限时办结制度"])
    assert "content/cards/demo/1.md：保留了编辑的版本；原文里的 title 从" in result.stdout
    again = project.run("import")
    assert "写入 0 张，5 张没有变化" in again.stdout
