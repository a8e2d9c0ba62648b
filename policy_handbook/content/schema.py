"""Declarative front-matter schemas: which fields a card or document has, and their types.

Each check returns a problem (message, hint) or None, so the loader can report every
problem of every file in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import urllib.parse
from dataclasses import dataclass
from typing import Callable

from ..dates import MAX_YEAR, MIN_YEAR, YEARS, iso_date, out_of_range
from ..model import APPLICATION_KEYS, APPLICATION_METHODS, CARD_STATUSES, PARTIAL_DATE, VALIDITY_STATUSES

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Problem = tuple[str, str]  # (what is wrong, after the field's name; how to fix it)
Check = Callable[[object], "Problem | None"]


def text(value: object) -> Problem | None:
    if isinstance(value, str) and value.strip():
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None  # YAML reads 19 as a number; it is still a valid printed number
    return "应当是非空的文字", "在冒号后写上文字，以符号开头的要给整个值加上引号"


def optional_text(value: object) -> Problem | None:
    return None if value is None or isinstance(value, str) else text(value)


def ident(value: object) -> Problem | None:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return None
    return (f"的值“{value}”不是有效的 id",
            "只用小写英文字母、数字和单个连字符，如 shuozhou-private-economy-2019-19")


def positive_int(value: object) -> Problem | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return f"的值“{value}”不是正整数", "写一个数字，如 3"


def text_list(value: object) -> Problem | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return "应当是文字列表", "写成 [第一项, 第二项]，或每行一个“- 项”"


def text_or_list(value: object) -> Problem | None:
    """One text, or a list of them (支持标准 with several amounts, 所需材料)."""
    if isinstance(value, list):
        return text_list(value) if value else ("是空列表", "写上至少一项，或删掉这个字段")
    if isinstance(value, str) and value.strip():
        return None
    return "应当是文字或文字列表", "写成一段文字，或每行一个“- 项”"


def web_link(value: object) -> Problem | None:
    """An http(s) address: a reader's browser opens it, so nothing else (javascript:, file:) is taken."""
    if isinstance(value, str) and not re.search(r"[\s\x00-\x1f\x7f<>\"'`\\]", value):
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError:
            parts = None
        if parts and parts.scheme in ("http", "https") and parts.hostname:
            return None
    return (f"的值“{value}”不是网址", "写完整的 http:// 或 https:// 开头的网址，如 https://www.shanxi.gov.cn/；"
            "网址里不能有空格")


def phone(value: object) -> Problem | None:
    """Digits with the separators a printed number uses: 0349-5022222、12345 (工作日)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(value, str) and re.search(r"\d{3,}", value) and not re.search(r"[<>]", value):
        return None
    return f"的值“{value}”不是电话号码", "写成 0349-5022222 这样的号码，多个号码用“、”隔开"


def partial_date(value: object) -> Problem | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR:
        return None  # a bare year such as 2019
    if isinstance(value, str) and value.isascii():
        m = PARTIAL_DATE.match(value)
        if m and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR and _real_date(*m.groups()):
            return None
    return (f"的值“{value}”不是日期",
            "写成 YYYY-MM-DD（如 2016-05-06），只知道年月或年份时写 YYYY-MM 或 YYYY"
            + (f"，{YEARS}" if out_of_range(value) else ""))


def _real_date(year: str, month: str | None, day: str | None) -> bool:
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
        return True
    except ValueError:
        return False


DEADLINE_KINDS = {
    "due": ("date",), "target": ("date",), "start": ("date",),
    "period": ("start", "end"), "annual": ("month_day",),
    "ongoing": (), "recurring": (),  # no date: 长期坚持, 每季度 (the text says it all)
}


def _iso_date(value: object) -> bool:
    """YYYY-MM-DD (not 20191231 or 2019-W01-1, which Python would read too), in MIN_YEAR…MAX_YEAR."""
    if isinstance(value, dt.date):
        return MIN_YEAR <= value.year <= MAX_YEAR
    return isinstance(value, str) and iso_date(value)


def deadline_list(value: object) -> Problem | None:
    """[{kind: due, date: 2019-12-31, text: 2019年底前}, {kind: annual, month_day: '06-20', …},
    {kind: ongoing, text: 长期坚持}, {kind: recurring, text: 每季度}]"""
    if not isinstance(value, list):
        return "应当是时限的列表", "每行写一条“- {kind: due, date: YYYY-MM-DD, text: …}”"
    for i, entry in enumerate(value, start=1):
        if isinstance(entry, dict) and entry.get("kind") is not None and entry.get("kind") not in DEADLINE_KINDS:
            close = difflib.get_close_matches(str(entry["kind"]), list(DEADLINE_KINDS), n=1)
            return (f"第 {i} 条的 kind“{entry['kind']}”不是可用的种类",
                    (f"是不是“{close[0]}”？" if close else "")
                    + f"可用的有：{'、'.join(DEADLINE_KINDS)}")
        if not isinstance(entry, dict) or entry.get("kind") not in DEADLINE_KINDS:
            return (f"第 {i} 条缺少 kind（{'、'.join(DEADLINE_KINDS)}）",
                    "例如写成 {kind: due, date: 2019-12-31, text: 2019年底前}")
        if not isinstance(entry.get("text"), str) or not entry["text"]:
            return f"第 {i} 条缺少 text（原文的说法）", "加上 text: …，如 text: 2019年底前"
        dated = [key for key in ("date", "start", "end", "month_day") if entry.get(key) is not None]
        if not DEADLINE_KINDS[entry["kind"]] and dated:
            return (f"第 {i} 条（{entry['kind']}）是没有日期的时限，不能写 {dated[0]}",
                    f"去掉 {dated[0]}；有具体日期的时限写成 due、target、start、period 或 annual")
        for key in DEADLINE_KINDS[entry["kind"]]:
            ok = (isinstance(entry.get(key), str) and re.fullmatch(r"\d{2}-\d{2}", entry[key])
                  and _real_date("2000", *entry[key].split("-"))) if key == "month_day" else _iso_date(entry.get(key))
            if not ok:
                return (f"第 {i} 条（{entry['kind']}）缺少有效的 {key}",
                        "把 month_day 写成“MM-DD”" if key == "month_day" else
                        f"写成 {key}: YYYY-MM-DD" + (f"，{YEARS}" if out_of_range(entry.get(key)) else ""))
    return None


def one_of(*choices: str) -> Check:
    def check(value: object) -> Problem | None:
        if value in choices:
            return None
        return f"的值“{value}”不是 {'、'.join(choices)} 之一", f"写成其中之一：{'、'.join(choices)}"
    return check


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Group:
    """A nested mapping of fields, such as `source: {file, line}`."""

    fields: dict[str, "Field | Group"]
    required: bool = False
    help: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # (name an editor may write, the field it means): 申报条件 -> conditions


Schema = dict[str, "Field | Group"]


def iso_day(value: object) -> Problem | None:
    if _iso_date(value):
        return None
    return f"的值“{value}”不是日期", "写成 YYYY-MM-DD" + (f"（{YEARS}）" if out_of_range(value) else "")


def _validity(statuses: tuple[str, ...], replaced_by: bool) -> Group:
    fields: dict[str, Field | Group] = {
        "status": Field(one_of(*statuses), False, "效力：" + "、".join(statuses)),
        "from": Field(iso_day, False, "施行日期，YYYY-MM-DD"),
        "until": Field(iso_day, False, "有效期截止日，YYYY-MM-DD（过了这一天即失效）"),
    }
    if replaced_by:
        fields["replaced_by"] = Field(ident, False, "取代它的文件的 id")
    fields["note"] = Field(optional_text, False, "说明，如“第三条已调整”")
    return Group(fields, False, "效力：{status, from, until" + (", replaced_by" if replaced_by else "") + ", note}")

_APPLICATION_CHECKS: dict[str, Check] = {
    "conditions": text, "support": text_or_list, "period": text, "method": one_of(*APPLICATION_METHODS),
    "link": web_link, "office": text, "phone": phone, "materials": text_or_list}
# 申报指南, editors' own: import never writes it (it proposes under PROPOSED_APPLICATION instead)
APPLICATION = Group({key: Field(_APPLICATION_CHECKS[key], False, label) for key, label in APPLICATION_KEYS},
                    False, "申报指南：" + "、".join(f"{label} {key}" for key, label in APPLICATION_KEYS),
                    tuple((label, key) for key, label in APPLICATION_KEYS) + (("申报链接", "link"), ("网址", "link")))
PROPOSED_APPLICATION = Group(
    {"support": Field(text_or_list, False, "原文里写金额、比例的句子"),
     "method": Field(one_of(*APPLICATION_METHODS), False, "原文里写的办理方式")}, False,
    "导入从原文读出的申报指南建议，由编辑核实后写进 application（网页上不显示）",
    (("支持标准", "support"), ("办理方式", "method")))

CARD: Schema = {
    "id": Field(ident, True, "固定不变的英文 id，页面地址是 /cards/<id>/"),
    "title": Field(text, True, "措施的第一句，不带编号"),
    "document": Field(ident, True, "措施所属文件的 id"),
    "number": Field(text, False, "原文印的编号：19、（四）、第一期"),
    "kind": Field(one_of("measure", "general"), False, "measure（措施），总体要求写 general"),
    "heading": Field(text_list, False, "措施上面的各级标题，从最外层写起"),
    "series": Group({"group": Field(text, True), "issue": Field(positive_int, True)}, False,
                    "系列卡片：所在的组和期数（第N期写 N）"),
    "source": Group({"file": Field(text, True), "line": Field(positive_int, True)}, False,
                    "措施在原文中的位置"),
    "agencies": Group({role: Field(text_list) for role in ("lead", "responsible", "support", "mentioned")},
                      False, "谁负责：lead、responsible、support、mentioned（机构名见 content/agencies.yaml）"),
    "deadlines": Field(deadline_list, False, "时限：{kind, date, text}；长期坚持写 {kind: ongoing, text}，每季度写 {kind: recurring, text}"),
    "time_limits": Field(text_list, False, "原文写的相对时限，如 3个工作日内"),
    "topics": Field(text_list, False, "content/taxonomy/topics.yaml 里的主题"),
    "beneficiaries": Field(text_list, False, "content/taxonomy/beneficiaries.yaml 里的适用对象"),
    # Fields only editors write; import never touches them.
    "extra_topics": Field(text_list, False, "编辑在导入的主题之外补充的主题"),
    "notes": Field(text, False, "编者按，显示在卡片下方（Markdown）"),
    "contact": Group({"name": Field(optional_text), "phone": Field(optional_text),
                      "address": Field(optional_text), "website": Field(optional_text)}, False,
                     "这条措施的咨询方式（与牵头机构的联系方式不同时才写）"),
    "validity": _validity(CARD_STATUSES, False),
    "application": APPLICATION,
    "proposed_application": PROPOSED_APPLICATION,
}

DOCUMENT: Schema = {
    "id": Field(ident, True, "固定不变的英文 id，页面地址是 /documents/<id>/"),
    "title": Field(text, True, "文件的完整标题"),
    "issuer": Field(text, True, "发文机关"),
    "date": Field(partial_date, False, "成文日期，YYYY-MM-DD"),
    "doc_number": Field(optional_text, False, "文号，如 忻政发〔2021〕21号"),
    "region": Field(text, True, "文件适用的地区，如朔州市"),
    "publisher": Field(optional_text, False, "发布者（与发文机关不同时才写）"),
    "source": Field(optional_text, False, "content/sources/ 里原文文本的文件名"),
    "series": Group({"name": Field(text, True), "label": Field(optional_text, False)}, False,
                    "系列文件：系列名称和组的标签"),
    "published": Field(partial_date, False, "发布日期，YYYY-MM-DD"),
    "implements": Field(optional_text, False, "这份文件所落实的上级文件"),
    "source_site": Field(optional_text, False, "文本发布的地方（来源）"),
    "inferred": Field(text_list, False, "值是推断出来的字段的名称"),
    "validity": _validity(VALIDITY_STATUSES, True),
}


@dataclass(frozen=True)
class FieldProblem:
    key: str  # dotted: "series.issue"
    message: str
    hint: str


def validate(data: dict, schema: Schema, prefix: str = "", aliases: dict[str, str] | None = None) -> list[FieldProblem]:
    """Every problem with the fields of one front matter."""
    problems: list[FieldProblem] = []
    for name, spec in schema.items():
        key = prefix + name
        if name not in data or data[name] is None:
            if spec.required:
                problems.append(FieldProblem(key, f"缺少必填字段 {key}",
                                             f"加上“{name}: …”（{spec.help}）" if spec.help
                                             else f"加上“{name}: …”"))
            continue
        value = data[name]
        if isinstance(spec, Group):
            if not isinstance(value, dict):
                problems.append(FieldProblem(key, f"{key} 应当是一组子字段",
                                             f"写成 {{{', '.join(f'{k}: …' for k in spec.fields)}}}"))
            else:
                problems += validate(value, spec.fields, key + ".", dict(spec.aliases))
            continue
        problem = spec.check(value)
        if problem:
            problems.append(FieldProblem(key, f"{key} {problem[0]}", problem[1]))
    for name in data:  # a typo (topic:, 备注:) would publish the card without the field
        if name not in schema:
            close = [aliases[name]] if aliases and name in aliases else \
                difflib.get_close_matches(str(name), list(schema), n=1)
            hint = f"是不是“{prefix}{close[0]}”？" if close else \
                f"可用的字段有：{'、'.join(schema)}"
            problems.append(FieldProblem(prefix + str(name), f"不认识的字段“{prefix}{name}”", hint))
    return problems
