"""Regions and the agency registry (content/regions.yaml, content/agencies.yaml).

The registry holds each agency's canonical name, aliases (省发改委 = 省发展改革委), level,
region and optional contact. Editors own it: the importer only appends agencies it has not
seen, as text at the end of the file, so nothing an editor wrote there is ever rewritten.

A collective (各县（市、区）人民政府, 市直各部门) is known by its shape unless the entry says
`collective: true` or `false`; collectives of one region whose names differ only in how they are
written (agencynames.collective_key) are one entry, the first in the file, the others its
aliases. Each body renamed since (content/successors.yaml) knows its present-day body.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

import yaml

from ..errors import Diagnostics
from .agencynames import collective_key, collective_shape, strip_region
from .datafile import drop_wrong_types, read_yaml_list
from .successors import Rule, Succession, load_successors, succession

REGIONS_FILE = "regions.yaml"
AGENCIES_FILE = "agencies.yaml"
CONTACT_KEYS = ("person", "phone", "address", "email", "website", "hours", "note")
AGENCY_KEYS = {"name", "aliases", "level", "region", "contact", "collective", "distinct_from", "from_text"}
AGENCY_KINDS = {"aliases": "list", "region": "text", "collective": "yes/no", "distinct_from": "list"}
REGION_KINDS = {"parent": "text", "short": "text"}
LEVELS = ("省", "市", "县", "")


@dataclass(frozen=True)
class Region:
    name: str
    level: str
    parent: str
    short: str


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...]
    level: str
    region: str
    contact: dict = field(default_factory=dict, hash=False, compare=False)
    collective: bool = False
    distinct_from: tuple[str, ...] = ()  # names an editor said are another body (no alias proposal)
    line: int = field(default=0, compare=False)  # its line in agencies.yaml


@dataclass(frozen=True)
class Registry:
    regions: dict[str, Region]
    agencies: dict[str, Agency]  # canonical name -> agency
    alias_of: dict[str, str]  # any alias -> canonical name
    collective_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (region, key) -> canonical
    successors: tuple[Rule, ...] = ()
    successor_of: dict[str, Succession] = field(default_factory=dict)  # canonical -> its present body

    def chain(self, region: str) -> tuple[str, ...]:
        """The region and its parents, innermost first."""
        names, seen = [], set()
        while region and region not in seen:
            seen.add(region)
            names.append(region)
            region = self.regions[region].parent if region in self.regions else ""
        return tuple(names)

    def known_places(self) -> tuple[str, ...]:
        return tuple(sorted({r.short for r in self.regions.values() if r.short} |
                            {r.name for r in self.regions.values()}, key=lambda s: (-len(s), s)))

    def region_prefixes(self) -> tuple[tuple[str, str], ...]:
        """(prefix, region) for every region's name and short name, longest first."""
        pairs = {(r.name, r.name) for r in self.regions.values()} | \
            {(r.short, r.name) for r in self.regions.values() if r.short}
        return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))

    def resolve(self, name: str) -> str | None:
        """The canonical name for a name or alias, or None when the registry lacks it. A collective
        written another way (各县(市、区)人民政府 for 各县<市、区>人民政府) is its entry too."""
        if name in self.agencies:
            return name
        if name in self.alias_of:
            return self.alias_of[name]
        if self.collective_of and collective_shape(name):
            for prefix, region in self.region_prefixes():
                if name.startswith(prefix) and len(name) > len(prefix):
                    return self.collective_of.get((region, collective_key(name[len(prefix):], region)))
        return None

    def predecessors(self, name: str) -> tuple[str, ...]:
        """The entries whose present-day body is this one (山西省国税局 for 国家税务总局山西省税务局)."""
        return tuple(old for old, s in self.successor_of.items() if self.resolve(s.present) == name)

    def suggest(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.agencies) + list(self.alias_of), n=1, cutoff=0.5)
        return f"是不是“{self.resolve(close[0])}”？" if close else \
            f"把它加到 content/{AGENCIES_FILE}（或运行 python build.py import）"


def load_registry(content_dir: Path, diagnostics: Diagnostics) -> Registry:
    regions = _load_regions(content_dir / REGIONS_FILE, diagnostics)
    # regions.yaml unreadable: its own error, not one per agency whose region is then unknown
    regions_read = bool(regions) or not (content_dir / REGIONS_FILE).exists()
    agencies, alias_of = _load_agencies(content_dir / AGENCIES_FILE, regions if regions_read else None, diagnostics)
    registry = _fold_collectives(Registry(regions, agencies, alias_of))
    rules = load_successors(content_dir, diagnostics)
    successor_of = {a.name: found for a in registry.agencies.values() if not a.collective
                    and (found := succession((a.name, *a.aliases), a.level, rules))}
    return replace(registry, successors=rules, successor_of=successor_of)


def _fold_collectives(registry: Registry) -> Registry:
    """Collectives of one region written differently are one entry: the first keeps its name,
    the later ones become its aliases."""
    agencies, alias_of, collective_of = dict(registry.agencies), dict(registry.alias_of), {}
    prefixes = [p for p, _ in registry.region_prefixes()]
    for agency in registry.agencies.values():
        if not agency.collective:
            continue
        keys = {(agency.region, collective_key(strip_region(n, prefixes), agency.region))
                for n in (agency.name, *agency.aliases)}
        first = next((collective_of[k] for k in keys if k in collective_of), None)
        if first is None:
            collective_of.update((k, agency.name) for k in keys)
            continue
        del agencies[agency.name]
        kept = agencies[first]
        agencies[first] = replace(kept, aliases=(*kept.aliases, agency.name, *agency.aliases))
        for name in (agency.name, *agency.aliases):
            alias_of[name] = first
        collective_of.update((k, first) for k in keys)
    return replace(registry, agencies=agencies, alias_of=alias_of, collective_of=collective_of)


def _load_regions(path: Path, diagnostics: Diagnostics) -> dict[str, Region]:
    shown = f"content/{REGIONS_FILE}"
    listed = read_yaml_list(path, shown, diagnostics)
    regions: dict[str, Region] = {}
    line_of: dict[str, int] = {}
    for i, entry in enumerate(listed.entries):
        line = listed.line(i)
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            line_of.setdefault(entry["name"], line)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            diagnostics.error(shown, line, "地区缺少名称", "写成“- {name: 朔州市, level: 市, parent: 山西省}”")
            continue
        entry = drop_wrong_types(entry, REGION_KINDS, listed, i, shown, diagnostics)
        level = entry.get("level", "")
        if level not in LEVELS:
            diagnostics.error(shown, line, f"“{entry['name']}”的 level“{level}”不是省、市、县之一",
                              "level 写省、市或县")
        regions[entry["name"]] = Region(entry["name"], level, str(entry.get("parent") or ""), str(entry.get("short") or ""))
    for region in regions.values():
        if region.parent and region.parent not in regions:
            close = difflib.get_close_matches(region.parent, list(regions), n=1)
            diagnostics.error(shown, line_of.get(region.name, 0), f"“{region.name}”的上级地区“{region.parent}”没有登记",
                              f"是不是“{close[0]}”？" if close else "把它也登记为一个地区")
    return regions


def _load_agencies(path: Path, regions: dict[str, Region] | None,
                   diagnostics: Diagnostics) -> tuple[dict[str, Agency], dict[str, str]]:
    shown = f"content/{AGENCIES_FILE}"
    listed = read_yaml_list(path, shown, diagnostics)
    agencies: dict[str, Agency] = {}
    alias_of: dict[str, str] = {}
    for i, entry in enumerate(listed.entries):
        line = listed.line(i)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            diagnostics.error(shown, line, "机构缺少名称", "写成“- name: 朔州市财政局”")
            continue
        entry = drop_wrong_types(entry, AGENCY_KINDS, listed, i, shown, diagnostics)
        name = entry["name"].strip()
        for key in entry:
            if key not in AGENCY_KEYS:
                close = difflib.get_close_matches(str(key), sorted(AGENCY_KEYS), n=1)
                diagnostics.warning(shown, line, f"“{name}”里有不认识的字段“{key}”",
                                    f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(sorted(AGENCY_KEYS))}")
        contact = entry.get("contact") or {}
        if not isinstance(contact, dict):
            diagnostics.error(shown, line, f"“{name}”的 contact 应当是一组子字段",
                              "写成 contact: {phone: …, address: …, website: …}")
            contact = {}
        for key, value in list(contact.items()):
            if value is not None and not isinstance(value, (str, int, float)):
                diagnostics.error(shown, listed.line(i, f"contact.{key}"), f"“{name}”的联系方式 {key} 应当是文字",
                                  f"把 {key}: … 写在一行里")
                contact = {k: v for k, v in contact.items() if k != key}
            if key not in CONTACT_KEYS:  # it would never show
                close = difflib.get_close_matches(str(key), CONTACT_KEYS, n=1)
                diagnostics.warning(shown, line, f"“{name}”的 contact 里有不认识的字段“{key}”",
                                    f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(CONTACT_KEYS)}")
        if (entry.get("level") or "") not in LEVELS:
            diagnostics.error(shown, line, f"“{name}”的 level“{entry['level']}”不是省、市、县之一",
                              "level 写省、市或县，或者不写")
        if entry.get("region") and regions is not None and str(entry["region"]) not in regions:
            diagnostics.error(shown, line, f"“{name}”的所属地区“{entry['region']}”不在 content/{REGIONS_FILE} 中",
                              "把这个地区登记进去，或改正它")
        if name in agencies or name in alias_of:
            diagnostics.error(shown, line, f"“{name}”登记了两次", "把两条合并成一条")
            continue
        aliases = tuple(str(a) for a in entry.get("aliases") or ())
        for alias in aliases:
            if alias in agencies or alias in alias_of:
                diagnostics.error(shown, line, f"“{name}”的别名“{alias}”已被使用",
                                  "一个别名只能对应一个机构")
            alias_of[alias] = name
        collective = entry["collective"] if "collective" in entry else collective_shape(name)
        contact = {k: str(v) for k, v in contact.items() if v not in (None, "")}
        if collective and contact:
            diagnostics.warning(shown, listed.line(i, "contact"), f"“{name}”泛指多个单位，它的 contact 不会显示",
                                "把电话和地址写在具体的单位上；它若确是一个单位，写 collective: false")
        agencies[name] = Agency(name, aliases, entry.get("level") or "", str(entry.get("region") or ""),
                                contact, bool(collective), tuple(entry.get("distinct_from") or ()), line)
    return agencies, alias_of


def append_agencies(path: Path, new: Iterable[Agency]) -> list[str]:
    """Append agencies to the registry as text; never rewrites what is there. Returns the names."""
    entries = []
    for agency in sorted(new, key=lambda a: (a.region, a.level, a.name)):
        data = {"name": agency.name, "level": agency.level, "region": agency.region}
        if agency.collective:  # no contact to fill in: a collective is no office
            data["collective"] = True
        else:
            data["contact"] = {"phone": "", "address": "", "website": ""}
        entries.append((agency.name, yaml.safe_dump([data], allow_unicode=True, sort_keys=False,
                                                     default_flow_style=None, width=10_000)))
    if not entries:
        return []
    existing = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(existing + "".join(text for _, text in entries), encoding="utf-8")
    tmp.replace(path)
    return [name for name, _ in entries]


_HEADER = """\
# The agency registry. One entry per agency: canonical name, aliases, level (省/市/县), region,
# and a contact block (phone, address, website) for editors to fill in. `python build.py import`
# appends agencies it finds in new documents at the end and never changes what is written here.
# Collectives (各县（市、区）人民政府, 市直各部门) are known by their shape (or `collective: true/false`)
# and get no contact; their other spellings are the same entry. `build.py check` proposes names that
# look like one body: accept with `aliases: […]`, reject with `distinct_from: […]`.
"""
