"""Editor-maintained YAML lists (regions, agencies, topics): read with located errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics
from ..yamlfile import YamlProblem, decode_utf8, node_lines, parse_yaml


@dataclass(frozen=True)
class YamlList:
    """A list file's entries, and the line of each entry and each key in it ("3", "3.contact.phone")."""

    entries: list = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, index: int, key: str = "") -> int:
        """The line of entry `index`'s `key` (the entry's own line when the key is not written)."""
        entry = self.lines.get(str(index), 0)
        return self.lines.get(f"{index}.{key}", entry) if key else entry


def read_yaml_list(path: Path, shown: str, diagnostics: Diagnostics) -> YamlList:
    """The entries of a YAML list file; none (with an error reported) when it cannot be read.
    A file that exists but lists nothing is an error too: emptied by mistake, it would make
    every agency, region or topic silently unknown."""
    try:
        text = decode_utf8(path.read_bytes())
    except FileNotFoundError:
        return YamlList()
    except YamlProblem as exc:  # not UTF-8
        diagnostics.error(shown, exc.line, exc.problem, exc.hint)
        return YamlList()
    try:
        data, node = parse_yaml(text)
    except YamlProblem as exc:
        diagnostics.error(shown, exc.line, f"YAML 写法有误（{exc.problem}）" if exc.hint else "YAML 写法有误",
                          exc.hint or "检查缩进：每一条以“- name: …”开头")
        return YamlList()
    if data is None or data == []:
        diagnostics.error(shown, 1, "文件里一条记录也没有",
                          f"恢复原来的内容（git checkout -- {shown}），项目里确实没有的话就删掉这个文件")
        return YamlList()
    if not isinstance(data, list):
        diagnostics.error(shown, 1, "应当是一条条记录的列表", "每一条以“- name: …”开头")
        return YamlList()
    return YamlList(data, node_lines(node, text))


def drop_wrong_types(entry: dict, kinds: dict[str, str], listed: YamlList, index: int, shown: str,
                     diagnostics: Diagnostics) -> dict:
    """The entry without its fields of the wrong kind, each reported at its line. Kinds: "text"
    (a string or number), "list" (a list of text), "yes/no" (true or false); absent fields are fine."""
    name = str(entry.get("name", "")).strip()
    kept = dict(entry)
    for key, kind in kinds.items():
        value = entry.get(key)
        if value is None:
            continue
        if kind == "text" and not isinstance(value, (str, int, float)):
            problem = f"“{name}”的 {key} 应当是文字", f"把 {key}: … 写在一行里"
        elif kind == "list" and not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
            problem = f"“{name}”的 {key} 应当是文字列表", f"写成 {key}: [第一项, 第二项]"
        elif kind == "yes/no" and not isinstance(value, bool):
            problem = f"“{name}”的 {key} 只能是 true 或 false", f"写成 {key}: true，或者不写"
        else:
            continue
        diagnostics.error(shown, listed.line(index, key), *problem)
        del kept[key]
    return kept
