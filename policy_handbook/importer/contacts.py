"""`build.py contacts import <table>`: fill agencies' contacts from a published 咨询联系表.

Each row's unit is matched to the registry (content/agencies.yaml) the way the importer reads
names in documents: its name or an alias (registry.resolve), written another way (brackets,
traditional characters: agencynames.spelling), short and relative to the table's place (市发改委
in a 朔州市 table is 朔州市发改委: text/agencies.scope), or a short form of one entry of that
place (人社局 of 人力资源和社会保障局: agencynames.same_body). The table's place is `--region`,
else the region its title or file name names (朔州市惠企政策咨询联系表).

Only the contact fields the registry has are written, and only into the matched entries: an
empty field is filled, an equal one left, a different one is reported as a conflict and kept
unless `--replace` says to take the table's (importer/contactwrite.py edits the file as text).
Every unit that matches nothing, several entries or a collective is reported at its line, all
in one run. Running it again with the same table changes nothing.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..content.agencynames import NameEntry, clean_form, collective_shape, same_body, spelling, strip_region
from ..content.aliases import name_entries
from ..content.registry import AGENCIES_FILE, CONTACT_KEYS, Registry, load_registry
from ..errors import Diagnostics
from ..text.agencies import LEVEL_PREFIX, Place, scope
from ..text.contacttable import FIELD_NAMES, ContactTable, merge_fields, read_contact_table
from ..yamlfile import node_lines, parse_yaml
from .contactwrite import EditProblem, edit_contacts, read_text

REGISTRY = f"content/{AGENCIES_FILE}"


@dataclass(frozen=True)
class Match:
    name: str  # the registry's canonical name, "" when none
    problem: str = ""  # why not, in Chinese
    hint: str = ""


@dataclass
class ContactReport:
    rows: int = 0
    matched: dict[str, list[int]] = field(default_factory=dict)  # canonical -> table lines
    unmatched: list[str] = field(default_factory=list)
    filled: int = 0  # fields that were empty
    changed: int = 0  # fields replaced (--replace)
    same: int = 0
    conflicts: int = 0
    skipped_columns: tuple[str, ...] = ()
    written: bool = False
    without_phone: int = 0  # registered bodies that still have no phone after this import

    def summary(self) -> str:
        agencies = len(self.matched)
        parts = [f"读到 {self.rows} 个单位，对上登记的 {agencies} 个",
                 f"新填 {self.filled} 项", f"改动 {self.changed} 项", f"已相同 {self.same} 项"]
        if self.conflicts:
            parts.append(f"{self.conflicts} 项与已有的不同而保留原值（见上文；要用表中的，加 --replace）")
        if self.unmatched:
            parts.append(f"{len(self.unmatched)} 个单位没有对上（见上文）：{'、'.join(self.unmatched)}")
        tail = f"已写入 {REGISTRY}" if self.written else f"{REGISTRY} 没有改动"
        return "联系方式导入：" + "，".join(parts) + f"。{tail}；名录里还有 {self.without_phone} 个单位没有电话"


def import_contacts(table_path: Path, content_dir: Path, diagnostics: Diagnostics, *,
                    shown: str = "", region: str = "", replace: bool = False) -> ContactReport | None:
    """Read the table, match its units, write the matched contacts. None when nothing could be
    done (the file or the registry cannot be read; the errors say why)."""
    registry = load_registry(content_dir, diagnostics)
    if diagnostics:
        return None
    if region and region not in registry.regions:
        diagnostics.error("build.py", 0, f"--region“{region}”不在 content/regions.yaml 中",
                          f"用登记的地区名，如 {'、'.join(list(registry.regions)[:3])}")
        return None
    table = read_contact_table(table_path, shown or str(table_path), diagnostics)
    if table is None:
        return None
    place = region or place_named(f"{table.title} {table_path.stem}", registry)
    report = ContactReport(rows=len(table.rows))
    found: dict[str, dict[str, str]] = {}
    source: dict[str, str] = {}  # canonical -> the table line it came from, for messages
    for row in table.rows:
        match = match_unit(row.unit, registry, place)
        if not match.name:
            diagnostics.warning(table.shown, row.line, match.problem, match.hint)
            report.unmatched.append(row.unit)
            continue
        report.matched.setdefault(match.name, []).append(row.line)
        found[match.name] = merge_fields(found.get(match.name, {}), row.fields)
        source.setdefault(match.name, f"{table.shown}:{row.line}")
    report.skipped_columns = _skipped_columns(table, diagnostics)
    path = content_dir / AGENCIES_FILE
    text, bom = read_text(path)
    updates = _updates(found, source, registry, _contact_lines(text), replace, report, diagnostics)
    report.without_phone = sum(1 for a in registry.agencies.values() if not a.collective
                               and not (updates.get(a.name, {}).get("phone") or a.contact.get("phone")))
    if not updates:
        return report
    try:
        new = edit_contacts(text, updates)
    except EditProblem as exc:
        diagnostics.error(REGISTRY, 0, f"无法把联系方式写进 {AGENCIES_FILE}：{exc}",
                          "改好这个问题再运行一次（没有写入任何内容）")
        return None
    if new != text:
        tmp = path.with_suffix(".yaml.tmp")
        try:
            tmp.write_bytes(("\ufeff" if bom else "").encode("utf-8") + new.encode("utf-8"))
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            diagnostics.error(REGISTRY, 0, f"无法写入 {AGENCIES_FILE}（{exc.strerror}）",
                              "检查磁盘空间和文件权限，再运行一次（原文件保持不变）")
            return None
        report.written = True
    return report


def place_named(title: str, registry: Registry) -> str:
    """The region a table's title (or its file name) names first (“朔州市…联系表” → 朔州市), else ""."""
    hits = [(title.find(prefix), -len(prefix), region) for prefix, region in registry.region_prefixes()
            if prefix in title]
    return min(hits)[2] if hits else ""


def match_unit(unit: str, registry: Registry, region: str) -> Match:
    """The registry entry a table's unit names, or why there is none."""
    names = _readings(unit, registry, region)
    for name in names:
        canonical = registry.resolve(name) or _by_spelling(name, registry)
        if canonical:
            return _usable(unit, canonical, registry)
    short = _short_forms(names, registry)
    if len(short) == 1:
        return _usable(unit, short[0], registry)
    if len(short) > 1:
        return Match("", f"“{unit}”可能是登记的“{'”“'.join(short)}”中的任何一个",
                     f"在表中写出全称，或在 {REGISTRY} 里把“{unit}”加进其中一个的 aliases")
    if collective_shape(unit):
        return Match("", f"“{unit}”泛指多个单位，不能填一个联系方式", "在表中写出具体的单位，或删掉这一行")
    if not region and LEVEL_PREFIX.match(unit):
        candidates = sorted({c for r in registry.regions if (c := _resolved(unit, registry, r))})
        if candidates:
            return Match("", f"“{unit}”没有写明是哪个地区的（可能是“{'”“'.join(candidates)}”）",
                         f"加上 --region {registry.agencies[candidates[0]].region or '（地区）'} 再运行一次，"
                         "或在表中写出单位的全称")
    close = _closest(names[-1], registry, region)
    if close:
        return Match("", f"“{unit}”在 {REGISTRY} 里没有登记",
                     f"是不是“{close}”？是的话，在 {REGISTRY} 里“{close}”那一条的 aliases 里加上“{unit}”，再运行一次")
    return Match("", f"“{unit}”在 {REGISTRY} 里没有登记",
                 f"先在 {REGISTRY} 里登记它（- name: {names[-1]}），或在表中改用登记的名称，再运行一次")


def _closest(name: str, registry: Registry, region: str) -> str:
    """The registered body (of the table's place, when known) whose name is closest, else ""."""
    names = {n: a.name for a in registry.agencies.values() if not a.collective and (not region or a.region == region)
             for n in (a.name, *a.aliases)}
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    return names[close[0]] if close else ""


def _readings(unit: str, registry: Registry, region: str) -> list[str]:
    """The names a unit may stand for: as written, its clean form, scoped to the table's place."""
    names = list(dict.fromkeys([unit, clean_form(unit)]))
    if region:
        place = Place(region, registry.chain(region), registry.known_places())
        names += [scoped for n in list(names) if (scoped := scope(n, "lead", place).name) not in names]
    return names


def _resolved(unit: str, registry: Registry, region: str) -> str:
    place = Place(region, registry.chain(region), registry.known_places())
    name = scope(unit, "lead", place).name
    return registry.resolve(name) or _by_spelling(name, registry) or ""


def _by_spelling(name: str, registry: Registry) -> str:
    """The entry whose name or alias reads the same (brackets, width, traditional characters)."""
    key = spelling(name)
    for agency in registry.agencies.values():
        if any(spelling(n) == key for n in (agency.name, *agency.aliases)):
            return agency.name
    return ""


def _short_forms(names: list[str], registry: Registry) -> list[str]:
    """Entries of the unit's region that it writes short or long (人社局, 发展和改革委员会)."""
    prefixes = [p for p, _ in registry.region_prefixes()]
    entries = [e for e in name_entries(registry, {}) if not e.collective]
    found: dict[str, None] = {}
    for name in names:
        home = next((r for p, r in registry.region_prefixes() if name.startswith(p) and len(name) > len(p)), "")
        if not home:
            continue
        unit = NameEntry(name, (strip_region(name, prefixes),), home, False)
        found.update((e.name, None) for e in entries if e.region == home and same_body(unit, e))
    return list(found)


def _usable(unit: str, canonical: str, registry: Registry) -> Match:
    agency = registry.agencies[canonical]
    if agency.collective:
        return Match("", f"“{unit}”泛指多个单位（登记为“{canonical}”），不能填一个联系方式",
                     "在表中写出具体的单位，或删掉这一行")
    return Match(canonical)


def _contact_lines(text: str) -> dict[str, int]:
    """Canonical name (as written in its entry) -> the line of its contact (or of its name)."""
    data, node = parse_yaml(text)
    lines = node_lines(node, text)
    found = {}
    for i, entry in enumerate(data if isinstance(data, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            found[entry["name"].strip()] = lines.get(f"{i}.contact", lines.get(str(i), 0))
    return found


def _updates(found: dict[str, dict[str, str]], source: dict[str, str], registry: Registry,
             lines: dict[str, int], replace: bool, report: ContactReport,
             diagnostics: Diagnostics) -> dict[str, dict[str, str]]:
    """The values to write per entry; conflicts reported (or taken, with --replace)."""
    updates: dict[str, dict[str, str]] = {}
    for name, fields in found.items():
        have = registry.agencies[name].contact
        for key, value in fields.items():
            if key not in CONTACT_KEYS:
                continue
            old = " ".join(str(have.get(key) or "").split())
            new = " ".join(value.split())
            if old == new:
                report.same += 1
            elif not old:
                report.filled += 1
                updates.setdefault(name, {})[key] = new
            elif replace:
                report.changed += 1
                updates.setdefault(name, {})[key] = new
            else:
                report.conflicts += 1
                diagnostics.warning(REGISTRY, lines.get(name, 0),
                                    f"“{name}”的{FIELD_NAMES[key]}已是“{old}”，"
                                    f"联系表（{source[name]}）写的是“{new}”；保留原值",
                                    "确认表中的是对的，加 --replace 再运行一次；否则不用处理")
    return updates


def _skipped_columns(table: ContactTable, diagnostics: Diagnostics) -> tuple[str, ...]:
    """Columns the registry has no field for yet (联系人, 邮箱): read, said, not written."""
    skipped = tuple(table.columns[name] for name in table.columns if name != "unit" and name not in CONTACT_KEYS)
    if skipped:
        diagnostics.warning(table.shown, table.header_line,
                            f"“{'”“'.join(skipped)}”这几列没有写入：{REGISTRY} 的 contact 还没有对应的字段",
                            "这几列的内容请另行保存；电话、地址、网址和办公时间已导入")
    return skipped
