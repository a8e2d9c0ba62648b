"""Issue 13: sources in .html, .docx and .pdf import like their .txt; a source that cannot be
imported is reported and the other documents are imported; `build.py add`."""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import docx
import pytest

from conftest import REPO, Project
from policy_handbook.content.frontmatter import parse

sys.path.insert(0, str(Path(__file__).resolve().parent / "formats"))
from govpage import government_page  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "formats"
GANZHOU = REPO / "content/sources/ganzhou-2016-cost-reduction-campaign.txt"
GANZHOU_DOC = REPO / "content/documents/ganzhou-cost-reduction-2016.md"
GUIZHOU = REPO / "tests/corpus/sources/guizhou-province-2017-cost-plan.txt"


def handbook(root: Path) -> Project:
    """An empty handbook with the bundled registry and taxonomy."""
    proj = Project(root)
    for name in ("agencies.yaml", "regions.yaml", "taxonomy"):
        source, target = REPO / "content" / name, proj.root / "content" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return proj


def add_ganzhou(proj: Project, doc_id: str, name: str, data: bytes) -> None:
    """The Ganzhou seed document, its source given as `name` holding `data`."""
    (proj.root / "content/sources" / name).write_bytes(data)
    text = GANZHOU_DOC.read_text(encoding="utf-8")
    text = text.replace("id: ganzhou-cost-reduction-2016", f"id: {doc_id}")
    text = text.replace("source: ganzhou-2016-cost-reduction-campaign.txt", f"source: {name}")
    proj.write(f"content/documents/{doc_id}.md", text)


def cards(proj: Project, doc_id: str) -> dict[str, dict]:
    """Each card's fields and text, by its file name, without its id and source line (which
    name the document and the text file)."""
    out = {}
    for path in sorted((proj.root / "content/cards" / doc_id).glob("*.md")):
        parsed = parse(path.read_text(encoding="utf-8"))
        data = {k: v for k, v in parsed.data.items() if k not in ("id", "document", "source")}
        out[path.name] = {**data, "body": parsed.body.strip()}
    return out


def docx_bytes(text: str) -> bytes:
    """A Word file of the text as an editor gets it: a paragraph per line, runs split."""
    document = docx.Document()
    for line in text.split("\n"):
        paragraph = document.add_paragraph()
        half = len(line) // 2
        paragraph.add_run(line[:half])
        paragraph.add_run(line[half:]).bold = half > 40
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "page.html": lambda text: government_page("中共赣州市委 赣州市人民政府关于开展降低企业成本优化发展环境专项行动的通知", text),
    "page-gbk.htm": lambda text: government_page("关于开展降低企业成本优化发展环境专项行动的通知", text, "gb2312"),
    "saved-utf8.html": lambda text: government_page("通知", text).replace(b"charset=utf-8", b"charset=gb2312"),
    "word.docx": docx_bytes,
    "printed.pdf": lambda text: (FIXTURES / "ganzhou.pdf").read_bytes(),  # tests/formats/make_pdfs.py
}


@pytest.fixture(scope="module")
def from_txt(tmp_path_factory) -> dict[str, dict]:
    proj = handbook(tmp_path_factory.mktemp("txt") / "project")
    add_ganzhou(proj, "ganzhou", "ganzhou.txt", GANZHOU.read_bytes())
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    return cards(proj, "ganzhou")


@pytest.mark.parametrize("name", FORMATS)
def test_a_source_in_another_format_gives_the_same_cards_as_its_txt(tmp_path, from_txt, name):
    proj = handbook(tmp_path / "project")
    text = GANZHOU.read_text(encoding="utf-8")
    if name.endswith(".htm"):
        text = text.replace("\ufffd", "")  # the seed's replacement characters have no GB2312 form
    original = FORMATS[name](text)
    add_ganzhou(proj, "ganzhou", name, original)
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert "no document declares" not in result.stderr
    got = cards(proj, "ganzhou")
    if name.endswith(".htm"):
        got = {k: {f: v for f, v in c.items() if f != "body"} for k, c in got.items()}
        want = {k: {f: v for f, v in c.items() if f != "body"} for k, c in from_txt.items()}
        assert got == want
    else:
        assert got == from_txt
    # The text import read is kept beside the original, and each card points at its line there.
    kept = (proj.root / "content/sources" / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    for path in (proj.root / "content/cards/ganzhou").glob("*.md"):
        card = parse(path.read_text(encoding="utf-8")).data
        assert card["source"]["file"] == f"{name}.txt"
        assert card["title"] in kept[card["source"]["line"] - 1]
    assert (proj.root / "content/sources" / name).read_bytes() == original  # the provenance, as it was
    if ".htm" in name:  # the article alone: the page's navigation, links and footer are gone
        assert [line for line in kept if line.strip()] == [line for line in text.split("\n") if line.strip()]
        for chrome in ("当前位置", "索引号", "政务公开", "打印本页", "相关文件", "网站标识码", "主办单位"):
            assert chrome not in "\n".join(kept)
    # The site builds from that text (the document page shows it), and a re-import writes nothing.
    assert proj.run("build").returncode == 0
    page = (proj.site / "documents/ganzhou/index.html").read_text(encoding="utf-8")
    assert "一、总体要求" in page and "市直、驻市各单位" in page  # a heading and a paragraph of the text
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (proj.root / "content").rglob("*") if p.is_file()}
    again = proj.run("import")
    assert again.returncode == 0 and "写入 0 张，" in again.stdout, again.stdout
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (proj.root / "content").rglob("*") if p.is_file()} == before


def test_a_changed_original_is_read_again_and_its_text_and_cards_follow(tmp_path):
    proj = handbook(tmp_path / "project")
    text = GANZHOU.read_text(encoding="utf-8")
    add_ganzhou(proj, "ganzhou", "page.html", government_page("通知", text))
    assert proj.run("import").returncode == 0
    changed = text.replace("能让则让、能放则放", "能让则让、能放则放、能免则免")
    assert changed != text
    (proj.root / "content/sources/page.html").write_bytes(government_page("通知", changed))
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert "能免则免" in (proj.root / "content/sources/page.html.txt").read_text(encoding="utf-8")
    card = parse((proj.root / "content/cards/ganzhou/2-1-1.md").read_text(encoding="utf-8"))
    assert "能放则放、能免则免" in card.body
    assert "写入 2 张，" in result.stdout  # that card and the text; every other file is as it was


def test_a_scanned_pdf_is_refused_with_what_to_do_and_the_others_are_imported(tmp_path):
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "good", "good.txt", GANZHOU.read_bytes())
    add_ganzhou(proj, "scan", "scan.pdf", (FIXTURES / "scanned.pdf").read_bytes())
    result = proj.run("import")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/sources/scan.pdf: 错误：scan.pdf 没有文字层" in result.stderr
    assert "先做文字识别（OCR" in result.stderr and "索取文字版" in result.stderr
    assert result.stderr.count("没有文字层") == 1
    assert "1 个文件没有导入" in result.stdout and "scan" in result.stdout
    assert len(list((proj.root / "content/cards/good").glob("*.md"))) == 18
    assert not (proj.root / "content/cards/scan").exists()
    assert not (proj.root / "content/sources/scan.pdf.txt").exists()
    check = proj.run("check")  # the build names the file too, once
    assert check.returncode == 1 and check.stderr.count("scan.pdf 没有文字层") == 1
    assert "不在 content/sources/ 中" not in check.stderr


def snapshot(proj: Project) -> dict[str, tuple[bytes, int]]:
    content = proj.root / "content"
    return {p.relative_to(content).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(content.rglob("*")) if p.is_file()}


def test_one_broken_source_does_not_block_the_others_and_its_fix_imports_only_it(tmp_path):
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "first", "first.txt", GANZHOU.read_bytes())
    add_ganzhou(proj, "second", "second.html", government_page("通知", GANZHOU.read_text(encoding="utf-8")))
    add_ganzhou(proj, "broken", "broken.docx", b"PK\x03\x04 not really a Word file")
    result = proj.run("import")
    assert result.returncode == 1, result.stdout
    assert "content/sources/broken.docx: 错误：broken.docx 无法作为 Word 文档读取" in result.stderr
    assert "重新保存为 .docx" in result.stderr
    assert "导入失败；没有写入任何文件" not in result.stderr
    assert len(list((proj.root / "content/cards/first").glob("*.md"))) == 18
    assert len(list((proj.root / "content/cards/second").glob("*.md"))) == 18
    assert not (proj.root / "content/cards/broken").exists()
    state = (proj.root / "content/import-state.json").read_text(encoding="utf-8")
    assert "content/cards/first/" in state and "content/cards/broken/" not in state

    before = snapshot(proj)
    (proj.root / "content/sources/broken.docx").write_bytes(docx_bytes(GANZHOU.read_text(encoding="utf-8")))
    fixed = proj.run("import")
    assert fixed.returncode == 0, fixed.stderr
    after = snapshot(proj)
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert all(k.startswith(("cards/broken/", "sources/broken.docx")) or k == "import-state.json"
               for k in changed), changed
    assert len([k for k in changed if k.startswith("cards/broken/")]) == 18
    assert "写入 19 张，" in fixed.stdout  # its 18 cards and the text read from it


def test_a_damaged_import_state_still_stops_everything(tmp_path):
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "first", "first.txt", GANZHOU.read_bytes())
    add_ganzhou(proj, "broken", "broken.pdf", b"%PDF-1.4 nothing")
    proj.write("content/import-state.json", "{\"cards\": ")
    before = snapshot(proj)
    result = proj.run("import")
    assert result.returncode == 1
    assert "导入失败；没有写入任何文件" in result.stderr
    assert snapshot(proj) == before


# build.py add

def test_add_drafts_the_metadata_imports_and_lists_what_to_review(tmp_path):
    proj = handbook(tmp_path / "project")
    result = proj.run("add", str(GUIZHOU))
    assert result.returncode == 0, result.stderr
    assert "已添加 content/sources/guizhou-province-2017-cost-plan.txt 和 content/documents/guizhou-plan-2017.md" \
        in result.stdout
    assert (proj.root / "content/sources/guizhou-province-2017-cost-plan.txt").read_bytes() == GUIZHOU.read_bytes()
    doc = parse((proj.root / "content/documents/guizhou-plan-2017.md").read_text(encoding="utf-8")).data
    assert doc["title"] == "贵州省降低实体经济企业成本工作实施方案"
    assert doc["issuer"] == "贵州省人民政府"
    assert doc["doc_number"] == "黔府发〔2017〕25号"
    assert str(doc["date"]) == "2017-09-06"
    assert doc["region"] == "贵州省"
    assert doc["inferred"] == ["region"]  # the others are printed in the text; the region is reasoned
    assert list((proj.root / "content/cards/guizhou-plan-2017").glob("*.md"))
    for heading in ("请核对：", "找到的措施：", "没有机构的卡片：", "不在机构名录中的名称",
                    "没有识别为时限的日期说法：", "警告："):
        assert heading in result.stdout
    assert proj.run("check").returncode == 0


def test_add_marks_what_it_reasoned_and_reads_a_title_printed_over_two_lines(tmp_path):
    proj = handbook(tmp_path / "project")
    source = tmp_path / "notice.docx"
    source.write_bytes(docx_bytes(GANZHOU.read_text(encoding="utf-8")))
    result = proj.run("add", str(source), "--id", "ganzhou-campaign-2016")
    assert result.returncode == 0, result.stderr
    doc = parse((proj.root / "content/documents/ganzhou-campaign-2016.md").read_text(encoding="utf-8")).data
    assert doc["title"] == "关于开展降低企业成本优化发展环境专项行动的通知"
    assert doc["issuer"] == "中共赣州市委、赣州市人民政府"
    assert str(doc["date"]) == "2016-05-06" and doc["region"] == "赣州市"
    assert doc["source"] == "notice.docx" and "doc_number" not in doc
    assert "找到的措施：18 条" in result.stdout
    assert (proj.root / "content/sources/notice.docx.txt").is_file()


NOTICE = """示例市人民政府关于印发示例市优化营商环境若干措施的通知
示政发〔2019〕8号
各县（区）人民政府，市直各单位：
现将《示例市优化营商环境若干措施》印发给你们，请认真贯彻执行。
示例市人民政府
2019年3月5日
示例市优化营商环境若干措施
1.压缩开办时间。企业开办时间压缩至3个工作日以内。（责任单位：市市场监管局）
2.推行网上办理。在2019年下半年实现全程网办，每年12月底前公布清单。
"""


def test_add_lists_new_agency_names_and_date_phrases_it_could_not_read(tmp_path):
    proj = handbook(tmp_path / "project")
    source = tmp_path / "通知.txt"
    source.write_text(NOTICE, encoding="utf-8")
    result = proj.run("add", str(source))
    assert result.returncode == 0, result.stderr
    assert "content/documents/shili-measures-2019.md" in result.stdout  # region-genre-year, in pinyin
    review = result.stdout[result.stdout.index("请核对："):]
    assert "- 找到的措施：2 条" in review
    assert "- 没有机构的卡片：1 张\n  content/cards/shili-measures-2019/2.md" in review
    names = review[review.index("不在机构名录中的名称"):review.index("没有识别为时限的日期说法")]
    assert "示例市市场监管局" in names
    assert "- 没有识别为时限的日期说法：1 处\n  shili-measures-2019-2: 2019年下半年" in review
    assert "地区“示例市”不在 content/regions.yaml 中" in review
    # The names appended to the registry keep it valid although their region is not registered yet,
    # so the handbook builds and the next import is not stopped by the registry.
    check = proj.run("check")
    assert "content/agencies.yaml" not in check.stderr, check.stderr
    assert proj.run("import").returncode == 0


def test_add_refuses_to_overwrite_a_source_or_a_document(tmp_path):
    proj = handbook(tmp_path / "project")
    assert proj.run("add", str(GUIZHOU)).returncode == 0
    before = snapshot(proj)
    again = proj.run("add", str(GUIZHOU))
    assert again.returncode == 1
    assert ("content/sources/guizhou-province-2017-cost-plan.txt: 错误：手册里已经有同名的原文，add 不会覆盖它；") in again.stderr
    other = tmp_path / "other.txt"
    other.write_bytes(GUIZHOU.read_bytes())
    taken = proj.run("add", str(other), "--id", "guizhou-plan-2017")
    assert taken.returncode == 1
    assert ("content/documents/guizhou-plan-2017.md: 错误：文件“guizhou-plan-2017”已经存在，add 不会覆盖它；换一个 --id") in taken.stderr
    assert snapshot(proj) == before


def test_the_default_id_reads_place_names_as_places(tmp_path):
    """厦门 is xiamen and 长沙 changsha, although the build reads characters one by one for slugs."""
    proj = handbook(tmp_path / "project")
    for place, expected in (("长沙市", "changsha-measures-2019"), ("厦门市", "xiamen-measures-2019")):
        source = tmp_path / f"{expected}.txt"
        source.write_text(NOTICE.replace("示例市", place), encoding="utf-8")
        result = proj.run("add", str(source))
        assert result.returncode == 0, result.stderr
        assert f"content/documents/{expected}.md" in result.stdout


def test_add_takes_a_file_already_in_the_sources_folder_once(tmp_path):
    proj = handbook(tmp_path / "project")
    placed = proj.root / "content/sources/notice.txt"
    placed.write_text(NOTICE, encoding="utf-8")
    result = proj.run("add", str(placed))
    assert result.returncode == 0, result.stderr
    assert placed.read_text(encoding="utf-8") == NOTICE
    assert (proj.root / "content/documents/shili-measures-2019.md").is_file()
    again = proj.run("add", str(placed))
    assert again.returncode == 1
    assert ("content/sources/notice.txt: 错误：这份原文已经导入为 "
            "content/documents/shili-measures-2019.md") in again.stderr


@pytest.mark.browser
def test_a_pdf_printed_by_chromium_now_gives_the_same_cards(from_txt, tmp_path):
    """The committed fixture is what tests/formats/make_pdfs.py makes; make it afresh."""
    from make_pdfs import make
    (tmp_path / "pdf").mkdir()
    make(tmp_path / "pdf")
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "ganzhou", "fresh.pdf", (tmp_path / "pdf/ganzhou.pdf").read_bytes())
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert cards(proj, "ganzhou") == from_txt
