"""config.yaml -> frozen settings; every bad key reported at once."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .dates import YEARS, impossible, iso_date, out_of_range
from .errors import Diagnostics
from .yamlfile import YamlProblem, decode_utf8, node_lines, parse_yaml


@dataclass(frozen=True)
class Config:
    title: str = "政策知识卡片手册"
    description: str = ""
    lang: str = "zh-CN"
    base_url: str = "/"
    content_dir: str = "content"
    output_dir: str = "site"
    as_of: str = ""  # ISO date that deadline statuses are computed against; "" = today
    validity_review_years: int = 5  # check warns of documents this old that state no validity; 0: never
    # Whom a reader can call when an agency has no contact of its own: a number and what it is.
    public_hotline: str = "12345"
    public_hotline_label: str = "政务服务便民热线"
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
# A telephone number as printed: digits with hyphens, spaces or brackets (0349-1234567, (0351)1234567).
HOTLINE = re.compile(r"[(（]?\d[\d\-－ ()（）]{1,30}\d")


def load_config(path: Path, diagnostics: Diagnostics, **overrides: str) -> Config:
    """Read config.yaml; unknown keys and wrong types are reported, defaults fill the rest."""
    shown = path.name
    values: dict = {}
    data, lines, plain_dates = _read_config(path, shown, diagnostics)
    if not isinstance(data, dict):
        diagnostics.error(shown, 1, "config.yaml 应当是一行行“键: 值”", "写法见 README.md")
        data = {}
    for key, value in {**data, **{k: v for k, v in overrides.items() if v is not None}}.items():
        line = lines.get(str(key), 0)
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            diagnostics.error(shown, line, f"不认识的设置项“{key}”",
                              f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(KEYS)}")
        elif key == "as_of":
            if isinstance(value, str) and iso_date(value):
                values[key] = value
            elif line in plain_dates and (reason := impossible(value)):  # as_of: 2026-11-31, unquoted
                diagnostics.error(shown, line, f"config.yaml 里的日期不存在（{reason}）",
                                  "把 as_of: YYYY-MM-DD 写成真实存在的日期，或删掉这一行，以今天为准")
            else:
                diagnostics.error(shown, line, f"as_of 的值“{value}”不是日期",
                                  f"写成 as_of: YYYY-MM-DD{'（' + YEARS + '）' if out_of_range(value) else ''}，"
                                  "或删掉这一行，以今天为准")
        elif key == "validity_review_years":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
                values[key] = value
            else:
                diagnostics.error(shown, line, f"validity_review_years 的值“{value}”不是年数",
                                  "写一个 0 到 100 的整数，如 validity_review_years: 5（0 表示不提醒）")
        elif key == "public_hotline":
            if isinstance(value, str) and HOTLINE.fullmatch(value.strip()):
                values[key] = value.strip()
            elif isinstance(value, int) and not isinstance(value, bool):  # 0349… unquoted is not the number
                diagnostics.error(shown, line, "public_hotline 的号码没有加引号，会被读成数字（0 开头的号码会变样）",
                                  f"写成 public_hotline: \"{value}\"")
            else:
                diagnostics.error(shown, line, f"public_hotline 的值“{value}”不是电话号码",
                                  "写成加引号的号码，如 public_hotline: \"12345\" 或 \"0349-1234567\"")
        elif not isinstance(value, str) or not value.strip():
            diagnostics.error(shown, line, f"{key} 应当是非空的文字", f"写成“{key}: …”")
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
        diagnostics.error(shown, 0, "找不到 config.yaml", "新建这个文件（写法见 README.md）")
        return {}, {}, set()
    except YamlProblem as exc:  # not UTF-8
        diagnostics.error(shown, exc.line, exc.problem, exc.hint)
        return {}, {}, set()
    try:
        data, node = parse_yaml(text)
    except YamlProblem as exc:
        diagnostics.error(shown, exc.line, f"config.yaml 的 YAML 写法有误（{exc.problem}）" if exc.hint
                          else "config.yaml 的 YAML 写法有误", exc.hint or "检查缩进")
        return {}, {}, set()
    lines = node_lines(node, text)
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    plain_dates = {lines[str(k.value)] for k, v in pairs if v.tag == "tag:yaml.org,2002:timestamp"}
    return (data if data is not None else {}), lines, plain_dates


def key_line(path: Path, key: str) -> int:
    """The line of a top-level key in a config file; 0 when the file cannot be read (its own error
    says why). outputs/target.py names output_dir's line with it."""
    try:
        text = decode_utf8(path.read_bytes())
        return node_lines(parse_yaml(text)[1], text).get(key, 0)
    except (OSError, YamlProblem):
        return 0
