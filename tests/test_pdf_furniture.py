"""A PDF's page furniture (running header, running footer, page numbers) never reaches the text
or the cards, wherever a page break falls; and an editor's corrections to the text kept beside a
.pdf/.html/.docx original survive the next import."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import REPO
from policy_handbook.content.frontmatter import parse
from policy_handbook.text.formats import read_bytes, read_file
from test_formats import GANZHOU, add_ganzhou, cards, from_txt, handbook, snapshot  # noqa: F401 (a fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent / "formats"))
from govpage import government_page  # noqa: E402

HEADED = Path(__file__).resolve().parent / "formats" / "headed.pdf"  # tests/formats/make_headed_pdf.py
HEADER = "赣州市降低企业成本优化发展环境专项行动"
FOOTER = "赣州市委办公室"


def test_the_fixture_has_its_furniture_inside_measures():
    """What the test below relies on: pdfminer's raw text has the header and footer on every page,
    and between the lines of measures that run over a page break."""
    from pdfminer.high_level import extract_text
    raw = extract_text(str(HEADED))
    pages = [page for page in raw.split("\f") if page.strip()]
    assert len(pages) > 3 and all(HEADER in page and FOOTER in page for page in pages)
    body_ends = [[line for line in page.split("\n") if line.strip() and line != HEADER and FOOTER not in line][-1]
                 for page in pages[:-1]]
    inside = [line for line in body_ends if not line.endswith(("。", "：", ":"))]
    assert inside, "no page break falls inside a paragraph"


def test_running_header_footer_and_page_numbers_inside_measures_give_the_same_cards(tmp_path, from_txt):
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "ganzhou", "headed.pdf", HEADED.read_bytes())
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert cards(proj, "ganzhou") == from_txt
    kept = (proj.root / "content/sources/headed.pdf.txt").read_text(encoding="utf-8")
    assert HEADER not in kept.split("\n") and FOOTER not in kept and "第 1 页" not in kept
    assert [line for line in kept.split("\n") if line] == [line for line in GANZHOU.read_text(encoding="utf-8").split("\n")
                                                           if line.strip()]


def test_a_line_at_the_top_of_one_page_only_is_text_not_furniture():
    """Furniture is found from the pages, not from a list of words: the notice's first line stands
    alone at the top of page 1 under the header, and it stays."""
    text = read_file(HEADED)
    assert text.split("\n")[0] == "来源:赣州金融网"


@pytest.mark.browser
def test_a_pdf_with_furniture_printed_now_gives_the_same_cards(tmp_path, from_txt):
    """The committed fixture is what tests/formats/make_headed_pdf.py makes; make it afresh."""
    from make_headed_pdf import make
    (tmp_path / "pdf").mkdir()
    pdf = make(tmp_path / "pdf")
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "ganzhou", "fresh.pdf", pdf.read_bytes())
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert cards(proj, "ganzhou") == from_txt


# The text kept beside an original belongs to the editors too.

EDIT = ("能让则让、能放则放", "能让则让、能放则放（编辑按原件校对）")


def _page_project(tmp_path):
    proj = handbook(tmp_path / "project")
    text = GANZHOU.read_text(encoding="utf-8")
    add_ganzhou(proj, "ganzhou", "page.html", government_page("通知", text))
    add_ganzhou(proj, "other", "other.txt", GANZHOU.read_bytes())
    assert proj.run("import").returncode == 0
    return proj, text


def _edit_kept_text(proj) -> Path:
    kept = proj.root / "content/sources/page.html.txt"
    edited = kept.read_text(encoding="utf-8").replace(*EDIT)
    assert edited != kept.read_text(encoding="utf-8")
    kept.write_text(edited, encoding="utf-8")
    return kept


def test_an_edited_kept_text_survives_import_and_the_cards_follow_it(tmp_path):
    proj, _ = _page_project(tmp_path)
    kept = _edit_kept_text(proj)
    edited = kept.read_text(encoding="utf-8")
    result = proj.run("import")
    assert result.returncode == 0, result.stderr
    assert kept.read_text(encoding="utf-8") == edited  # not overwritten
    assert "content/sources/page.html.txt 是编辑改过的，导入按它读出措施" in result.stdout
    card = parse((proj.root / "content/cards/ganzhou/2-1-1.md").read_text(encoding="utf-8"))
    assert EDIT[1] in card.body
    lines = edited.split("\n")
    assert card.data["title"] in lines[card.data["source"]["line"] - 1]
    before = snapshot(proj)
    again = proj.run("import")  # nothing more to do
    assert again.returncode == 0 and "写入 0 张，" in again.stdout and snapshot(proj) == before


def test_an_edited_kept_text_is_not_overwritten_when_the_original_changes_too(tmp_path):
    proj, text = _page_project(tmp_path)
    kept = _edit_kept_text(proj)
    edited = kept.read_text(encoding="utf-8")
    changed = text.replace("开展动员宣传", "开展动员宣讲")
    assert changed != text
    (proj.root / "content/sources/page.html").write_bytes(government_page("通知", changed))
    cards_before = {p.name: p.read_bytes() for p in (proj.root / "content/cards/ganzhou").glob("*.md")}
    result = proj.run("import")
    assert result.returncode == 1
    fresh = read_bytes(government_page("通知", changed), "page.html").split("\n")
    line = next(n for n, (a, b) in enumerate(zip(edited.split("\n"), fresh), start=1) if a != b)
    assert (f"content/sources/page.html.txt:{line}: 错误：这份从 page.html 读出的文字和导入现在读出的不一样（从这一行起），"
            "它有编辑改过的地方，而 page.html 现在读出来的文字也变了；导入不会覆盖它") in result.stderr
    assert "把 page.html.txt 另存到别处，删掉它再运行 build.py import" in result.stderr
    assert kept.read_text(encoding="utf-8") == edited
    assert {p.name: p.read_bytes() for p in (proj.root / "content/cards/ganzhou").glob("*.md")} == cards_before
    assert "1 个文件没有导入" in result.stdout and "ganzhou" in result.stdout
    assert (proj.root / "content/cards/other").is_dir()  # the other document is imported
    # As the error says: set the edited text aside, delete it, import; the new reading is written.
    kept.unlink()
    fixed = proj.run("import")
    assert fixed.returncode == 0, fixed.stderr
    assert "开展动员宣讲" in kept.read_text(encoding="utf-8")


def test_a_kept_text_import_has_no_record_of_is_not_overwritten_when_it_differs(tmp_path):
    """A project imported before import remembered its texts: a kept text that differs from the
    reading may be an editor's, so it is kept and the error says what to do."""
    proj, _ = _page_project(tmp_path)
    state_path = proj.root / "content/import-state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    assert set(state["texts"]) == {"content/sources/page.html.txt"}  # other.txt is read as it is: no kept text
    del state["texts"]
    state_path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    kept = _edit_kept_text(proj)
    edited = kept.read_text(encoding="utf-8")
    result = proj.run("import")
    assert result.returncode == 1
    assert "导入记录里没有它上次写出的样子，分不清是编辑改的还是原文变了" in result.stderr
    assert kept.read_text(encoding="utf-8") == edited


def test_seeds_state_has_no_texts_entry(tmp_path):
    """Originals read as they are (.txt) keep import-state as it was: no "texts" key."""
    proj = handbook(tmp_path / "project")
    add_ganzhou(proj, "ganzhou", "ganzhou.txt", GANZHOU.read_bytes())
    assert proj.run("import").returncode == 0
    assert "texts" not in json.loads((proj.root / "content/import-state.json").read_text(encoding="utf-8"))
    assert "texts" not in (REPO / "content/import-state.json").read_text(encoding="utf-8")


def test_the_running_headers_words_as_the_title_of_page_one_stay():
    """A running header repeats the document's title; page 1 prints the title itself lower down,
    under the top margin, followed by a gap: that line is text, the headers above are not."""
    from policy_handbook.text.formats import _Line, _Page, _page_furniture

    def page(top: list[str], body: int) -> _Page:
        lines = [_Line(text, 100, 800 - 30 * k, 300, 810 - 30 * k) for k, text in enumerate(top)]
        lines += [_Line(f"正文第{k}行，内容不同。", 80, 600 - 20 * k, 500, 612 - 20 * k) for k in range(body)]
        lines += [_Line(f"- {len(top)} -", 280, 20, 300, 30)]
        return _Page(595, 842, tuple(lines))

    title = "关于开展专项行动的通知"
    first = _Page(595, 842, tuple(_Line(title, 120, 700, 400, 712) if k == 0 else line
                                  for k, line in enumerate(page([title], 8).lines)))
    pages = [first] + [page([title], 8) for _ in range(3)]
    drop = _page_furniture(pages)
    assert 0 not in drop[0]  # page 1's title, at 700, not where the headers stand (800)
    assert all(0 in d for d in drop[1:])  # the running header on the other pages
    assert all(len(p.lines) - 1 in d for p, d in zip(pages, drop))  # the page numbers
