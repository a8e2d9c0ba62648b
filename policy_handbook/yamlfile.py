"""The one bounded way to read YAML and UTF-8 text files: config.yaml and every YAML file under
content/ are read through `parse_yaml`, with line numbers for messages."""
from __future__ import annotations

import bisect
import re
from typing import Callable

import yaml

# config.yaml and every YAML file under content/ are read through `parse_yaml`: PyYAML's safe
# loader (libyaml's parser when PyYAML has it), bounded so that no file can crash, hang or
# exhaust memory: no aliases (an alias bomb of 400 bytes expands to gigabytes, a recursive one
# never ends), at most MAX_DEPTH levels of nesting (Python recursion), no integer over
# MAX_INT_DIGITS digits, no control characters. Dates stay text: the schemas check them.

MAX_DEPTH = 20
MAX_INT_DIGITS = 30
# The characters YAML accepts (PyYAML's reader refuses the rest, with a traceback).
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


class YamlProblem(Exception):
    """What is wrong with a YAML text, at `line` (1-based, counting '\\n' only)."""

    def __init__(self, line: int, problem: str, hint: str = ""):
        super().__init__(problem)
        self.line, self.problem, self.hint = line, problem, hint


_LIBYAML = getattr(yaml, "__with_libyaml__", False)  # the PyPI wheels have it: several times faster
_PARSER = (yaml.cyaml.CParser,) if _LIBYAML else (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)


class _BoundedLoader(yaml.composer.Composer, *_PARSER, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """A safe loader whose composer (PyYAML's, in Python, over libyaml's events) refuses aliases
    and deep nesting before anything is built from them."""

    def __init__(self, text: str):
        if _LIBYAML:
            yaml.cyaml.CParser.__init__(self, text)
        else:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"不支持别名“*{event.anchor}”",
                           f"把“*{event.anchor}”换成完整的值（并删掉“&{event.anchor}”）")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"值的嵌套超过了 {MAX_DEPTH} 层",
                           "删掉多余的括号或缩进")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node):
        digits = len(node.value.replace("_", "").lstrip("+-"))  # (Python refuses to read 4,300)
        if digits > MAX_INT_DIGITS:
            raise _Refused(node.start_mark, f"数字有 {digits} 位，太长了",
                           "如果它是文字就加上引号（'…'），否则写一个短一些的数字")
        return super().construct_yaml_int(node)


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, mark, problem: str, hint: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)
# Dates stay text: the schemas check them and report bad ones by line (PyYAML would raise on
# 2016-13-45, and read 9999-12-31 as a date that nothing can add a day to).
_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def line_finder(text: str) -> Callable[[int], int]:
    """index -> its 1-based line, counting '\\n' only, as editors' tools do (YAML's marks also
    count U+2028, U+2029 and U+0085 as line breaks, and would put everything after one off)."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    return lambda index: bisect.bisect_left(breaks, index) + 1


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def parse_yaml(text: str) -> tuple[object, yaml.Node | None]:
    """The data of one YAML document and its node tree (for line numbers). Raises YamlProblem."""
    bad = _NOT_YAML.search(text)
    if bad:
        raise YamlProblem(_line(text, bad.start()), f"有不允许出现的控制字符 U+{ord(bad.group()):04X}",
                          "删掉它（多数编辑器里看不见它：把这一行重新输入一遍）")
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        return (None if node is None else loader.construct_document(node)), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the broken construct starts
        raise YamlProblem(_line(text, mark.index) if mark else 1, exc.problem or exc.context or "YAML 写法有误",
                          getattr(exc, "hint", "")) from None
    finally:
        loader.dispose()


def node_lines(node: yaml.Node | None, text: str) -> dict[str, int]:
    """The line of each key and list item, dotted ("0.contact.phone", "series.group"): the first
    one when a key is written twice."""
    line_of, out = line_finder(text), {}
    todo = [("", node)] if node is not None else []
    while todo:
        prefix, current = todo.pop()
        if isinstance(current, yaml.MappingNode):
            items = [(f"{prefix}{key.value}", key, value) for key, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            items = [(f"{prefix}{i}", item, item) for i, item in enumerate(current.value)]
        else:
            continue
        for key, at, value in items:
            out.setdefault(key, line_of(at.start_mark.index))
            todo.append((key + ".", value))
    return out


def decode_utf8(data: bytes) -> str:
    """UTF-8 text, its line ends read as open() reads them ('\\r\\n' and '\\r' become '\\n'), a
    byte-order mark dropped. Raises YamlProblem at the line of a bad byte."""
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise YamlProblem(data.count(b"\n", 0, exc.start) + 1, f"文件不是 UTF-8 编码（{exc.reason}）",
                          "在编辑器里把它另存为 UTF-8 编码") from None
