"""The successor table (content/successors.yaml): bodies renamed or merged since a document was
written (国税局 → 税务局, 银监局 → 银保监局 → 金融监管局 …).

A card keeps the name its document printed; the card and the agency's page also show the body
to contact today. A rule's `old` is either a whole name in the registry (山西出入境检验检疫局 →
太原海关) or the end of one, the place before it kept (山西省国税局 → 山西省税务局). A whole
name beats an ending, a longer ending a shorter one; `level` limits a rule to bodies of that
level (法制办 → 司法厅 for 省, 司法局 for 市 and 县). Rules chain: 山西银监局 → 山西银保监局 (2018)
→ 山西金融监管局 (2023). Editors own the file and may extend it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import Diagnostics
from .datafile import drop_wrong_types, read_yaml_list

SUCCESSORS_FILE = "successors.yaml"
RULE_KEYS = ("old", "new", "year", "level", "note")
RULE_KINDS = {"old": "text", "new": "text", "level": "text", "note": "text"}
LEVELS = ("省", "市", "县")
MAX_STEPS = 8


@dataclass(frozen=True)
class Rule:
    old: str
    new: str
    year: int
    level: str  # "" for every level
    line: int


@dataclass(frozen=True)
class Succession:
    """Where a body's name leads today: each step (name, year), the last one the present body."""

    steps: tuple[tuple[str, int], ...]

    @property
    def present(self) -> str:
        return self.steps[-1][0]

    @property
    def year(self) -> int:
        return self.steps[-1][1]


def load_successors(content_dir: Path, diagnostics: Diagnostics) -> tuple[Rule, ...]:
    shown = f"content/{SUCCESSORS_FILE}"
    listed = read_yaml_list(content_dir / SUCCESSORS_FILE, shown, diagnostics)
    rules: dict[tuple[str, str], Rule] = {}
    for i, entry in enumerate(listed.entries):
        line = listed.line(i)
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k].strip()
                                                  for k in ("old", "new")):
            diagnostics.error(shown, line, "更名记录缺少 old 或 new",
                              "写成“- {old: 国税局, new: 税务局, year: 2018}”")
            continue
        entry = drop_wrong_types(entry, RULE_KINDS, listed, i, shown, diagnostics)
        old, new = entry["old"].strip(), entry["new"].strip()
        for key in entry:
            if key not in RULE_KEYS:
                close = difflib.get_close_matches(str(key), RULE_KEYS, n=1)
                diagnostics.warning(shown, line, f"“{old}”的更名记录里有不认识的字段“{key}”",
                                    f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(RULE_KEYS)}")
        year = entry.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
            problem = f"“{old}”的更名没有写年份" if year is None else f"“{old}”更名的年份“{year}”不是一个年份"
            diagnostics.error(shown, listed.line(i, "year"), problem, "写成 year: 2018（改名或合并的那一年）")
            continue
        level = str(entry.get("level") or "")
        if level and level not in LEVELS:
            diagnostics.error(shown, listed.line(i, "level"), f"“{old}”的 level“{level}”不是省、市、县之一",
                              "level 写省、市或县，或者不写（各级都适用）")
            continue
        if old == new:
            diagnostics.error(shown, line, f"“{old}”改成了它自己", "new 写现在的名称")
            continue
        if (old, level) in rules:
            diagnostics.error(shown, line, f"“{old}”的更名登记了两次（另一条在第 {rules[old, level].line} 行）",
                              "删掉其中一条")
            continue
        rules[old, level] = Rule(old, new, year, level, line)
    for rule in rules.values():
        if any(_follow(rule.old, level, rules.values()) is None for level in ((rule.level,) if rule.level else LEVELS)):
            diagnostics.error(shown, rule.line, f"从“{rule.old}”开始的更名绕回了原处，或者没完没了",
                              "检查这几条的 old 和 new，去掉造成循环的那一条")
    return tuple(rules.values())


def _match(name: str, level: str, rules: tuple[Rule, ...]) -> Rule | None:
    """The rule for a name: one naming it whole first, else the longest ending it has. A name
    that already ends in a rule's new name is not renamed again (文化和旅游局 by 旅游局 → 文化和旅游局)."""
    fitting = [r for r in rules if (not r.level or r.level == level) and name.endswith(r.old)
               and not name.endswith(r.new)]
    return max(fitting, key=lambda r: (r.old == name, len(r.old), bool(r.level)), default=None)


def _follow(name: str, level: str, rules: Iterable[Rule]) -> Succession | None:
    """The steps from a name to its present body; None on a cycle; no steps when no rule applies."""
    rules = tuple(rules)
    steps: list[tuple[str, int]] = []
    seen = {name}
    current = name
    for _ in range(MAX_STEPS):
        rule = _match(current, level, rules)
        if rule is None:
            return Succession(tuple(steps))
        current = current[:len(current) - len(rule.old)] + rule.new
        if current in seen:
            return None
        seen.add(current)
        steps.append((current, rule.year))
    return None


def succession(names: Iterable[str], level: str, rules: tuple[Rule, ...]) -> Succession | None:
    """The present body of an agency known by `names` (its name first, then its aliases): the
    first of them that a rule renames. None when no rule applies."""
    for name in names:
        found = _follow(name, level, rules)
        if found is not None and found.steps:
            return found
    return None
