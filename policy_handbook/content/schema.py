"""Declarative front-matter schemas: which fields a card or document has, and their types.

Each check returns a problem (message, hint) or None, so the loader can report every
problem of every file in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Callable

from ..dates import MAX_YEAR, MIN_YEAR, YEARS, iso_date, out_of_range
from ..model import PARTIAL_DATE

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Problem = tuple[str, str]  # (what is wrong, how to fix it)
Check = Callable[[object], "Problem | None"]


def text(value: object) -> Problem | None:
    if isinstance(value, str) and value.strip():
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None  # YAML reads 19 as a number; it is still a valid printed number
    return "must be non-empty text", "write the text after the colon, quoted if it starts with a symbol"


def optional_text(value: object) -> Problem | None:
    return None if value is None or isinstance(value, str) else text(value)


def ident(value: object) -> Problem | None:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return None
    return (f"{value!r} is not a valid id",
            "use lower-case ASCII letters, digits and single hyphens, e.g. shuozhou-private-economy-2019-19")


def positive_int(value: object) -> Problem | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return f"{value!r} is not a positive whole number", "write a number such as 3"


def text_list(value: object) -> Problem | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return "must be a list of text", "write [第一项, 第二项] or one '- item' per line"


def partial_date(value: object) -> Problem | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR:
        return None  # a bare year such as 2019
    if isinstance(value, str) and value.isascii():
        m = PARTIAL_DATE.match(value)
        if m and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR and _real_date(*m.groups()):
            return None
    return (f"{value!r} is not a date",
            "write an ISO date YYYY-MM-DD (e.g. 2016-05-06), or YYYY-MM / YYYY when only that is known"
            + (f", {YEARS}" if out_of_range(value) else ""))


def _real_date(year: str, month: str | None, day: str | None) -> bool:
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
        return True
    except ValueError:
        return False


DEADLINE_KINDS = {
    "due": ("date",), "target": ("date",), "start": ("date",),
    "period": ("start", "end"), "annual": ("month_day",),
}


def _iso_date(value: object) -> bool:
    """YYYY-MM-DD (not 20191231 or 2019-W01-1, which Python would read too), in MIN_YEAR…MAX_YEAR."""
    if isinstance(value, dt.date):
        return MIN_YEAR <= value.year <= MAX_YEAR
    return isinstance(value, str) and iso_date(value)


def deadline_list(value: object) -> Problem | None:
    """[{kind: due, date: 2019-12-31, text: 2019年底前}, {kind: annual, month_day: '06-20', …}]"""
    if not isinstance(value, list):
        return "must be a list of deadlines", "write one '- {kind: due, date: YYYY-MM-DD, text: …}' per line"
    for i, entry in enumerate(value, start=1):
        if isinstance(entry, dict) and entry.get("kind") is not None and entry.get("kind") not in DEADLINE_KINDS:
            close = difflib.get_close_matches(str(entry["kind"]), list(DEADLINE_KINDS), n=1)
            return (f"entry {i} has the unknown kind '{entry['kind']}'",
                    (f"did you mean '{close[0]}'? " if close else "")
                    + f"the kinds are {', '.join(DEADLINE_KINDS)}")
        if not isinstance(entry, dict) or entry.get("kind") not in DEADLINE_KINDS:
            return (f"entry {i} needs a kind ({', '.join(DEADLINE_KINDS)})",
                    "write e.g. {kind: due, date: 2019-12-31, text: 2019年底前}")
        if not isinstance(entry.get("text"), str) or not entry["text"]:
            return f"entry {i} needs the phrase as written in 'text'", "add text: …, e.g. text: 2019年底前"
        for key in DEADLINE_KINDS[entry["kind"]]:
            ok = (isinstance(entry.get(key), str) and re.fullmatch(r"\d{2}-\d{2}", entry[key])
                  and _real_date("2000", *entry[key].split("-"))) if key == "month_day" else _iso_date(entry.get(key))
            if not ok:
                return (f"entry {i} ({entry['kind']}) has no valid '{key}'",
                        "write month_day as 'MM-DD'" if key == "month_day" else
                        f"write {key}: YYYY-MM-DD" + (f" {YEARS}" if out_of_range(entry.get(key)) else ""))
    return None


def one_of(*choices: str) -> Check:
    def check(value: object) -> Problem | None:
        if value in choices:
            return None
        return f"{value!r} is not one of {', '.join(choices)}", f"write one of: {', '.join(choices)}"
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


Schema = dict[str, "Field | Group"]

CARD: Schema = {
    "id": Field(ident, True, "stable ASCII id; the page is /cards/<id>/"),
    "title": Field(text, True, "the measure's lead sentence, without its number"),
    "document": Field(ident, True, "the id of the document the measure belongs to"),
    "number": Field(text, False, "the number as printed: 19, （四）, 第一期"),
    "kind": Field(one_of("measure", "general"), False, "measure, or general for general requirements"),
    "heading": Field(text_list, False, "the headings above the measure, outermost first"),
    "series": Group({"group": Field(text, True), "issue": Field(positive_int, True)}, False,
                    "for a card series: the group and the issue number (第N期 -> N)"),
    "source": Group({"file": Field(text, True), "line": Field(positive_int, True)}, False,
                    "where the measure stands in the source text"),
    "agencies": Group({role: Field(text_list) for role in ("lead", "responsible", "support", "mentioned")},
                      False, "who is responsible: lead, responsible, support, mentioned (names in content/agencies.yaml)"),
    "deadlines": Field(deadline_list, False, "dated items: {kind, date, text}"),
    "time_limits": Field(text_list, False, "relative limits as written: 3个工作日内"),
    "topics": Field(text_list, False, "topics from content/taxonomy/topics.yaml"),
    "beneficiaries": Field(text_list, False, "适用对象 from content/taxonomy/beneficiaries.yaml"),
    # Fields only editors write; import never touches them.
    "extra_topics": Field(text_list, False, "topics an editor adds to the imported ones"),
    "notes": Field(text, False, "an editor's note, shown under the card (Markdown)"),
    "contact": Group({"name": Field(optional_text), "phone": Field(optional_text),
                      "address": Field(optional_text), "website": Field(optional_text)}, False,
                     "whom to ask about this measure, if not the lead agency's contact"),
}

DOCUMENT: Schema = {
    "id": Field(ident, True, "stable ASCII id; the page is /documents/<id>/"),
    "title": Field(text, True, "the document's full title"),
    "issuer": Field(text, True, "发文机关"),
    "date": Field(partial_date, False, "成文日期, ISO"),
    "doc_number": Field(optional_text, False, "文号, such as 忻政发〔2021〕21号"),
    "region": Field(text, True, "the region the document governs, such as 朔州市"),
    "publisher": Field(optional_text, False, "who published this text, if not the issuer"),
    "source": Field(optional_text, False, "the source text's file name under content/sources/"),
    "series": Group({"name": Field(text, True), "label": Field(optional_text, False)}, False,
                    "for a card series: its name and the label of its groups"),
    "published": Field(partial_date, False, "发布日期, ISO"),
    "implements": Field(optional_text, False, "the higher-level document this one implements"),
    "source_site": Field(optional_text, False, "where the text was published (来源)"),
    "inferred": Field(text_list, False, "names of fields whose values were inferred"),
}


@dataclass(frozen=True)
class FieldProblem:
    key: str  # dotted: "series.issue"
    message: str
    hint: str


def validate(data: dict, schema: Schema, prefix: str = "") -> list[FieldProblem]:
    """Every problem with the fields of one front matter."""
    problems: list[FieldProblem] = []
    for name, spec in schema.items():
        key = prefix + name
        if name not in data or data[name] is None:
            if spec.required:
                problems.append(FieldProblem(key, f"the required field '{key}' is missing",
                                             f"add '{name}: …' ({spec.help})" if spec.help
                                             else f"add '{name}: …'"))
            continue
        value = data[name]
        if isinstance(spec, Group):
            if not isinstance(value, dict):
                problems.append(FieldProblem(key, f"'{key}' must be a set of fields",
                                             f"write it as {{{', '.join(f'{k}: …' for k in spec.fields)}}}"))
            else:
                problems += validate(value, spec.fields, key + ".")
            continue
        problem = spec.check(value)
        if problem:
            problems.append(FieldProblem(key, f"'{key}' {problem[0]}", problem[1]))
    for name in data:  # a typo (topic:, 备注:) would publish the card without the field
        if name not in schema:
            close = difflib.get_close_matches(str(name), list(schema), n=1)
            hint = f"did you mean '{prefix}{close[0]}'?" if close else \
                f"known fields: {', '.join(schema)}"
            problems.append(FieldProblem(prefix + str(name), f"unknown field '{prefix}{name}'", hint))
    return problems
