"""Hostile content: every file an editor can break gives a `path:line` error in bounded time and
memory (never a traceback, a hang, a crash of the interpreter or a silently thinner site)."""
from __future__ import annotations

import re
import resource
import subprocess
import sys
import time

import pytest
from conftest import REPO, Project

SEED_CARD = "content/cards/shuozhou-private-economy-2019/19.md"
SEED_DOCUMENT = "content/documents/shuozhou-private-economy-2019.md"
MEMORY = 1 << 30  # 1 GB of address space for a check: an alias bomb needs more than that


def check(project: Project, seconds: float = 30) -> subprocess.CompletedProcess:
    """`build.py check` as an editor runs it, with a time limit and a memory ceiling."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(project.root / "config.yaml"),
                           "check"], capture_output=True, text=True, cwd=project.root, timeout=seconds,
                          preexec_fn=limit_memory)


def assert_reported(result: subprocess.CompletedProcess, where: str, *words: str) -> None:
    """A failed check that names `where` (path:line) and says `words`, with no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(where + ": 错误：")]
    assert lines, f"no error at {where}:\n{result.stderr}"
    assert any(all(w in line for w in words) for line in lines), lines


def front_matter(project: Project, extra: str, local: str = "1") -> None:
    """A small project whose card `local` has `extra` front matter lines after its id (line 3 on)."""
    project.document("demo")
    project.write(f"content/cards/demo/{local}.md",
                  f"---\nid: demo-{local}\n{extra}\ntitle: 措施\ndocument: demo\nnumber: '{local}'\n---\n正文。\n")


# --- YAML bounds, in front matter -----------------------------------------------------------

@pytest.mark.parametrize("depth", [1_000, 30_000])
def test_deeply_nested_yaml_is_an_error_at_its_line(project, depth):
    front_matter(project, "notes: " + "[" * depth + "]" * depth)
    assert_reported(check(project), "content/cards/demo/1.md:3", "嵌套超过了 20 层")


def test_control_characters_in_front_matter_are_an_error_at_their_line(project):
    front_matter(project, "notes: 第一行\ncontact: {name: 张\x01三}")
    assert_reported(check(project), "content/cards/demo/1.md:4", "U+0001")


def test_an_alias_bomb_is_refused_quickly(project):
    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    front_matter(project, "\n".join(bomb))
    started = time.monotonic()
    result = check(project)
    assert time.monotonic() - started < 10
    assert_reported(result, "content/cards/demo/1.md:4", "不支持别名“*a0”")


def test_a_recursive_alias_is_refused(project):
    front_matter(project, "heading: &h [一、总体要求, *h]")
    assert_reported(check(project), "content/cards/demo/1.md:3", "不支持别名“*h”")


@pytest.mark.parametrize("field", ["number", "notes"])
def test_a_5000_digit_number_is_an_error_at_its_line(project, field):
    front_matter(project, f"{field}: " + "9" * 5000, local="7")
    assert_reported(check(project), "content/cards/demo/7.md:3", "数字有 5000 位")


def test_a_5000_digit_number_in_a_document_is_an_error(project):
    project.write("content/documents/demo.md",
                  "---\nid: demo\ntitle: 示例\nissuer: 某局\nregion: 某市\ndate: " + "2" * 5000 + "\n---\n")
    assert_reported(check(project), "content/documents/demo.md:6", "数字有 5000 位")


# --- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["9999-12-31", "2019-W01-1", "20191231", "0001-01-01"])
def test_a_deadline_date_python_would_misread_or_overflow_is_an_error(project, date):
    front_matter(project, f"deadlines:\n- {{kind: due, date: '{date}', text: 年底前}}")
    assert_reported(check(project), "content/cards/demo/1.md:3", "缺少有效的 date")


@pytest.mark.parametrize("date", ["9999-12-31", "2019-W01-1", "20191231"])
def test_a_period_end_python_would_misread_or_overflow_is_an_error(project, date):
    front_matter(project, f"deadlines:\n- {{kind: period, start: 2019-01-01, end: '{date}', text: 期间}}")
    assert_reported(check(project), "content/cards/demo/1.md:3", "缺少有效的 end")


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "２０１９"])
def test_a_document_date_out_of_range_is_an_error(project, date):
    project.document("demo", date=date)
    assert_reported(check(project), "content/documents/demo.md:6", "不是日期")


@pytest.mark.parametrize("date", ["9999-12-31", "2019-W01-1", "20191231"])
def test_an_as_of_date_python_would_misread_or_overflow_is_an_error(project, date):
    project.document("demo")
    project.card("1")
    (project.root / "config.yaml").write_text(f"title: 手册\nas_of: {date}\n", encoding="utf-8")
    assert_reported(check(project), "config.yaml:2", f"as_of 的值“{date}”不是日期")


def test_a_valid_as_of_date_still_counts(project_with_seed):
    project_with_seed.config(as_of="2019-06-01")
    result = check(project_with_seed)
    assert result.returncode == 0, result.stderr


# --- registry, taxonomy and config files ----------------------------------------------------

REGISTRY_FILES = ["content/agencies.yaml", "content/regions.yaml", "content/taxonomy/topics.yaml",
                  "content/taxonomy/beneficiaries.yaml"]


@pytest.mark.parametrize("rel", REGISTRY_FILES + ["config.yaml"])
def test_invalid_utf8_is_an_error_at_its_line(project_with_seed, rel):
    path = project_with_seed.root / rel
    lines = path.read_bytes().split(b"\n")
    lines.insert(2, b"# \xff\xfe")
    path.write_bytes(b"\n".join(lines))
    assert_reported(check(project_with_seed), f"{rel}:3", "不是 UTF-8 编码")


@pytest.mark.parametrize("rel", REGISTRY_FILES)
@pytest.mark.parametrize("text", ["", "# all entries deleted\n", "[]\n"])
def test_an_emptied_registry_or_taxonomy_file_is_an_error_not_a_thinner_site(project_with_seed, rel, text):
    (project_with_seed.root / rel).write_text(text, encoding="utf-8")
    result = check(project_with_seed)
    assert_reported(result, f"{rel}:1", "一条记录也没有")
    assert "1 个错误" in result.stderr  # its own error, not one per card


@pytest.mark.parametrize("rel", REGISTRY_FILES + ["config.yaml"])
def test_an_alias_bomb_in_a_settings_file_is_refused(project_with_seed, rel):
    path = project_with_seed.root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + ("x: &x [1]\ny: *x\n" if rel == "config.yaml" else "- &x {name: 甲}\n- *x\n"),
                    encoding="utf-8")
    result = check(project_with_seed)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"^{re.escape(rel)}:\d+: 错误：.*不支持别名“\*x”", result.stderr, re.M), result.stderr


def agency_entry(project: Project, extra: str) -> int:
    """Append an agency with `extra` fields to the registry; the line of its first extra field."""
    path = project.root / "content/agencies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"- name: 测试局\n{extra}\n", encoding="utf-8")
    return text.count("\n") + 2


@pytest.mark.parametrize("extra, words", [
    ("  aliases: 5", "“测试局”的 aliases 应当是文字列表"),
    ("  aliases: 测试", "“测试局”的 aliases 应当是文字列表"),  # would be read as 测, 试
    ("  aliases: [[甲, 乙]]", "“测试局”的 aliases 应当是文字列表"),
    ("  region: {a: 1}", "“测试局”的 region 应当是文字"),
    ("  region: [山西省]", "“测试局”的 region 应当是文字"),
    ("  collective: [1]", "“测试局”的 collective 只能是 true 或 false"),
    ("  contact: {phone: [1, 2]}", "“测试局”的联系方式 phone 应当是文字"),
])
def test_wrong_types_in_agencies_are_errors_at_their_line(project_with_seed, extra, words):
    line = agency_entry(project_with_seed, extra)
    assert_reported(check(project_with_seed), f"content/agencies.yaml:{line}", words)


@pytest.mark.parametrize("extra, words", [
    ("parent: [山西省]", "“测试市”的 parent 应当是文字"),
    ("parent: {a: 1}", "“测试市”的 parent 应当是文字"),
    ("short: [测试]", "“测试市”的 short 应当是文字"),
])
def test_wrong_types_in_regions_are_errors_at_their_line(project_with_seed, extra, words):
    path = project_with_seed.root / "content/regions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"- name: 测试市\n  level: 市\n  {extra}\n", encoding="utf-8")
    assert_reported(check(project_with_seed), f"content/regions.yaml:{text.count(chr(10)) + 3}", words)


@pytest.mark.parametrize("rel", ["content/taxonomy/topics.yaml", "content/taxonomy/beneficiaries.yaml"])
@pytest.mark.parametrize("extra, words", [
    ("keywords: [2019, 减税]", "“测试”的 keywords 应当是文字列表"),
    ("keywords: 减税", "“测试”的 keywords 应当是文字列表"),  # would be read as 减, 税
    ("heading_keywords: {a: 1}", "“测试”的 heading_keywords 应当是文字列表"),
    ("description: [说明]", "“测试”的 description 应当是文字"),
])
def test_wrong_types_in_the_taxonomy_are_errors_at_their_line(project_with_seed, rel, extra, words):
    path = project_with_seed.root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"- name: 测试\n  {extra}\n", encoding="utf-8")
    assert_reported(check(project_with_seed), f"{rel}:{text.count(chr(10)) + 2}", words)


@pytest.mark.parametrize("text, where, words", [
    ("title: [1, 2]\n", "config.yaml:1", "title 应当是非空的文字"),
    ("title: 手册\nbase_url: {a: 1}\n", "config.yaml:2", "base_url 应当是非空的文字"),
    ("title: 手册\n\n\nlang: " + "[" * 5000 + "\n", "config.yaml:4", "嵌套超过了 20 层"),
    ("title: 手册\nas_of: " + "1" * 5000 + "\n", "config.yaml:2", "数字有 5000 位"),
    ("title: 手\x07册\n", "config.yaml:1", "U+0007"),
])
def test_wrong_types_and_hostile_values_in_config_are_errors_at_their_line(project, text, where, words):
    project.document("demo")
    project.card("1")
    (project.root / "config.yaml").write_text(text, encoding="utf-8")
    assert_reported(check(project), where, words)


# --- unknown fields ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra, words", [
    ("topic: [融资]", "不认识的字段“topic”；是不是“topics”？"),
    ("备注: 这是备注", "不认识的字段“备注”；可用的字段有：id、title"),
    ("series: {group: 甲, issue: 1, isue: 2}", "不认识的字段“series.isue”；是不是“series.issue”？"),
])
def test_an_unknown_field_on_a_card_fails_check_with_a_did_you_mean(project, extra, words):
    front_matter(project, extra)
    assert_reported(check(project), "content/cards/demo/1.md:3", words)


def test_an_unknown_field_on_a_document_fails_check_with_a_did_you_mean(project):
    project.write("content/documents/demo.md",
                  "---\nid: demo\ntitle: 示例\nissuer: 某局\nregion: 某市\ndoc_no: 某发〔2019〕1号\n---\n")
    assert_reported(check(project), "content/documents/demo.md:6", "不认识的字段“doc_no”；是不是“doc_number”？")


# --- source texts -----------------------------------------------------------------------------

SOURCE = "关于做好示例工作的通知\n一、主要任务\n1. 压缩办理时限。企业开办时间压缩至1个工作日。\n" \
         "2. 推行网上办理。全面推行一网通办。\n3. 落实资金保障。安排专项资金。\n"


def imported(project: Project, data: bytes) -> dict[str, dict]:
    """Import a source of these bytes; each card's fields by id."""
    from policy_handbook.content.frontmatter import parse
    project.write("content/sources/demo.txt", "")
    (project.root / "content/sources/demo.txt").write_bytes(data)
    project.document("demo", source="demo.txt")
    result = project.run("import")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    cards = {}
    for path in sorted((project.root / "content/cards/demo").glob("*.md")):
        parsed = parse(path.read_text(encoding="utf-8"))
        cards[parsed.data["id"]] = {**parsed.data, "body": parsed.body.strip()}
    return cards


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf16_or_utf32_source_with_a_byte_order_mark_is_read(project, encoding):
    cards = imported(project, SOURCE.encode(encoding))
    assert [c["title"] for c in cards.values()] == ["压缩办理时限", "推行网上办理", "落实资金保障"]
    assert cards["demo-2"]["source"]["line"] == 4


def test_a_utf16_source_without_a_byte_order_mark_is_an_error_naming_it(project):
    project.write("content/sources/demo.txt", "")
    (project.root / "content/sources/demo.txt").write_bytes("1. Measure one.\n2. Measure two.\n".encode("utf-16-le"))
    project.document("demo", source="demo.txt")
    result = project.run("import")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/sources/demo.txt: 错误：demo.txt 里有 NUL 字节" in result.stderr


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_unicode_line_separators_lose_no_measure(project, separator):
    """A soft break inside a lead sentence is a wrap (Python's splitlines made the numbered line a
    heading and the measure vanished); one before a number starts a new item."""
    source = SOURCE.replace("推行网上办理", f"推行网上{separator}办理").replace(
        "落实资金保障。安排专项资金。", f"落实资金保障。安排{separator}专项资金。{separator}")
    source += f"4. 加强组织领导。成立专班。{separator}5. 强化督导考核。定期通报。\n"
    cards = imported(project, source.encode("utf-8"))
    assert [c["title"] for c in cards.values()] == ["压缩办理时限", "推行网上办理", "落实资金保障",
                                                    "加强组织领导", "强化督导考核"]
    assert cards["demo-3"]["body"] == "安排专项资金。"
    assert [c["source"]["line"] for c in cards.values()] == [3, 4, 5, 6, 7]


def test_invalid_utf8_in_a_card_is_an_error_at_its_line(project):
    project.document("demo")
    project.write("content/cards/demo/1.md", "")
    (project.root / "content/cards/demo/1.md").write_bytes(
        "---\r\nid: demo-1\r\ntitle: 措施\r\ndocument: demo\r\n---\r\n正文\r\n".encode() + b"\xff\xfe\r\n")
    project.card("2")
    result = check(project)
    assert_reported(result, "content/cards/demo/1.md:7", "文件不是 UTF-8 编码", "另存为 UTF-8 编码")
    assert "1 个错误" in result.stderr


@pytest.mark.parametrize("line", ["第" + "9" * 5000 + "章 总则", "第" + "9" * 5000 + "节 要求",
                                  "“48条”之总则 第" + "9" * 5000 + "期"])
def test_a_5000_digit_heading_number_in_a_source_is_no_crash(project, line):
    """int() refuses 4,300 digits: the importer crashed on such a chapter number."""
    cards = imported(project, (SOURCE + line + "\n").encode("utf-8"))
    assert [c["title"] for c in cards.values()] == ["压缩办理时限", "推行网上办理", "落实资金保障"]


@pytest.mark.parametrize("value", ["[demo, other]", "{id: demo}"])
def test_a_card_whose_document_is_not_text_is_an_error_at_its_line(project, value):
    """Found by the fuzz suite: the loader hashed the value, and a list crashed it."""
    project.document("demo")
    project.write("content/cards/demo/1.md", f"---\nid: demo-1\ntitle: 措施\ndocument: {value}\n---\n正文\n")
    assert_reported(check(project), "content/cards/demo/1.md:4", "不是有效的 id")


def test_a_year_out_of_range_says_which_years_are(project, tmp_path):
    project.document("demo", date="9999-12-31")
    assert ("content/documents/demo.md:6: 错误：date 的值“9999-12-31”不是日期；写成 YYYY-MM-DD"
            "（如 2016-05-06），只知道年月或年份时写 YYYY-MM 或 YYYY，年份在 1900 到 2200 之间\n"
            ) in check(project).stderr
    other = Project(tmp_path / "other")
    front_matter(other, "deadlines:\n- {kind: due, date: '9999-12-31', text: 期}")
    assert ("content/cards/demo/1.md:3: 错误：deadlines 第 1 条（due）缺少有效的 date；"
            "写成 date: YYYY-MM-DD，年份在 1900 到 2200 之间\n") in check(other).stderr


def test_the_line_of_a_config_key_survives_a_broken_file(tmp_path):
    from policy_handbook.config import key_line
    path = tmp_path / "config.yaml"
    path.write_text("title: 手册\n\noutput_dir: .\n", encoding="utf-8")
    assert key_line(path, "output_dir") == 3
    path.write_bytes(b"title: \xff\noutput_dir: .\n")  # open() in text mode raised UnicodeDecodeError
    assert key_line(path, "output_dir") == 0
    assert key_line(tmp_path / "missing.yaml", "output_dir") == 0
