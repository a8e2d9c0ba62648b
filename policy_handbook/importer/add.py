"""`build.py add <file> [--id …]`: a new document in one command.

Copies the file into content/sources/ (unless it is there already and no document declares it), drafts content/documents/<id>.md from its text (title,
issuer, 文号, date, region; each field reasoned rather than read off a line of its own is listed
under `inferred:`), imports, and returns what an editor should review. Never overwrites a source
or a document.

How the draft reads the genre's conventions (first lines of the text):
- title: a line ending in 方案/措施/意见/通知/要点/计划/规划/办法/细则/指南/决定; for a cover notice
  “…关于印发《X》的通知”, X is the title (read when X stands on a line of its own);
- 文号: a line such as 晋政发〔2016〕31号 (not one cited in brackets inside a sentence);
- issuer: a line that is only an organ's name (…人民政府, …办公厅, …局) before the signing date;
  else the part of the notice's title before 关于 (inferred);
- date: a line 2021年3月5日 (or 二〇二一年三月五日); else the year of the 文号 (inferred);
- region: the longest place in content/regions.yaml (or a name ending in 省/市/县/区/州) that
  starts the issuer or title (always inferred: it is reasoned, not printed).
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from .. import paths
from ..content import frontmatter
from ..content.aliases import alias_warnings
from ..content.load import DOCUMENTS_DIR, SOURCES_DIR, load_content, load_documents
from ..content.registry import load_registry
from ..errors import Diagnostics
from ..text.formats import SUFFIXES, read_file, readable, text_name
from ..text.outline import match_marker
from ..text.sourcefile import SourceDecodeError
from ..text.validityphrases import StatedValidity, stated_validity
from .run import ImportReport, run_import

GENRES = {"实施方案": "plan", "方案": "plan", "措施": "measures", "意见": "opinions", "通知": "notice",
          "要点": "key-points", "计划": "plan", "规划": "plan", "办法": "measures", "细则": "rules",
          "指南": "guide", "决定": "decision"}
_TITLE = re.compile(r"^[^，。：；,;:]{4,80}?(?:" + "|".join(GENRES) + r")[》」”]?$")
_COVER = re.compile(r"关于印发[《“]?(.+?)[》”]?的通知$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*\d+\s*号$")
_ISSUER = re.compile(r"^[\u4e00-\u9fff、（）()]{2,40}(?:人民政府|办公厅|办公室|委员会|政府|局|厅|委|管委会)$")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_REGION_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔|藏族|土家族|苗族|彝族|侗族|布依族|傣族|白族|哈尼族|黎族|羌族|朝鲜族|"
                            r"蒙古族|哈萨克|畲族|瑶族|仡佬族|水族)*(?:自治区|自治州|自治县|省|市|县|区|州|盟|旗)$")
_PLACE = re.compile(r"^(.{2,8}?(?:自治区|自治州|省|市|县|区|州|盟|旗))")
_DATE_PHRASE = re.compile(r"(?:\d{4}|[今明]|当|每)年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|前|以前|年底前|上半年|下半年)?"
                          r"|\d{1,2}月(?:\d{1,2}日)?(?:底|前)|(?:年底|年内|月底)前?")
HEAD_LINES = 40  # the metadata of a document stands in its first lines
TITLE_LINES = 15
PLACEHOLDER = "待填写"  # as build.py new leaves it: the check warns until an editor writes it
_NOT_TITLE = re.compile(r"[。，,：:；;！？>|【】]")  # sentences, navigation


@dataclass
class Draft:
    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    date: str = ""
    region: str = ""
    inferred: list[str] = field(default_factory=list)
    validity: StatedValidity = field(default_factory=StatedValidity)  # 自…起施行, 有效期至… as the text states


@dataclass
class Added:
    document_id: str
    source: str  # content/sources/<name>, as shown
    document: str  # content/documents/<id>.md, as shown
    draft: Draft
    report: ImportReport
    review: list[str] = field(default_factory=list)


def draft_metadata(text: str, places: tuple[str, ...] = ()) -> Draft:
    """The document's particulars as its lines give them; reasoned fields are listed in `inferred`."""
    lines = [line.strip(" \t\u3000") for line in text.split("\n")]
    head = [line for line in lines if line][:HEAD_LINES]
    draft = Draft()
    title, printed_issuer = _title(head[:TITLE_LINES])
    cover = _COVER.search(title)
    if cover:  # a cover notice: the document is what it issues
        title = cover.group(1).strip("《》“”")
        if title not in lines:
            draft.inferred.append("title")
    if not title:
        title = PLACEHOLDER
        draft.inferred.append("title")
    draft.title = title.strip("《》 ")
    numbers = [m for line in head if (m := _DOC_NUMBER.match(line))]
    if numbers:
        draft.doc_number = re.sub(r"\s+", "", numbers[0].group(0))
    signed = next((i for i, line in enumerate(lines) if _date(line)), None)
    if signed is not None:
        draft.date = _date(lines[signed])
    elif numbers:
        draft.date = numbers[0].group(1)
        draft.inferred.append("date")
    above = next((line for line in reversed(lines[:signed]) if line), "") if signed is not None else ""
    signature = above if _ISSUER.match(above) else ""
    draft.region = _region(printed_issuer or signature or draft.title, places)
    draft.inferred.append("region")
    draft.issuer = printed_issuer or signature
    if not draft.issuer:
        draft.issuer = draft.region + "人民政府" if draft.region else PLACEHOLDER
        draft.inferred.append("issuer")
    draft.region = draft.region or PLACEHOLDER
    draft.validity = stated_validity(text, draft.date)
    if draft.validity.start or draft.validity.until:
        draft.inferred.append("validity")  # read from a sentence of the text: editors confirm
    return draft


def _title(head: list[str]) -> tuple[str, str]:
    """The first title in the head (its lines joined when it is printed over several), and the
    issuer printed before its 关于, if any."""
    for i, line in enumerate(head):
        if not _TITLE.match(line) or match_marker(line) is not None:
            continue
        above = []
        for before in reversed(head[max(0, i - 3):i]):
            if len(before) > 40 or _NOT_TITLE.search(before) or _DOC_NUMBER.match(before) or _date(before):
                break
            above.insert(0, before)
        for j in range(len(above) + 1):  # the longest join that reads as [issuer]关于… or a title
            joined = "".join(above[j:]) + line
            if "关于" in joined[1:]:
                issuer, _, rest = joined.partition("关于")
                names = [n for n in re.split(r"[ \u3000、]+", issuer.strip()) if n]
                if all(_ISSUER.match(n) and len(n) <= 20 for n in names):
                    return "关于" + rest, "、".join(names)
            elif not any(_ISSUER.match(a) for a in above[j:]):
                return joined, ""
        return line, ""
    return "", ""


def _date(line: str) -> str:
    if m := _DATE.match(line):
        year, month, day = (int(g) for g in m.groups())
    elif m := _CN_DATE.match(line):
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
    else:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def _cn_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _region(name: str, places: tuple[str, ...]) -> str:
    name = name.removeprefix("中共")
    known = [p for p in places if name.startswith(p)]
    if known:
        return max(known, key=len)
    m = _PLACE.match(name)
    return m.group(1) if m and re.fullmatch(r"[\u4e00-\u9fff]+", m.group(1)) and "关于" not in m.group(1) else ""


def default_id(draft: Draft, taken) -> str:
    """region-genre-year in ASCII (pinyin), like the existing ids: guizhou-plan-2017."""
    region = draft.region if draft.region != PLACEHOLDER else ""
    short = _REGION_SUFFIX.sub("", region)  # 广西壮族自治区 -> 广西, 长沙市 -> 长沙
    place = _place_pinyin(short)
    genre = next((GENRES[g] for g in sorted(GENRES, key=len, reverse=True) if draft.title.endswith(g)), "document")
    parts = [place, genre, draft.date[:4]]
    base = "-".join(re.sub(r"[^a-z0-9]+", "", p.lower()) for p in parts if p) or "document"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _place_pinyin(name: str) -> str:
    """厦门 -> xiamen, 长沙 -> changsha: place names need pypinyin's phrase readings, which
    library/slugs.py switches off for the process (PYPINYIN_NO_PHRASES); read them here without
    changing what slugs get."""
    from pypinyin.phrases_dict import phrases_dict

    syllables: list[str] = []
    i = 0
    while i < len(name):
        j = next((j for j in range(len(name), i + 1, -1) if name[i:j] in phrases_dict), i + 1)
        syllables += [r[0] for r in phrases_dict[name[i:j]]] if j > i + 1 else lazy_pinyin(name[i])
        i = j
    plain = unicodedata.normalize("NFD", "".join(syllables))
    return "".join(c for c in plain if c.isascii())


def add_document(file: Path, doc_id: str, content_dir: Path, project_dir: Path,
                 diagnostics: Diagnostics) -> Added | None:
    """Copy, draft, import. None (and nothing written) when the file cannot be added."""
    shown = file.as_posix()
    if not file.is_file():
        diagnostics.error(shown, 0, "没有这个文件", "检查路径")
        return None
    if not readable(file.name):
        diagnostics.error(shown, 0, f"导入不能读取{file.suffix + ' 文件' if file.suffix else '没有扩展名的文件'}",
                          f"把它另存为以下格式之一：{'、'.join(SUFFIXES)}")
        return None
    leaving = paths.links_leaving(project_dir, [content_dir])
    for problem in leaving:
        diagnostics.add(problem)
    if leaving:
        return None
    sources = content_dir / SOURCES_DIR
    target = sources / file.name
    in_place = target.exists() and target.resolve() == file.resolve()  # put there already: not copied
    if in_place:
        declared = [d.path for d in load_documents(content_dir, project_dir, Diagnostics())[0] if d.source == file.name]
        if declared:
            diagnostics.error(_rel(target, project_dir), 0, f"这份原文已经导入为 {declared[0]}",
                              "修改那个文件；或改好原文后运行 build.py import")
            return None
    for existing in (sources / text_name(file.name), target):
        if existing.exists() and not (in_place and existing == target):
            diagnostics.error(_rel(existing, project_dir), 0, "手册里已经有同名的原文，add 不会覆盖它",
                              "如果是另一份文件，给它改个名字；否则修改已有的那份，再运行 build.py import")
            return None
    try:
        text = read_file(file)
    except SourceDecodeError as exc:
        diagnostics.error(shown, getattr(exc, "line", 0), str(exc), exc.hint)
        return None
    registry = load_registry(content_dir, Diagnostics())
    draft = draft_metadata(text, registry.known_places() if registry.regions else ())
    if draft.region in {r.short for r in registry.regions.values()}:
        draft.region = next(r.name for r in registry.regions.values() if r.short == draft.region)
    documents = content_dir / DOCUMENTS_DIR
    taken = {p.stem for p in documents.glob("*.md")}
    if doc_id and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc_id):
        diagnostics.error(shown, 0, f"id“{doc_id}”不是用“-”连接的小写 ASCII 单词",
                          "换一个，比如 guizhou-cost-plan-2017")
        return None
    if doc_id and doc_id in taken:
        diagnostics.error(_rel(documents / f"{doc_id}.md", project_dir), 0,
                          f"文件“{doc_id}”已经存在，add 不会覆盖它",
                          "换一个 --id")
        return None
    doc_id = doc_id or default_id(draft, taken)
    document = documents / f"{doc_id}.md"
    sources.mkdir(parents=True, exist_ok=True)
    if not in_place:
        shutil.copyfile(file, target)
    document.write_text(_document_text(doc_id, draft, file.name), encoding="utf-8")
    report = run_import(content_dir, project_dir, diagnostics)
    added = Added(doc_id, _rel(target, project_dir), _rel(document, project_dir), draft, report)
    added.review = review(added, content_dir, project_dir, diagnostics)
    return added


def _document_text(doc_id: str, draft: Draft, source: str) -> str:
    fields = {"id": doc_id, "title": draft.title, "issuer": draft.issuer}
    if draft.date:
        fields["date"] = draft.date
    if draft.doc_number:
        fields["doc_number"] = draft.doc_number
    fields |= {"region": draft.region, "source": source, "inferred": draft.inferred}
    stated = {"from": draft.validity.start, "until": draft.validity.until}
    if any(stated.values()):
        fields["validity"] = {key: value for key, value in stated.items() if value}
    note = ("由 build.py add 从原文起草：" + ("、".join(draft.inferred) + " 为推定，" if draft.inferred else "")
            + "请对照原件核对标题、发文机关、文号、日期和地区后删去本段。")
    return frontmatter.dump(fields, note)


def review(added: Added, content_dir: Path, project_dir: Path, diagnostics: Diagnostics) -> list[str]:
    """What an editor should look at first: the draft, the measures, what import could not read."""
    plan = added.report.plan
    folder = f"{_rel(content_dir, project_dir)}/cards/{added.document_id}/"
    d = added.draft
    lines = [f"已起草 {added.document}：title “{d.title}”，issuer “{d.issuer}”，文号 {d.doc_number or '-'}，"
             f"date {d.date or '-'}，region “{d.region}”；推测得出的字段（请核对）：{'、'.join(d.inferred) or '无'}"]
    v = d.validity
    lines.append(f"效力：原文写“{'”“'.join(v.phrases)}”，已写入 validity"
                 f"（{'自 ' + v.start + ' 起' if v.start else ''}{'，有效期至 ' + v.until if v.until else ''}），"
                 "核对后补上 status" if v.phrases else
                 "效力：原文没有写施行日期或有效期；核实后在文件信息里加上 validity（如 {status: 现行有效}）")
    if added.document_id in plan.failed:
        lines.append("文件没有导入：改好上面的错误，再运行 build.py import")
        return lines
    lines.append(f"找到的措施：{plan.cards_per_document.get(added.document_id, 0)} 条")
    no_agency = [rel for rel in plan.without_agency if rel.startswith(folder)]
    lines.append(f"没有机构的卡片：{len(no_agency)} 张" + "".join(f"\n  {rel}" for rel in no_agency))
    found = _agencies_in(plan, content_dir / "cards" / added.document_id)
    new_names = [n for n in added.report.registry_added if n in found]
    lines.append(f"不在机构名录中的名称（已追加到 content/agencies.yaml，请核对）：{len(new_names)} 个"
                 + "".join(f"\n  {n}" for n in new_names))
    content = load_content(content_dir, project_dir, Diagnostics())  # as check will see it
    same = [str(w) for w in alias_warnings(content.registry, content.cards) if any(f"“{n}”" in w.message for n in new_names)]
    lines.append(f"像是已登记单位另一种写法的新名称：{len(same)} 处" + "".join(f"\n  {w}" for w in same))
    unparsed = _unparsed_dates(plan, content_dir / "cards" / added.document_id)
    lines.append(f"没有识别为时限的日期说法：{len(unparsed)} 处" + "".join(f"\n  {u}" for u in unparsed))
    mine = [w for w in diagnostics.warnings if added.document_id in w.path or added.source.endswith(w.path)
            or Path(w.path).name == text_name(Path(added.source).name)]
    lines.append(f"警告：{len(mine)} 个" + "".join(f"\n  {w}" for w in mine))
    return lines


def _agencies_in(plan, folder: Path) -> set[str]:
    names: set[str] = set()
    for path, text in plan.files.items():
        if path.parent == folder:
            try:
                agencies = frontmatter.parse(text).data.get("agencies") or {}
            except frontmatter.FrontMatterError:
                continue
            names.update(n for role in agencies.values() for n in role or ())
    return names


def _unparsed_dates(plan, folder: Path) -> list[str]:
    """Date phrases in the cards' texts that no deadline or time limit was read from."""
    found = []
    for path, text in sorted(plan.files.items()):
        if path.parent != folder:
            continue
        try:
            parsed = frontmatter.parse(text)
        except frontmatter.FrontMatterError:
            continue
        read = " ".join(str(x.get("text", "")) if isinstance(x, dict) else str(x)
                        for x in [*(parsed.data.get("deadlines") or []), *(parsed.data.get("time_limits") or [])])
        for phrase in dict.fromkeys(m.group(0) for m in _DATE_PHRASE.finditer(parsed.body)):
            if phrase not in read:
                found.append(f"{parsed.data.get('id')}: {phrase}")
    return found


def _rel(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()
