"""Issue 14: the importer reads more, and loses nothing — every agency and deadline the seed cards
had before (tests/seed-baseline.yaml, taken at the commit before the issue) is still on its card,
under its registry name (an alias resolves to the same body); a role may have become more precise
(mentioned → responsible)."""
from __future__ import annotations

from pathlib import Path

import yaml

from conftest import REPO
from policy_handbook.content.registry import load_registry
from policy_handbook.errors import Diagnostics


def cards() -> dict[str, dict]:
    out = {}
    for path in (REPO / "content" / "cards").glob("*/*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        out[front["id"]] = front
    return out


def test_every_seed_agency_and_deadline_of_before_is_still_there():
    baseline = yaml.safe_load((REPO / "tests" / "seed-baseline.yaml").read_text(encoding="utf-8"))
    registry = load_registry(Path(REPO / "content"), Diagnostics())
    now = cards()
    assert len(baseline) > 100
    lost = []
    for card_id, before in baseline.items():
        card = now[card_id]
        names = {registry.resolve(n) or n for names in (card.get("agencies") or {}).values() for n in names}
        deadlines = {f"{d['kind']} {d.get('date') or d.get('month_day') or (d.get('start', '') + '/' + d.get('end', ''))}"
                     for d in card.get("deadlines") or []}
        lost += [(card_id, n) for n in before.get("agencies", []) if (registry.resolve(n) or n) not in names]
        lost += [(card_id, d) for d in before.get("deadlines", []) if d not in deadlines]
    assert lost == []
