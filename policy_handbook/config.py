"""config.yaml -> frozen settings; every bad key reported at once.

Also the one bounded way to read YAML (`parse_yaml`) and dates (`iso_date`) that config.yaml and
every YAML file under content/ share."""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Callable

import yaml

from .errors import Diagnostics


@dataclass(frozen=True)
class Config:
    title: str = "政策知识卡片手册"
    description: str = ""
    lang: str = "zh-CN"
    base_url: str = "/"
    content_dir: str = "content"
    output_dir: str = "site"
    as_of: str = ""  # ISO date that deadline statuses are computed against; "" = today
    project_dir: Path = Path(".")  # set from the config file's folder, not a key

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of) if self.as_of else dt.date.today()

    @property
    def content_path(self) -> Path:
        return self.project_dir / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.project_dir / self.output_dir

    @property
    def templates_path(self) -> Path:
        return self.project_dir / "templates"

    @property
    def static_path(self) -> Path:
        return self.project_dir / "static"


KEYS = [f.name for f in fields(Config) if f.name != "project_dir"]


def load_config(path: Path, diagnostics: Diagnostics, **overrides: str) -> Config:
    """Read config.yaml; unknown keys and wrong types are reported, defaults fill the rest."""
    shown = path.name
    values: dict = {}
    data, lines, plain_dates = _read_config(path, shown, diagnostics)
    if not isinstance(data, dict):
        diagnostics.error(shown, 1, "config.yaml must be a set of 'key: value' lines", "see README.md")
        data = {}
    for key, value in {**data, **{k: v for k, v in overrides.items() if v is not None}}.items():
        line = lines.get(str(key), 0)
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            diagnostics.error(shown, line, f"unknown setting '{key}'",
                              f"did you mean '{close[0]}'?" if close else f"known: {', '.join(KEYS)}")
        elif key == "as_of":
            if isinstance(value, str) and iso_date(value):
                values[key] = value
            elif line in plain_dates and (reason := _impossible(value)):  # as_of: 2026-11-31, unquoted
                diagnostics.error(shown, line, f"config.yaml holds an impossible date ({reason})",
                                  "write as_of: YYYY-MM-DD with a real date, or remove it to use today's date")
            else:
                diagnostics.error(shown, line, f"as_of '{value}' is not a date",
                                  f"write as_of: YYYY-MM-DD{' ' + YEARS if out_of_range(value) else ''}, "
                                  "or remove it to use today's date")
        elif not isinstance(value, str) or not value.strip():
            diagnostics.error(shown, line, f"'{key}' must be non-empty text", f"write '{key}: …'")
        else:
            values[key] = value.strip()
    base = values.get("base_url", "/")
    if not base.endswith("/"):
        values["base_url"] = base + "/"
    return Config(**values, project_dir=path.parent)


def _read_config(path: Path, shown: str, diagnostics: Diagnostics) -> tuple[object, dict[str, int], set[int]]:
    """config.yaml's data ({} when empty), the line of each key and the lines that hold an
    unquoted date; ({}, {}, set()) with an error reported when it cannot be read."""
    try:
        text = decode_utf8(path.read_bytes())
    except FileNotFoundError:
        diagnostics.error(shown, 0, "config.yaml is missing", "create it (see README.md)")
        return {}, {}, set()
    except YamlProblem as exc:  # not UTF-8
        diagnostics.error(shown, exc.line, exc.problem, exc.hint)
        return {}, {}, set()
    try:
        data, node = parse_yaml(text)
    except YamlProblem as exc:
        diagnostics.error(shown, exc.line, f"config.yaml is not valid YAML ({exc.problem})" if exc.hint
                          else "config.yaml is not valid YAML", exc.hint or "check its indentation")
        return {}, {}, set()
    lines = node_lines(node, text)
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    plain_dates = {lines[str(k.value)] for k, v in pairs if v.tag == "tag:yaml.org,2002:timestamp"}
    return (data if data is not None else {}), lines, plain_dates


def _key_line(path: Path, key: str) -> int:
    """The line of a top-level key in a config file; 0 when the file cannot be read (its own error
    says why). outputs/target.py names output_dir's line with it."""
    try:
        text = decode_utf8(path.read_bytes())
        return node_lines(parse_yaml(text)[1], text).get(key, 0)
    except (OSError, YamlProblem):
        return 0


# Dates anywhere in the project: ISO YYYY-MM-DD (Python would also read 20191231 and 2019-W01-1)
# in years a policy can name; past them, adding a day for a calendar would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2200
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def iso_date(value: str) -> bool:
    """True for a real date written YYYY-MM-DD, with a year from MIN_YEAR to MAX_YEAR."""
    m = ISO_DATE.fullmatch(value)
    if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return False
    try:
        dt.date(*map(int, m.groups()))
        return True
    except ValueError:
        return False


def out_of_range(value: object) -> bool:
    """True for a date (or bare year) written with four digits first, in a year outside MIN_YEAR…MAX_YEAR."""
    m = re.match(r"[0-9]{4}(?![0-9])", str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return bool(m) and not MIN_YEAR <= int(m.group()) <= MAX_YEAR


YEARS = f"in a year from {MIN_YEAR} to {MAX_YEAR}"


def _impossible(value: object) -> str:
    """Why a YYYY-MM-DD date in range does not exist ("day is out of range for month"), or ""."""
    m = ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return ""
    try:
        dt.date(*map(int, m.groups()))
    except ValueError as exc:
        return str(exc)
    return ""


# --- reading YAML and text files safely ---------------------------------------------------------
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
            raise _Refused(event.start_mark, f"the alias '*{event.anchor}' is not supported",
                           f"write the value out in full instead of '*{event.anchor}' (and drop its '&{event.anchor}')")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"the value is nested more than {MAX_DEPTH} levels deep",
                           "remove the extra brackets or indentation")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node):
        digits = len(node.value.replace("_", "").lstrip("+-"))  # (Python refuses to read 4,300)
        if digits > MAX_INT_DIGITS:
            raise _Refused(node.start_mark, f"the number has {digits} digits",
                           "quote it if it is text ('…'), or write a shorter number")
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
        raise YamlProblem(_line(text, bad.start()), f"the control character U+{ord(bad.group()):04X} is not allowed",
                          "delete it (it is invisible in most editors: retype the line)")
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        return (None if node is None else loader.construct_document(node)), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the broken construct starts
        raise YamlProblem(_line(text, mark.index) if mark else 1, exc.problem or exc.context or "invalid YAML",
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
        raise YamlProblem(data.count(b"\n", 0, exc.start) + 1, f"the file is not UTF-8 text ({exc.reason})",
                          "save it as UTF-8 in your editor") from None
