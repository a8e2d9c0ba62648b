"""Issue 17: validity as editors state it — what `build.py check` asks them to look at, a measure
that differs from its document, and what `build.py add` proposes from the text."""
from __future__ import annotations

import json

from conftest import Project
from policy_handbook.text.validityphrases import stated_validity


def test_check_asks_about_an_expired_policy_still_marked_in_force_and_old_ones_with_no_validity(tmp_path):
    project = Project(tmp_path / "project")
    project.config(as_of="2026-12-01")
    project.document("expired", title="已到期的措施", date="2023-01-01",
                     validity={"status": "现行有效", "until": "2025-12-31"})
    project.document("old", title="多年前的措施", date="2016-05-01")
    project.document("recent", title="新近的措施", date="2025-03-01")
    project.document("dated", title="只写了有效期的措施", date="2016-01-01", validity={"until": "2020-12-31"})
    for doc in ("expired", "old", "recent", "dated"):
        project.card("1", "正文。", doc_id=doc)
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    said = result.stderr
    assert "content/documents/expired.md:" in said and "有效期已于 2025-12-31 届满，但效力仍写着“现行有效”" in said
    assert "content/documents/old.md:2: 警告：这份 2016 年的文件没有写效力" in said
    assert "recent.md" not in said  # younger than validity_review_years (5)
    assert "dated.md" not in said  # its status follows from the date: nothing to correct
    project.config(as_of="2026-12-01", validity_review_years=0)
    assert "没有写效力" not in project.run("check").stderr


def test_a_measure_adjusted_on_its_own_says_so_while_its_document_stays_in_force(tmp_path):
    project = Project(tmp_path / "project")
    project.document("plan", title="示例措施", date="2024-01-01", validity={"status": "现行有效"})
    project.card("1", "第一条。", doc_id="plan", validity={"status": "已调整", "note": "补贴标准已提高"})
    project.card("2", "第二条。", doc_id="plan")
    assert project.run("build", "--no-search").returncode == 0
    one = (project.site / "cards/plan-1/index.html").read_text(encoding="utf-8")
    banner = one[one.index('<div class="validity-banner'):].split("</div>")[0]
    assert "validity-changed" in banner and "本条措施仍然有效，但有调整" in banner and "补贴标准已提高" in banner
    two = (project.site / "cards/plan-2/index.html").read_text(encoding="utf-8")
    assert "validity-in-force" in two.split('<div class="validity-banner')[1].split(">")[0]
    cards = {c["id"]: c for c in json.loads((project.site / "data/cards.json").read_text(encoding="utf-8"))["cards"]}
    assert cards["plan-1"]["validity"]["whose"] == "card" and cards["plan-1"]["validity"]["status"] == "已调整"
    assert cards["plan-2"]["validity"]["whose"] == "document"


def test_a_card_validity_with_a_wrong_status_is_an_error_at_its_line(tmp_path):
    project = Project(tmp_path / "project")
    project.document("plan", title="示例措施")
    project.card("1", "正文。", doc_id="plan", validity={"status": "有效"})
    result = project.run("check")
    assert result.returncode == 1
    assert "content/cards/plan/1.md:" in result.stderr and "validity.status" in result.stderr and "已调整" in result.stderr


def test_the_importer_reads_when_a_policy_takes_effect_and_until_when():
    # the phrases the issue names, as documents write them
    v = stated_validity("本措施自2023年1月1日起施行，有效期3年。")
    assert (v.start, v.until) == ("2023-01-01", "2025-12-31")
    v = stated_validity("本办法自印发之日起施行，有效期至2025年12月31日。", "2023-05-06")
    assert (v.start, v.until, v.phrases) == ("2023-05-06", "2025-12-31", ("自印发之日起施行", "有效期至2025年12月31日"))
    v = stated_validity("执行期限为2021年1月1日至2023年12月31日。")
    assert (v.start, v.until) == ("2021-01-01", "2023-12-31")
    assert stated_validity("本办法自印发之日起施行。", "2019").start == ""  # a year alone is no day
    v = stated_validity("本通知自发布之日起30日后施行，有效期2年。", "2024-03-01")  # 30日后: not read as a day
    assert (v.start, v.until) == ("", "")
    assert stated_validity("到2025年，有效投资明显增加。") == stated_validity("")  # a target is not validity


def test_add_drafts_the_validity_the_text_states_for_the_editor_to_confirm(tmp_path):
    project = Project(tmp_path / "project")
    source = tmp_path / "notice.txt"
    source.write_text("示例市人民政府关于印发示例市稳增长若干措施的通知\n示政发〔2024〕3号\n"
                      "一、加大支持\n1.对企业给予补助。\n本措施自2024年3月1日起施行，有效期2年。\n"
                      "示例市人民政府\n2024年2月20日\n", encoding="utf-8")
    result = project.run("add", str(source), "--id", "notice")
    assert result.returncode == 0, result.stderr
    assert "效力：原文写“自2024年3月1日起施行”“有效期2年”" in result.stdout
    drafted = (project.root / "content/documents/notice.md").read_text(encoding="utf-8")
    assert "validity: {from: '2024-03-01', until: '2026-02-28'}" in drafted or \
        ("from: '2024-03-01'" in drafted and "until: '2026-02-28'" in drafted)
    assert "validity" in drafted.split("inferred:")[1].split("\n")[0]
