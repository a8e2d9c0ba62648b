"""Bad content: every problem reported as path:line with a fix, in one run; site/ untouched."""
from __future__ import annotations

from conftest import Project


def broken_tree(project: Project) -> None:
    project.document("demo", date="2016-05-06")
    project.card("1")
    project.write("content/cards/demo/2.md", "---\nid: demo-2\ntitle: [未闭合\ndocument: demo\n---\n正文\n")
    project.write("content/cards/demo/3.md", "---\nid: demo-3\ndocument: demo\nnumber: '3'\n---\n正文\n")
    project.write("content/cards/demo/4.md", "---\nid: demo-1\ntitle: 重复\ndocument: demo\n---\n正文\n")
    project.write("content/documents/other.md",
                  "---\nid: other\ntitle: 另一份\nissuer: 某局\nregion: 某市\ndate: 2016-13-45\n---\n")


def test_all_problems_are_reported_in_one_run_with_path_and_line(project):
    broken_tree(project)
    result = project.run("build")
    assert result.returncode == 1
    err = result.stderr
    assert "content/cards/demo/2.md:3: 错误：文件头的 YAML 写法有误" in err
    assert "content/cards/demo/3.md:1: 错误：缺少必填字段 title；加上“title: …”" in err
    assert "content/cards/demo/4.md:2: 错误：卡片 id“demo-1”已被 content/cards/demo/1.md 使用" in err
    assert "content/documents/other.md:6: 错误：date 的值“2016-13-45”不是日期；写成 YYYY-MM-DD" in err
    assert "4 个错误" in err


def test_a_failed_build_leaves_the_previous_site_as_it_was(project):
    project.document("demo")
    project.card("1")
    assert project.run("build").returncode == 0
    before = project.read_site()
    broken_tree(project)
    result = project.run("build")
    assert result.returncode == 1
    assert "生成失败；site/ 保持不变" in result.stderr
    assert project.read_site() == before


def test_check_validates_without_writing_the_site(project):
    broken_tree(project)
    result = project.run("check")
    assert result.returncode == 1 and "4 个错误" in result.stderr
    assert not project.site.exists()


def test_unknown_document_and_unknown_field_get_a_did_you_mean(project):
    project.document("demo")
    project.card("1", document="dmeo")
    project.card("2", titel="错拼的字段")
    result = project.run("build")
    assert result.returncode == 1
    assert "content/cards/demo/1.md:4: 错误：文件“dmeo”不存在；是不是“demo”？" in result.stderr
    assert "content/cards/demo/2.md:6: 错误：不认识的字段“titel”；是不是“title”？" in result.stderr


def test_a_card_file_without_front_matter_says_how_to_add_it(project):
    project.document("demo")
    project.write("content/cards/demo/1.md", "只有正文，没有字段。\n")
    result = project.run("check")
    assert result.returncode == 1
    assert "content/cards/demo/1.md:1: 错误：文件没有以文件头开始；在文件开头写一行“---”" in result.stderr


def test_unknown_config_key_is_reported_with_a_suggestion(project):
    project.config(titel="错拼")
    result = project.run("build")
    assert result.returncode == 1
    assert "config.yaml" in result.stderr and "不认识的设置项“titel”；是不是“title”？" in result.stderr


def test_agencies_topics_and_deadlines_are_checked_against_the_registry_and_taxonomy(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    card = project.root / "content/cards/shuozhou-private-economy-2019/5.md"
    text = card.read_text(encoding="utf-8")
    text = text.replace("lead: [朔州市纪委监委, 朔州市发改委, 朔州市经信委]", "lead: [朔州市纪委监委, 朔州市发改季]")
    text = text.replace("topics: [法治保障]", "topics: [法制保障]\ndeadlines:\n- {kind: due, date: 2019-02-30, text: 2019年2月30日前}")
    card.write_text(text, encoding="utf-8")
    project.config(as_of="2019-13-01")
    result = project.run("check")
    assert result.returncode == 1
    err = result.stderr
    assert "config.yaml:" in err and "as_of 的值“2019-13-01”不是日期" in err
    project.config(as_of="2019-01-01")
    err = project.run("check").stderr
    path = "content/cards/shuozhou-private-economy-2019/5.md"
    assert f"{path}:10: 错误：机构“朔州市发改季”不在 content/agencies.yaml 中；是不是“朔州市发改委”？" in err
    assert f"{path}:11: 错误：主题“法制保障”不在主题表中；是不是“法治保障”？" in err
    assert f"{path}:12: 错误：deadlines 第 1 条（due）缺少有效的 date；写成 date: YYYY-MM-DD" in err


def test_an_alias_is_accepted_for_an_agency(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    card = project.root / "content/cards/shuozhou-private-economy-2019/5.md"
    card.write_text(card.read_text(encoding="utf-8").replace("朔州市发改委,", "朔州市发展和改革委员会,"),
                    encoding="utf-8")
    assert project.run("check").returncode == 0


def test_a_broken_document_is_reported_once_not_on_each_of_its_cards(project):
    project.write("content/documents/demo.md", "---\nid: demo\ntitle: 示例文件\nregion: 示例市\n---\n")  # no issuer
    for n in range(1, 6):
        project.card(str(n))
    err = project.run("check").stderr
    assert "content/documents/demo.md:1: 错误：缺少必填字段 issuer" in err
    assert "不存在" not in err
    assert "1 个错误" in err


def test_an_unreadable_registry_or_taxonomy_is_reported_alone(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    for rel in ("content/agencies.yaml", "content/taxonomy/topics.yaml"):
        path = project.root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("- name:", "- name: [", 1), encoding="utf-8")
    err = project.run("check").stderr
    assert "content/agencies.yaml:" in err and "content/taxonomy/topics.yaml:" in err
    assert "不在 content/agencies.yaml 中" not in err and "不在主题表中" not in err
    assert "2 个错误" in err


def test_small_mistakes_get_the_right_words(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    card = project.root / "content/cards/shuozhou-private-economy-2019/5.md"
    text = card.read_text(encoding="utf-8").replace("beneficiaries: [民营企业, 中小企业]", "beneficiaries: [民企]").replace(
        "topics: [法治保障]", "topics: [法治保障]\ndeadlines:\n- {kind: dua, date: 2019-12-31, text: 年底前}")
    card.write_text(text, encoding="utf-8")
    err = project.run("check").stderr
    assert "适用对象“民企”不在适用对象表中" in err
    assert "第 1 条的 kind“dua”不是可用的种类；是不是“due”？" in err
    (project.root / "config.yaml").write_text("title: 手册\nas_of: 2026-11-31\n", encoding="utf-8")
    err = project.run("check").stderr
    assert "config.yaml:2: 错误：config.yaml 里的日期不存在" in err
    assert "Traceback" not in err


def test_a_field_written_twice_is_an_error_not_a_silent_choice(project):
    project.document("demo")
    project.write("content/cards/demo/1.md", "---\nid: demo-1\ntitle: 措施\ndocument: demo\n"
                  "topics: [融资]\nnumber: '1'\ntopics: [用地]\n---\n正文\n")
    err = project.run("check").stderr
    assert ("content/cards/demo/1.md:7: 错误：字段 topics 写了两遍（第一次在第 5 行）；"
            "只留一个") in err


def test_an_unreadable_regions_file_is_reported_alone(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    path = project.root / "content/regions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- ", "- [", 1), encoding="utf-8")
    err = project.run("check").stderr
    assert "content/regions.yaml:" in err
    assert "不在 content/regions.yaml 中" not in err
    assert "1 个错误" in err


def test_a_missing_parent_region_is_reported_at_its_line_with_a_suggestion(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    path = project.root / "content/regions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{name: 太原市, level: 市, parent: 山西省", "{name: 太原市, level: 市, parent: 山西部"),
                    encoding="utf-8")
    err = project.run("check").stderr
    assert "content/regions.yaml:5: 错误：“太原市”的上级地区“山西部”没有登记；是不是“山西省”？" in err


def test_unfinished_cards_are_flagged_but_still_build(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    made = project.run("new", "pianguan-48-measures", "--group", "大幅放宽市场准入")
    assert made.returncode == 0, made.stderr
    path = made.stdout.splitlines()[0]
    twin = project.root / "content/cards/pianguan-48-measures/1-2.md"
    twin.write_text(twin.read_text(encoding="utf-8").replace("issue: 2}", "issue: 1}"), encoding="utf-8")
    lone = project.root / "content/cards/pianguan-48-measures/2-1.md"
    lone.write_text(lone.read_text(encoding="utf-8").replace("series: {group: 促进市场主体开办经营便利化, issue: 1}\n", ""),
                    encoding="utf-8")
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert f"{path}:3: 警告：标题还是占位文字“待填写：标题”；写上措施的标题" in err
    assert f"{path}:" in err and "正文里还留着占位文字“待填写”" in err
    assert ("content/cards/pianguan-48-measures/1-2.md:2: 警告：“大幅放宽市场准入”第 1 期也是 "
            "content/cards/pianguan-48-measures/1-1.md") in err
    assert "content/cards/pianguan-48-measures/2-1.md:2: 警告：“pianguan-48-measures”是系列文件" in err


def test_agency_contact_fields_and_levels_are_checked(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    path = project.root / "content/agencies.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- name: 测试市测试局\n  level: 直属\n"
                    "  contact: {phone: 0349-1234567, mail: a@example.org}\n", encoding="utf-8")
    err = project.run("check").stderr
    assert "警告：“测试市测试局”的 contact 里有不认识的字段“mail”" in err
    assert "错误：“测试市测试局”的 level“直属”不是省、市、县之一" in err


def test_a_document_region_missing_from_regions_yaml_is_a_warning(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    doc = project.root / "content/documents/shuozhou-private-economy-2019.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("region: 朔州市", "region: 朔州"), encoding="utf-8")
    result = project.run("check")
    assert result.returncode == 0
    assert ("content/documents/shuozhou-private-economy-2019.md:6: 警告：地区“朔州”不在 "
            "content/regions.yaml 中；是不是“朔州市”？") in result.stderr
