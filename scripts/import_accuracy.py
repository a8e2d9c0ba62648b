#!/usr/bin/env python3
"""How well `build.py import` reads the development corpus in tests/corpus/.

Each corpus file is imported in a throwaway project of its own (so a refused file is counted,
not fatal), and the cards it writes are compared with tests/corpus/annotations/<id>.yaml:
measures found with the exact title, agencies per role, deadlines, topics and beneficiaries
(适用对象), files refused. The bundled seed documents are imported once more in a throwaway
project and their topics and beneficiaries compared with tests/corpus/seed-topics.yaml. The
application details import proposes (支持标准, 免申即享) are compared with tests/corpus/application.yaml
on every measure of the corpus and every seed card: precision on the proposed sentences (one holds
an annotated amount), recall on the annotated amounts (one is in a proposed sentence). The
matching rules are written down in tests/corpus/README.md ("How the script scores").

Usage: python scripts/import_accuracy.py [--corpus DIR] [--json] [--quiet] [--no-seeds] [ID ...]
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
ROLES = ("lead", "responsible", "support")
COPIED = ("templates", "static", "config.yaml", "content/agencies.yaml", "content/regions.yaml",
          "content/taxonomy")
SEED_COPIED = COPIED + ("content/documents", "content/sources")
SEED_ANNOTATIONS = "seed-topics.yaml"  # in the corpus folder, keyed by card id
APPLICATION = "application.yaml"  # in the corpus folder: support amounts and 免申即享, corpus and seeds
AUTOMATIC = "免申即享"
LABELS = ("topics", "beneficiaries")  # scored only where the annotation has the key
DATED = {"due": ("date",), "target": ("date",), "start": ("date",), "period": ("start", "end"),
         "annual": ("month_day",)}
UNDATED = ("ongoing", "recurring")  # kinds the next issue adds; matched on their text
KINDS = tuple(DATED) + UNDATED
LEVEL_CHARS = "省市县区州縣區"
_WIDTH = str.maketrans("，；：（）〈〉<>‹›", ",;:()()()()")
_SPACE = re.compile(r"\s+")
# Pinyin a converter left after a character: 發(fā), 區(qū). Dropped on both sides before comparing.
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_T2S = opencc.OpenCC("t2s")  # names compare as simplified: 市財政局 is 市财政局


# ---------------------------------------------------------------- normalisation (both sides)

def norm_title(text: str) -> str:
    """Whitespace and converter pinyin removed, full-width ，；：（） as half-width, trailing 。；; dropped."""
    return _PINYIN.sub("", _SPACE.sub("", str(text))).translate(_WIDTH).rstrip("。;.")


def norm_number(text: str) -> str:
    return _SPACE.sub("", str(text)).translate(_WIDTH).rstrip("、.．")


def norm_name(text: str) -> str:
    """Also read as simplified: an importer may give a traditional name its registry form."""
    return _T2S.convert(_PINYIN.sub("", _SPACE.sub("", str(text))).translate(_WIDTH))


def name_forms(written: str, places: list[dict]) -> set[str]:
    """The forms an importer may give a name written relative to the document's place:
    市财政局 in a 朔州市 document is also 朔州市财政局 (the nearest place whose prefix starts the
    name: 市, 区, 州, 自治區 …); a name with no such prefix (商务厅, 各县(市、区)) may carry any
    place of the chain."""
    name = norm_name(written)
    forms = {name}
    prefixed = [p for p in places if p.get("prefix") and name.startswith(norm_name(p["prefix"]))]
    if prefixed:
        place = max(prefixed, key=lambda p: len(p["prefix"]))  # longest prefix; nearest place on a tie
        forms.add(norm_name(place["name"]) + name[len(place["prefix"]):])
    elif name[:1] not in LEVEL_CHARS:
        forms |= {norm_name(p["name"]) + name for p in places}
    return forms


def deadline_key(entry: dict) -> tuple:
    kind = entry.get("kind")
    if kind in DATED:
        return (kind,) + tuple(_iso(entry.get(k)) for k in DATED[kind])
    return (kind, norm_name(entry.get("text", "")))


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


# ---------------------------------------------------------------- scores

@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Count") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def figures(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": p, "recall": r, "f1": f}


@dataclass
class FileResult:
    id: str
    annotated: int = 0
    exact: int = 0
    other_title: list[tuple[str, str]] = field(default_factory=list)  # (annotated, card)
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    other_kind: list[str] = field(default_factory=list)  # paired, but measure vs general differs
    agencies: dict[str, Count] = field(default_factory=lambda: {r: Count() for r in ROLES})
    deadlines: Count = field(default_factory=Count)
    labels: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in LABELS})
    refused: str | None = None
    differences: list[str] = field(default_factory=list)  # "- lead 市财政局" missed, "+ …" extra
    sentences: Count = field(default_factory=Count)  # proposed 支持标准 sentences: tp holds an annotated amount, fp none
    amounts: Count = field(default_factory=Count)  # annotated amounts: tp in a proposed sentence, fn in none
    automatic: Count = field(default_factory=Count)  # 免申即享 proposed against annotated

    def as_dict(self) -> dict:
        overall = Count()
        for c in self.agencies.values():
            overall.add(c)
        return {"id": self.id, "annotated": self.annotated, "exact": self.exact,
                "other_title": [list(t) for t in self.other_title], "missed": self.missed,
                "extra": self.extra, "other_kind": self.other_kind, "refused": self.refused,
                "differences": self.differences,
                "agencies": {**{r: c.figures() for r, c in self.agencies.items()},
                             "overall": overall.figures()},
                "deadlines": self.deadlines.figures(),
                **{k: c.figures() for k, c in self.labels.items()},
                "support": support_figures(self.sentences, self.amounts), "automatic": self.automatic.figures()}


def support_figures(sentences: Count, amounts: Count) -> dict:
    """Precision on the proposed sentences, recall on the annotated amounts."""
    p, r = sentences.figures()["precision"], amounts.figures()["recall"]
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"tp": amounts.tp, "fn": amounts.fn, "sentences": sentences.tp + sentences.fp,
            "wrong_sentences": sentences.fp, "precision": p, "recall": r, "f1": f}


def _amount_in(amount: str, sentence: str) -> bool:
    """An annotated amount (20万元) in a proposed sentence, not inside a longer number (120万元)."""
    return re.search(r"(?<![\d.])" + re.escape(amount), sentence) is not None


def score_application(result: FileResult, gold: dict, card: dict | None, label: str) -> None:
    """The 支持标准 and 办理方式 a card's import proposed, against what the text states."""
    proposal = (card or {}).get("proposed_application") or {}
    sentences = [norm_name(s) for s in proposal.get("support") or []]
    amounts = [norm_name(a) for a in gold.get("support") or []]
    for written, sentence in zip(proposal.get("support") or [], sentences):
        good = any(_amount_in(a, sentence) for a in amounts)
        result.sentences.add(Count(tp=int(good), fp=int(not good)))
        if not good:
            result.differences.append(f"{label}: + support {written}")
    for written, amount in zip(gold.get("support") or [], amounts):
        found = any(_amount_in(amount, s) for s in sentences)
        result.amounts.add(Count(tp=int(found), fn=int(not found)))
        if not found:
            result.differences.append(f"{label}: - support {written}")
    said, meant = proposal.get("method") == AUTOMATIC, bool(gold.get("automatic"))
    result.automatic.add(Count(tp=int(said and meant), fp=int(said and not meant), fn=int(meant and not said)))
    if said != meant:
        result.differences.append(f"{label}: {'+' if said else '-'} {AUTOMATIC}")


def match_labels(annotation: dict, card: dict | None, key: str) -> tuple[Count, list[str], list[str]]:
    """Topics or beneficiaries of one annotated measure against its card (None: missed)."""
    expected = list(dict.fromkeys(annotation.get(key) or []))
    found = list(dict.fromkeys((card or {}).get(key) or []))
    missing = [x for x in expected if x not in found]
    unexpected = [x for x in found if x not in expected]
    return Count(len(expected) - len(missing), len(unexpected), len(missing)), missing, unexpected


def score_labels(result: FileResult, annotation: dict, card: dict | None, label: str) -> None:
    """Adds the topics and beneficiaries of a pair, for the keys the annotation has."""
    for key in LABELS:
        if key not in annotation:
            continue  # not annotated yet
        count, missing, unexpected = match_labels(annotation, card, key)
        result.labels[key].add(count)
        result.differences += [f"{label}: - {key} {n}" for n in missing]
        result.differences += [f"{label}: + {key} {n}" for n in unexpected]


def match_names(expected: list[str], found: list[str], places: list[dict]) -> tuple[Count, list[str], list[str]]:
    """One found name answers at most one expected name. Returns the count, the expected names
    not found and the found names not expected."""
    left = list(found)
    missing = []
    for written in expected:
        forms = name_forms(written, places)
        hit = next((i for i, f in enumerate(left) if norm_name(f) in forms), None)
        if hit is None:
            missing.append(written)
        else:
            left.pop(hit)
    return Count(len(expected) - len(missing), len(left), len(missing)), missing, left


def match_deadlines(expected: list[dict], found: list[dict]) -> tuple[Count, list[dict], list[dict]]:
    """Equal kind and date(s); kinds without a date: equal kind and text."""
    left = list(found)
    missing = []
    for entry in expected:
        hit = next((i for i, f in enumerate(left) if deadline_key(f) == deadline_key(entry)), None)
        if hit is None:
            missing.append(entry)
        else:
            left.pop(hit)
    return Count(len(expected) - len(missing), len(left), len(missing)), missing, left


def pair_measures(measures: list[dict], cards: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pairs (annotated, card): first on the exact title, then on the printed number in order;
    what is left is missed (card None) or extra (annotation None)."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for i, m in enumerate(measures):
        hit = next((j for j, c in enumerate(cards)
                    if j not in used and norm_title(c.get("title", "")) == norm_title(m["title"])), None)
        if hit is not None:
            pairs[i] = hit
            used.add(hit)
    for i, m in enumerate(measures):
        if i in pairs:
            continue
        after = max([pairs[k] for k in pairs if k < i], default=-1)
        hit = next((j for j, c in enumerate(cards) if j not in used and j > after
                    and norm_number(c.get("number", "")) == norm_number(m.get("number", ""))), None)
        if hit is not None:
            pairs[i] = hit
            used.add(hit)
    result: list[tuple[dict | None, dict | None]] = [(m, cards[pairs[i]] if i in pairs else None)
                                                      for i, m in enumerate(measures)]
    result += [(None, c) for j, c in enumerate(cards) if j not in used]
    return result


def score(entry: dict, measures: list[dict], cards: list[dict], application: dict | None = None) -> FileResult:
    """`application`: the measures' annotated application details by title (application.yaml)."""
    result = FileResult(entry["id"], annotated=len(measures))
    places = entry.get("places") or []
    for m, card in pair_measures(measures, cards):
        if card is None:
            result.missed.append(f"{m.get('number', '')} {m['title']}")
        elif m is None:
            result.extra.append(f"{card.get('number', '')} {card.get('title', '')}")
        elif norm_title(card.get("title", "")) == norm_title(m["title"]):
            result.exact += 1
        else:
            result.other_title.append((m["title"], card.get("title", "")))
        if m is not None and card is not None and m.get("kind", "measure") != card.get("kind", "measure"):
            result.other_kind.append(f"{m.get('number', '')} {m['title']}: {m.get('kind', 'measure')} "
                                     f"expected, {card.get('kind', 'measure')} found")
        expected = (m or {}).get("agencies") or {}
        found = (card or {}).get("agencies") or {}
        label = (m or card or {}).get("number", "")
        for role in ROLES:
            count, missing, unexpected = match_names(expected.get(role) or [], found.get(role) or [], places)
            result.agencies[role].add(count)
            result.differences += [f"{label}: - {role} {n}" for n in missing]
            result.differences += [f"{label}: + {role} {n}" for n in unexpected]
        count, missing, unexpected = match_deadlines((m or {}).get("deadlines") or [],
                                                     (card or {}).get("deadlines") or [])
        result.deadlines.add(count)
        result.differences += [f"{label}: - deadline {d.get('kind')} {d.get('text')}" for d in missing]
        result.differences += [f"{label}: + deadline {d.get('kind')} {d.get('text')}" for d in unexpected]
        if m is not None:
            score_labels(result, m, card, label)
        score_application(result, (application or {}).get((m or {}).get("title"), {}) if m else {}, card, label)
    return result


# ---------------------------------------------------------------- running the importer

def make_project(root: Path, entry: dict, source: Path) -> Path:
    for rel in COPIED:
        src, dst = REPO / rel, root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    content = root / "content"
    for sub in ("documents", "sources", "cards"):
        (content / sub).mkdir(exist_ok=True)
    _add_places(content / "regions.yaml", entry.get("places") or [])
    shutil.copy2(source, content / "sources" / source.name)
    meta = {"id": entry["id"], "title": entry["title"], "issuer": entry["issuer"],
            "region": entry["places"][0]["name"], "source": source.name}
    for key in ("date", "doc_number"):
        if entry.get(key):
            meta[key] = _iso(entry[key])
    if entry.get("inferred"):
        meta["inferred"] = list(entry["inferred"])
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" \
        + f"开发语料：{entry.get('url', '')}\n"
    (content / "documents" / f"{entry['id']}.md").write_text(text, encoding="utf-8")
    return root / "config.yaml"


def _add_places(path: Path, places: list[dict]) -> None:
    known = {r["name"] for r in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
    lines = []
    for i in reversed(range(len(places))):  # parents first
        p = places[i]
        if p["name"] in known:
            continue
        row = {"name": p["name"], "level": p["level"]}
        if i + 1 < len(places):
            row["parent"] = places[i + 1]["name"]
        row["short"] = p.get("short", p["name"])
        lines.append("- " + json.dumps(row, ensure_ascii=False))
    if lines:
        with path.open("a", encoding="utf-8") as f:
            f.write("\n" + "\n".join(lines) + "\n")


def read_cards(folder: Path) -> list[dict]:
    cards = []
    for path in folder.glob("*.md") if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        head = text.split("---", 2)[1] if text.startswith("---") else ""
        data = yaml.safe_load(head) or {}
        cards.append(data)
    cards.sort(key=lambda c: (c.get("source") or {}).get("line", 0))
    return cards


def run_seeds(corpus: Path) -> FileResult | None:
    """The seed documents imported afresh (no cards, no import state) and scored on the
    topics and beneficiaries of the cards annotated in seed-topics.yaml."""
    path = corpus / SEED_ANNOTATIONS
    if not path.is_file():
        return None
    annotated = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cards") or {}
    result = FileResult("seeds", annotated=len(annotated))
    with tempfile.TemporaryDirectory(prefix="seeds-") as tmp:
        root = Path(tmp)
        for rel in SEED_COPIED:
            src, dst = REPO / rel, root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
        (root / "content" / "cards").mkdir()
        proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(root / "config.yaml"),
                               "import"], capture_output=True, text=True, cwd=tmp)
        cards = {c.get("id"): c for c in read_cards_under(root / "content" / "cards")}
        if proc.returncode != 0:
            result.refused = (proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}")
    for card_id, annotation in annotated.items():
        card = cards.get(card_id)
        if card is None:
            result.missed.append(card_id)
        else:
            result.exact += 1
        score_labels(result, annotation or {}, card, card_id)
    application = load_application(corpus).get("seeds") or {}
    for card_id in sorted(set(cards) | set(application)):  # every seed card: one not listed states neither
        score_application(result, application.get(card_id) or {}, cards.get(card_id), card_id)
    return result


def load_application(corpus: Path) -> dict:
    path = corpus / APPLICATION
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def read_cards_under(folder: Path) -> list[dict]:
    return [card for sub in sorted(folder.iterdir()) if sub.is_dir() for card in read_cards(sub)]


def run_one(entry: dict, corpus: Path) -> FileResult:
    source = corpus / "sources" / f"{entry['id']}.txt"
    measures = (yaml.safe_load((corpus / "annotations" / f"{entry['id']}.yaml")
                               .read_text(encoding="utf-8")) or {}).get("measures") or []
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        config = make_project(Path(tmp), entry, source)
        proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(config), "import"],
                              capture_output=True, text=True, cwd=tmp)
        cards = read_cards(Path(tmp) / "content" / "cards" / entry["id"])
        result = score(entry, measures, cards, (load_application(corpus).get("corpus") or {}).get(entry["id"]))
        if proc.returncode != 0:
            result.refused = (proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}")
    return result


# ---------------------------------------------------------------- report

def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def prf(c: dict) -> str:
    return f"P {_f(c['precision'])} R {_f(c['recall'])} F1 {_f(c['f1'])} ({c['tp']}/{c['tp'] + c['fn']})"


def summarise(results: list[FileResult]) -> dict:
    agencies = {r: Count() for r in ROLES}
    deadlines = Count()
    labels = {k: Count() for k in LABELS}
    sentences, amounts, automatic = Count(), Count(), Count()
    for res in results:
        for r in ROLES:
            agencies[r].add(res.agencies[r])
        deadlines.add(res.deadlines)
        for k in LABELS:
            labels[k].add(res.labels[k])
        sentences.add(res.sentences)
        amounts.add(res.amounts)
        automatic.add(res.automatic)
    overall = Count()
    for c in agencies.values():
        overall.add(c)
    annotated = sum(r.annotated for r in results)
    exact = sum(r.exact for r in results)
    return {"files": len(results), "refused": [r.id for r in results if r.refused],
            "annotated": annotated, "exact": exact,
            "exact_share": exact / annotated if annotated else None,
            "other_title": sum(len(r.other_title) for r in results),
            "missed": sum(len(r.missed) for r in results), "extra": sum(len(r.extra) for r in results),
            "other_kind": sum(len(r.other_kind) for r in results),
            "agencies": {**{r: c.figures() for r, c in agencies.items()}, "overall": overall.figures()},
            "deadlines": deadlines.figures(),
            **{k: c.figures() for k, c in labels.items()},
            "support": support_figures(sentences, amounts), "automatic": automatic.figures()}


def _print_application(figures: dict) -> None:
    s = figures["support"]
    print(f"  support (支持标准)     {prf(s)}; {s['sentences']} sentences proposed, {s['wrong_sentences']} without a support amount")
    print(f"  automatic (免申即享)   {prf(figures['automatic'])}")


def _print_labels(figures: dict, always: bool) -> None:
    for key in LABELS:
        c = figures[key]
        if always or c["tp"] + c["fp"] + c["fn"]:
            print(f"  {key:<20} {prf(c)}")


def print_report(results: list[FileResult], summary: dict, quiet: bool) -> None:
    if not quiet:
        for res in results:
            d = res.as_dict()
            print(f"{res.id}: measures {res.exact}/{res.annotated} exact, {len(res.other_title)} other title, "
                  f"{len(res.missed)} missed, {len(res.extra)} extra"
                  + (f"; REFUSED: {res.refused.splitlines()[0]}" if res.refused else ""))
            for role in ROLES + ("overall",):
                c = d["agencies"][role]
                if c["tp"] + c["fp"] + c["fn"]:
                    print(f"  agencies {role:<11} {prf(c)}")
            if d["deadlines"]["tp"] + d["deadlines"]["fp"] + d["deadlines"]["fn"]:
                print(f"  deadlines            {prf(d['deadlines'])}")
            _print_labels(d, always=False)
            for a, c in res.other_title:
                print(f"  title: expected {a} | got {c}")
            for m in res.missed:
                print(f"  missed: {m}")
            for m in res.extra:
                print(f"  extra: {m}")
            for k in res.other_kind:
                print(f"  kind: {k}")
            for d in res.differences:
                print(f"  {d}")
        print()
    s = summary
    print(f"OVERALL {s['files']} files, {len(s['refused'])} refused"
          + (f" ({', '.join(s['refused'])})" if s["refused"] else ""))
    print(f"  measures: {s['exact']}/{s['annotated']} with the exact title ({_f(s['exact_share'])}), "
          f"{s['other_title']} with another title, {s['missed']} missed, {s['extra']} extra; "
          f"{s['other_kind']} of another kind (measure/general)")
    for role in ROLES + ("overall",):
        print(f"  agencies {role:<11} {prf(s['agencies'][role])}")
    print(f"  deadlines            {prf(s['deadlines'])}")
    _print_labels(s, always=True)
    _print_application(s)


def print_seeds(seeds: FileResult, quiet: bool) -> None:
    print(f"SEEDS {seeds.annotated} annotated cards, {len(seeds.missed)} not imported"
          + (f"; REFUSED: {seeds.refused.splitlines()[0]}" if seeds.refused else ""))
    d = seeds.as_dict()
    _print_labels(d, always=True)
    _print_application(d)
    if not quiet:
        for m in seeds.missed:
            print(f"  missed: {m}")
        for line in seeds.differences:
            print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="only these corpus ids (default: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quiet", action="store_true", help="print only the overall figures")
    parser.add_argument("--no-seeds", action="store_true",
                        help="do not score the seed documents (they are scored when no ID is given)")
    args = parser.parse_args(argv)
    index = yaml.safe_load((args.corpus / "corpus.yaml").read_text(encoding="utf-8")) or []
    unknown = set(args.ids) - {e["id"] for e in index}
    if unknown:
        print(f"not in {args.corpus / 'corpus.yaml'}: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    entries = [e for e in index if not args.ids or e["id"] in args.ids]
    results = [run_one(e, args.corpus) for e in entries]
    summary = summarise(results)
    seeds = None if args.ids or args.no_seeds else run_seeds(args.corpus)
    if args.json:
        combined = summarise(results + [seeds]) if seeds else summary
        print(json.dumps({"files": [r.as_dict() for r in results], "overall": summary,
                          "seeds": seeds.as_dict() if seeds else None,
                          "with_seeds": {k: combined[k] for k in (*LABELS, "support", "automatic")}},
                         ensure_ascii=False, indent=1))
    else:
        print_report(results, summary, args.quiet)
        if seeds:
            print_seeds(seeds, args.quiet)
            combined = summarise(results + [seeds])
            print("CORPUS AND SEEDS")
            _print_labels(combined, always=True)
            _print_application(combined)
    return 0


if __name__ == "__main__":
    sys.exit(main())
