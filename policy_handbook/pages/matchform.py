"""The matcher page (适用于我吗, /match/): the questions it asks, as view data.

Every choice comes from content: regions from content/regions.yaml (province → city → county),
types, sizes and sectors from the beneficiaries taxonomy, needs from the topics taxonomy. The
page asks them as a plain GET form, so the answers live in the address (?region=…&type=…&need=…);
static/match.js reads them and lists the measures from the data outputs/matchdata.py writes.
"""
from __future__ import annotations

from .. import paths
from ..content.registry import Registry
from ..library.library import Library

DATA_FILE = "measures.json"  # beside the page: /match/measures.json

# Beneficiary names asked under 行业 rather than 类型和规模. Presentation only: the names are the
# taxonomy's (a name not in it is ignored; a new term is asked under 类型和规模).
SECTORS = ("农业经营主体", "外贸企业", "金融机构")


def region_options(registry: Registry, extra: list[str]) -> list[dict]:
    """Every region, each province followed by its cities and each city by its counties (in the
    order of regions.yaml), labelled with its path: 山西省 › 忻州市 › 偏关县. `extra`: regions
    documents name that regions.yaml does not, at the end."""
    children: dict[str, list[str]] = {}
    for region in registry.regions.values():
        parent = region.parent if region.parent in registry.regions else ""
        children.setdefault(parent, []).append(region.name)
    options: list[dict] = []

    def walk(name: str) -> None:
        chain = registry.chain(name)
        options.append({"name": name, "label": " › ".join(reversed(chain)), "depth": len(chain) - 1,
                        "level": registry.regions[name].level})
        for child in children.get(name, ()):
            walk(child)

    for root in children.get("", ()):
        walk(root)
    listed = {o["name"] for o in options}
    # regions in a loop of parents (regions.yaml's own check reports it), then those only documents name
    options += [{"name": r, "label": r, "depth": 0, "level": registry.regions[r].level if r in registry.regions else ""}
                for r in dict.fromkeys([*registry.regions, *extra]) if r not in listed]
    return options


def match_view(library: Library, urls: paths.Urls) -> dict:
    """The form's choices and where the page's script finds its data."""
    names = [t.name for t in library.taxonomy.beneficiaries if not t.everyone]
    regions = sorted({d.region for d in library.documents.values() if d.region})
    return {
        "regions": region_options(library.registry, regions),
        "types": [n for n in names if n not in SECTORS],
        "sectors": [n for n in names if n in SECTORS],
        "needs": [{"name": t.name, "description": t.description} for t in library.taxonomy.topics
                  if not t.overall],
        "data_url": urls.section("match") + DATA_FILE,
        "topics_url": urls.section("topics"), "beneficiaries_url": urls.section("beneficiaries"),
        "regions_url": urls.section("regions"),
    }
