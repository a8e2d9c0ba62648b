"""Random re-imports never lose editors' work or a measure.

Each case imports a generated notice, lets an editor add notes, edit bodies and delete cards,
changes the source (measures inserted, removed, reworded, swapped, numbering restarted in each
chapter) and imports again. Then: no error, every note and edit is still there, in the file
it was written in, on a card of the measure it was written for (or reported as a conflict);
every measure of the source has a card unless an editor deleted its card; card ids are unique.
IMPORT_CASES=10000 runs a nightly-sized pass (the default is small enough for the suite).
"""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from policy_handbook.content.frontmatter import dump, parse
from policy_handbook.errors import Diagnostics
from policy_handbook.importer.run import run_import

CASES = int(os.environ.get("IMPORT_CASES", "60"))
TITLES = ["推行企业开办一网通办", "降低企业用电成本", "设立民营企业服务专线", "建立政策兑现限时办结制度",
          "深化工程建设项目审批改革", "加大首贷续贷支持力度", "落实小微企业税收优惠", "规范涉企收费行为",
          "优化不动产登记流程", "推广电子营业执照应用", "建立企业家参与涉企政策制定机制", "开展包容审慎监管",
          "完善中小企业公共服务平台", "支持企业技术改造", "保障民营企业用地需求", "清理拖欠民营企业账款",
          "推行告知承诺制", "加强知识产权保护", "畅通企业诉求反映渠道", "强化营商环境督查考核"]
PHRASES = ["各县区要结合实际制定具体措施", "市发展改革委牵头负责", "确保政策落地见效", "办理时限压缩至3个工作日",
           "对符合条件的企业给予一次性奖励", "全面推行网上办理", "建立常态化沟通机制", "每季度通报一次进展情况",
           "资金由市财政统筹安排", "严禁以任何名义增加企业负担", "相关部门要主动靠前服务", "实行清单化管理",
           "2024年底前全面完成", "引导金融机构扩大信贷投放", "对违规行为依法严肃查处", "推动数据共享和业务协同"]
MARK = re.compile(r"（编辑注\d+）")


@dataclass
class Measure:
    uid: int
    title: str
    body: list[str]
    titles: set[str] = field(default_factory=set)


def source(measures: list[Measure], chapters: bool) -> str:
    lines = ["示例市优化营商环境若干措施"]
    for i, m in enumerate(measures):
        if chapters and i % 3 == 0:
            lines.append(f"第{'一二三四五六七八九十'[min(i // 3, 9)]}章 重点任务")
        n = i % 3 + 1 if chapters else i + 1
        lines.append(f"{n}.{m.title}。{'，'.join(m.body)}。")
    return "\n".join(lines + ["示例市人民政府", "2024年3月1日"]) + "\n"


def new_measure(rng: random.Random, uid: int, taken: set[str]) -> Measure:
    title = rng.choice([t for t in TITLES if t not in taken])
    taken.add(title)
    return Measure(uid, title, rng.sample(PHRASES, rng.randint(3, 6)), {title})


def mutate(rng: random.Random, measures: list[Measure], next_uid: int, taken: set[str]) -> list[Measure]:
    """A few edits of the source; `taken`: every title used so far (a new measure never has one)."""
    measures = list(measures)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["insert", "delete", "reword", "swap", "retitle"])
        if op == "insert" and len(taken) < len(TITLES):
            measures.insert(rng.randint(0, len(measures)), new_measure(rng, next_uid, taken))
            next_uid += 1
        elif op == "delete" and len(measures) > 1:
            measures.pop(rng.randrange(len(measures)))
        elif op == "reword":
            m = rng.choice(measures)
            body = list(m.body)
            body[rng.randrange(len(body))] = rng.choice(PHRASES)
            measures[measures.index(m)] = Measure(m.uid, m.title, body, m.titles)
        elif op == "swap" and len(measures) > 1:
            i = rng.randrange(len(measures) - 1)
            measures[i], measures[i + 1] = measures[i + 1], measures[i]
        elif op == "retitle":
            m = rng.choice(measures)
            title = m.title + "工作"
            measures[measures.index(m)] = Measure(m.uid, title, m.body, m.titles | {title})
    return measures


def cards(folder: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(folder.glob("*.md")):
        parsed = parse(path.read_text(encoding="utf-8"))
        out[path.name] = {**parsed.data, "body": parsed.body}
    return out


def run(content: Path, root: Path) -> str:
    diagnostics = Diagnostics()
    report = run_import(content, root, diagnostics)
    assert not diagnostics, diagnostics.report()
    return report.summary()


@pytest.mark.parametrize("seed", range(CASES))
def test_a_random_reimport_keeps_every_edit_with_its_measure_and_every_measure(tmp_path, seed):
    rng = random.Random(seed)
    root, chapters = tmp_path, rng.random() < 0.3
    content = root / "content"
    for sub in ("documents", "sources", "cards"):
        (content / sub).mkdir(parents=True)
    (content / "regions.yaml").write_text("- {name: 示例市, level: 市, short: 示例}\n", encoding="utf-8")
    (content / "documents/demo.md").write_text(dump({"id": "demo", "title": "示例", "issuer": "示例市人民政府",
                                                     "region": "示例市", "source": "demo.txt"}, ""), "utf-8")
    taken: set[str] = set()
    old = [new_measure(rng, uid, taken) for uid in range(rng.randint(2, 9))]
    (content / "sources/demo.txt").write_text(source(old, chapters), encoding="utf-8")
    run(content, root)
    folder = content / "cards/demo"
    first = cards(folder)
    assert len(first) == len(old)
    uid_of = {m.title: m.uid for m in old}
    # The editor's work: a note, a body edit or a deletion on some cards.
    noted: dict[str, int] = {}  # file -> uid of the measure it was written for
    deleted: set[int] = set()
    for k, (name, card) in enumerate(first.items()):
        action = rng.choice(["note", "edit", "delete", None, None])
        uid = uid_of[card["title"]]
        if action == "delete":
            (folder / name).unlink()
            deleted.add(uid)
            continue
        if action is None:
            continue
        data = {k2: v for k2, v in card.items() if k2 != "body"}
        body = card["body"]
        if action == "note":
            data["notes"] = f"注记{k}。"
        else:
            body = body.rstrip() + f"（编辑注{k}）"
        (folder / name).write_text(dump(data, body), encoding="utf-8")
        noted[name] = uid
    before = cards(folder)
    new = mutate(rng, old, 100, taken)
    (content / "sources/demo.txt").write_text(source(new, rng.random() < 0.3 or chapters), encoding="utf-8")
    summary = run(content, root)
    after = cards(folder)
    by_uid = {m.uid: m for m in new}
    # Every editor's note and edit is still in the file it was written in, once.
    for name, uid in noted.items():
        marks = [c.get("notes", "") + " ".join(MARK.findall(c["body"])) for c in after.values()]
        mine = before[name].get("notes", "") + " ".join(MARK.findall(before[name]["body"]))
        assert marks.count(mine) == 1 and (after[name].get("notes", "") + " ".join(
            MARK.findall(after[name]["body"]))) == mine, (seed, name)
        # ... on a card of its own measure, following it, or reported.
        title = after[name]["title"]
        history = (by_uid[uid].titles if uid in by_uid else set()) | {before[name]["title"]}
        assert title in history, (seed, name, title)
        if uid in by_uid and title != by_uid[uid].title:
            assert f"content/cards/demo/{name}：保留了编辑的版本" in summary, (seed, name)
    # Every measure has a card, unless an editor deleted it; ids are unique.
    titles = [c["title"] for c in after.values()]
    for m in new:
        if m.uid not in deleted:
            assert m.title in titles or any(
                f"content/cards/demo/{n}：保留了编辑的版本" in summary
                for n, u in noted.items() if u == m.uid), (seed, m.title, summary)
    ids = [c["id"] for c in after.values()]
    assert len(set(ids)) == len(ids), seed
    # Import is settled: a second run changes nothing.
    again = run(content, root)
    assert cards(folder) == after and "：写入 0 张，" in again, seed
