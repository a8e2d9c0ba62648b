"""Split a Markdown file into YAML front matter and body, keeping line numbers."""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..yamlfile import YamlProblem, line_finder, parse_yaml

FENCE = "---"


@dataclass(frozen=True)
class Parsed:
    data: dict
    body: str
    body_line: int  # line number of the body's first line
    key_lines: dict[str, int] = field(default_factory=dict)  # "series.group" -> line
    raw_lines: tuple[str, ...] = ()  # the file's lines, for locating things in messages


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def parse(text: str) -> Parsed:
    """Parse `---` fenced YAML followed by Markdown. Raises FrontMatterError."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(1, "文件没有以文件头开始",
                               "在文件开头写一行“---”，接着写各个字段，再写一行“---”")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise FrontMatterError(1, "文件头没有结束",
                               "在最后一个字段下面加一行“---”") from None
    yaml_text = "\n".join(lines[1:end])
    data, key_lines = _load_yaml(yaml_text, first_line=2)
    body = "\n".join(lines[end + 1:])
    return Parsed(data, body, end + 2, key_lines, tuple(lines))


def _load_yaml(yaml_text: str, first_line: int) -> tuple[dict, dict[str, int]]:
    """The fields and the line of each key (bounded: see config.parse_yaml; dates stay text)."""
    try:
        data, node = parse_yaml(yaml_text)
    except YamlProblem as exc:
        raise FrontMatterError(first_line - 1 + exc.line, f"文件头的 YAML 写法有误（{exc.problem}）",
                               exc.hint or "检查缩进，并给含有“:”或“#”的值加上引号") from None
    if node is None:
        return {}, {}
    if not isinstance(data, dict):
        raise FrontMatterError(first_line, "文件头不是“字段: 值”的形式",
                               "每行写一个“字段: 值”")
    key_lines: dict[str, int] = {}
    line_of = line_finder(yaml_text)
    _record_lines(node, "", lambda mark: first_line - 1 + line_of(mark.index), key_lines)
    return data, key_lines


def _record_lines(node: yaml.Node, prefix: str, line_of, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            line = line_of(key_node.start_mark)
            if key in out:  # YAML would keep the last one silently
                raise FrontMatterError(line, f"字段 {key} 写了两遍（第一次在第 {out[key]} 行）",
                                       "只留一个：把两处的值合并到一个字段里")
            out[key] = line
            _record_lines(value_node, key + ".", line_of, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = f"{prefix}{i}"
            out[key] = line_of(item.start_mark)
            _record_lines(item, key + ".", line_of, out)


class _Dumper(yaml.SafeDumper):
    """One field per line at the top; short lists and mappings inside stay on their line."""

    def represent(self, data):
        node = self.represent_data(data)
        if isinstance(node, yaml.MappingNode):
            node.flow_style = False
        self.serialize(node)
        self.represented_objects, self.object_keeper, self.alias_key = {}, [], None


def dump(data: dict, body: str) -> str:
    """Front matter and body as file text, deterministic and readable for editors."""
    yaml_text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                          default_flow_style=None)
    body = body.strip("\n")
    return f"{FENCE}\n{yaml_text}{FENCE}\n\n{body}\n" if body else f"{FENCE}\n{yaml_text}{FENCE}\n"
