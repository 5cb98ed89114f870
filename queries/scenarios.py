"""Shock scenarios as data: YAML files that pick seed nodes by selectors and give magnitudes.

A scenario file (see data/scenarios/*.yaml) has a `name`, `title`, `description`, the `channels`
it runs on, its `seeds` (who loses), optional `gainers` (who gains: substitution, pricing power)
and the public `evidence` behind its magnitudes. A seed rule is
`{select: {...}, channel: supply|demand|financial, magnitude: 0.3 | {fact: METRIC, ...}, why: ...}`;
a seed on a place may say which kinds of site its shock `reaches` (a grid shortfall reaches
data-center campuses, not power plants). For a network a user brings, `seeds` may be a plain
mapping `node: magnitude`.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import networkx as nx
import yaml

from capexgraph.graph.build import latest_fact
from capexgraph.ingest.yamlio import safe_load as _yaml_load

SEED_CHANNELS = ("supply", "demand", "financial")
SELECTOR_KEYS = {"id", "not_id", "category", "country", "not_country", "kind", "ticker", "has_fact",
                 "sells", "located_in"}
RULE_KEYS = {"select", "channel", "magnitude", "why", "why_ko", "reaches", "via", "transmit_only",
             "buyers_in", "own_share"}
VIA_KEYS = {"from", "classes"}
MAGNITUDE_KEYS = {"fact", "counterparty", "segment", "default", "times", "required", "unrecorded", "otherwise"}
TOP_KEYS = {"name", "title", "title_ko", "description", "channels", "seeds", "gainers", "evidence",
            "cap", "seeds_transmit_only", "inputs"}
#: how a company's supply inputs of different classes combine (queries/layers.py): a shortfall stops
#: output at the scarcest input (complements, the default); a cost shock adds every input's cost
INPUTS = ("complements", "additive")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the field."""


@dataclass
class Seed:
    node: str
    channel: str
    magnitude: float
    why: str
    counts: bool = True   # False: the seed transmits the shock but is not itself exposed (a buyer cutting spend)
    gain: bool = False    # a gainer: the seed enters the gain fixed point, not the loss one
    reaches: tuple[str, ...] | None = None  # a place seed: the kinds of site its shock reaches
    #: a border shock (a tariff is paid on goods entering a country): its supply loss passes only
    #: into buyers located in these countries (ISO codes, as entities.csv `country`)
    buyers_in: tuple[str, ...] | None = None
    #: the share of its own hit that counts in the seed's own score (`own_share`): a tariff costs
    #: its US buyers the whole magnitude on what they import, the exporter only on the part of its
    #: sales that enters the US
    own: float = 1.0
    #: the same reason in Korean, where the scenario gives one (`why_ko`); the figures read from the
    #: data are appended as in `why`
    why_ko: str | None = None
    #: suppliers whose supply to this node the seed cuts (a `via` rule: every class they supply it
    #: is one the rule names): the same scenario's gains do not travel back along those links
    cut: tuple[str, ...] = ()

    def reason(self, lang: str = "en") -> str:
        return (self.why_ko or self.why) if lang == "ko" else self.why


@dataclass
class Scenario:
    name: str
    title: str
    description: str
    channels: list[str]
    seed_rules: list[dict[str, Any]]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    title_ko: str | None = None
    cap: bool = True
    seeds_transmit_only: bool = False
    path: str | None = None
    gain_rules: list[dict[str, Any]] = field(default_factory=list)
    inputs: str = "complements"

    @property
    def scarcest(self) -> bool:
        """A company's inputs of different classes are complements: the scarcest sets the loss."""
        return self.inputs == "complements"

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description.strip(),
                "channels": self.channels, "evidence": self.evidence, "file": self.path,
                "has_gainers": bool(self.gain_rules)}


def scenario_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where named scenarios are looked up: the shipped library, $CAPEXGRAPH_SCENARIOS, extras."""
    dirs = [Path(str(resources.files("capexgraph.data").joinpath("scenarios")))]
    env = os.environ.get("CAPEXGRAPH_SCENARIOS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs + list(extra or [])


def _fail(path: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{path}: {msg}")


def _unknown(keys, allowed: set[str], path: str, where: str) -> None:
    for k in keys:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), sorted(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise _fail(path, f"{where}: unknown key '{k}'{hint}; valid: {', '.join(sorted(allowed))}")


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and abs(x) != float("inf")


def _check_magnitude(mag: Any, path: str, where: str) -> None:
    """A seed's magnitude is the share of value its node loses (or gains): a number in [0, 1], or
    a company fact read at run time (its `default` in [0, 1] too)."""
    if _number(mag):
        if not 0 <= mag <= 1:
            raise _fail(path, f"{where}: magnitude {mag:g} is out of range; it is the share of value "
                              f"lost or gained and must lie in [0, 1]")
        return
    if not isinstance(mag, dict) or "fact" not in mag:
        raise _fail(path, f"{where}: magnitude must be a number in [0, 1] or {{fact: METRIC, default: x, "
                          f"times: a number in [0, 1] or another {{fact: ...}}}}")
    _unknown(mag, MAGNITUDE_KEYS, path, f"{where}, magnitude")
    if "default" in mag and not (_number(mag["default"]) and 0 <= mag["default"] <= 1):
        raise _fail(path, f"{where}: magnitude default must be a number in [0, 1]")
    if mag.get("unrecorded") is not None and (mag["unrecorded"] is not True or mag["fact"] != "revenue_share_datacenter"):
        raise _fail(path, f"{where}: 'unrecorded: true' reads the part of a data-center revenue share no "
                          f"recorded customer holds; it needs fact: revenue_share_datacenter")
    if mag.get("unrecorded") and "times" in mag and not _number(mag["times"]):
        raise _fail(path, f"{where}: with 'unrecorded: true', times must be a number in [0, 1]")
    if "times" in mag:
        _check_magnitude(mag["times"], path, f"{where}, times")
    if "otherwise" in mag:
        if not isinstance(mag["otherwise"], dict) or "fact" not in mag["otherwise"]:
            raise _fail(path, f"{where}: 'otherwise' is the {{fact: ...}} read where the company "
                              f"publishes no {mag['fact']}")
        _check_magnitude(mag["otherwise"], path, f"{where}, otherwise")
    seg = mag.get("segment")
    if isinstance(seg, list) and not (seg and all(isinstance(x, str) for x in seg)):
        raise _fail(path, f"{where}: segment is a name or a list of names")


def _rules(raw_rules: Any, path: str, field_name: str, channels: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(path, f"field '{field_name}': list seed rules, or map node ids to magnitudes")
    rules = []
    for i, rule in enumerate(raw_rules, 1):
        where = f"field '{field_name}', item {i}"
        if not isinstance(rule, dict) or "select" not in rule:
            raise _fail(path, f"{where}: needs 'select' (and 'channel', 'magnitude')")
        _unknown(rule, RULE_KEYS, path, where)
        sel = rule["select"]
        if not isinstance(sel, dict) or not sel:
            raise _fail(path, f"{where}: 'select' keys must be among {', '.join(sorted(SELECTOR_KEYS))}")
        _unknown(sel, SELECTOR_KEYS, path, f"{where}, select")
        if rule.get("channel", "all") not in (*SEED_CHANNELS, "all"):
            raise _fail(path, f"{where}: channel must be one of {', '.join(SEED_CHANNELS)}")
        _check_magnitude(rule.get("magnitude"), path, where)
        via = rule.get("via")
        if via is not None:
            if not isinstance(via, dict) or not isinstance(via.get("from"), dict):
                raise _fail(path, f"{where}: via needs 'from' (a selector of suppliers) and 'classes'")
            _unknown(via, VIA_KEYS, path, f"{where}, via")
            _unknown(via["from"], SELECTOR_KEYS, path, f"{where}, via, from")
        if "transmit_only" in rule and not isinstance(rule["transmit_only"], bool):
            raise _fail(path, f"{where}: transmit_only must be true or false")
        if "why_ko" in rule and not isinstance(rule["why_ko"], str):
            raise _fail(path, f"{where}: why_ko is the reason in Korean, a text")
        if "own_share" in rule:
            if rule.get("transmit_only"):
                raise _fail(path, f"{where}: own_share and transmit_only: true contradict each other "
                                  f"(transmit_only counts none of the seed's own hit)")
            _check_magnitude(rule["own_share"], path, f"{where}, own_share")
        reaches = rule.get("reaches")
        if reaches is not None and (not isinstance(reaches, list) or not all(isinstance(r, str) for r in reaches)):
            raise _fail(path, f"{where}: reaches must be a list of site classes (data/schema.yaml)")
        buyers = rule.get("buyers_in")
        if buyers is not None and (not isinstance(buyers, list) or not buyers or not all(
                isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in buyers)):
            raise _fail(path, f"{where}: buyers_in must be a list of two-letter country codes (US, TW ...)")
        rules.append(rule)
    return rules


def parse_scenario(raw: Any, path: str) -> Scenario:
    if not isinstance(raw, dict):
        raise _fail(path, "a scenario file is a YAML mapping with name, description, channels and seeds")
    _unknown(raw, TOP_KEYS, path, "scenario")
    channels = raw.get("channels", ["supply", "demand", "financial"])
    if not isinstance(channels, list) or not channels or any(c not in SEED_CHANNELS for c in channels):
        raise _fail(path, f"field 'channels': use a list of {', '.join(SEED_CHANNELS)}")
    seeds = raw.get("seeds")
    if isinstance(seeds, dict) and seeds:  # plain `node: magnitude` form
        rules = []
        for node, mag in seeds.items():
            if not _number(mag) or mag < 0:
                raise _fail(path, f"field 'seeds': magnitude of '{node}' must be a non-negative number")
            rules.append({"select": {"id": [str(node)]}, "magnitude": float(mag), "channel": "all"})
    else:
        rules = _rules(seeds, path, "seeds", channels)
    gains = _rules(raw["gainers"], path, "gainers", channels) if raw.get("gainers") is not None else []
    for key in ("cap", "seeds_transmit_only"):
        if key in raw and not isinstance(raw[key], bool):
            raise _fail(path, f"field '{key}': use true or false, not {raw[key]!r}")
    if raw.get("inputs", INPUTS[0]) not in INPUTS:
        raise _fail(path, f"field 'inputs': use {' or '.join(INPUTS)}, not {raw['inputs']!r}")
    if not isinstance(raw.get("evidence", []), (list, type(None))):
        raise _fail(path, "field 'evidence': a list of {text, source} items")
    name = str(raw.get("name") or Path(path).stem)
    return Scenario(
        name=name, title=str(raw.get("title", name)), title_ko=raw.get("title_ko"),
        description=str(raw.get("description", "")), channels=list(channels), seed_rules=rules,
        evidence=list(raw.get("evidence") or []), cap=bool(raw.get("cap", True)),
        seeds_transmit_only=bool(raw.get("seeds_transmit_only", False)), path=path, gain_rules=gains,
        inputs=str(raw.get("inputs", INPUTS[0])))


def load_scenario_file(path: Path | str) -> Scenario:
    path = Path(path)
    try:
        raw = _yaml_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}{where}: not valid YAML ({problem})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    return parse_scenario(raw, str(path))


def scenario_library(extra_dirs: list[Path] | None = None) -> dict[str, Scenario]:
    """All named scenarios; a later directory's file overrides an earlier one of the same name."""
    lib: dict[str, Scenario] = {}
    for d in scenario_dirs(extra_dirs):
        if d.is_dir():
            for f in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
                sc = load_scenario_file(f)
                lib[sc.name] = sc
    return lib


# --- selecting and sizing seeds ------------------------------------------------------------------
def _listed(sel: dict, key: str) -> list[str]:
    val = sel[key]
    return [str(v) for v in (val if isinstance(val, list) else [val])]


class _Index:
    """What each node sells and where it operates (for the `sells` and `located_in` selectors)."""

    def __init__(self, g: nx.MultiDiGraph):
        self.sells: dict[str, set[str]] = {}
        self.places: dict[str, set[str]] = {}
        for u, v, d in g.edges(data=True):
            if d.get("status") == "terminated":
                continue
            if d.get("type") == "located_in":
                self.places.setdefault(u, set()).add(v)
            elif d.get("product_class"):
                self.sells.setdefault(u, set()).add(d["product_class"])


def _matches(node: str, data: dict, sel: dict, idx: _Index) -> bool:
    if "id" in sel and node not in _listed(sel, "id"):
        return False
    if "not_id" in sel and node in _listed(sel, "not_id"):
        return False
    if "category" in sel and not set(data.get("category") or []) & set(_listed(sel, "category")):
        return False
    if "country" in sel and data.get("country") not in _listed(sel, "country"):
        return False
    if "not_country" in sel and data.get("country") in _listed(sel, "not_country"):
        return False
    if "kind" in sel and data.get("kind") not in _listed(sel, "kind"):
        return False
    if "ticker" in sel and data.get("ticker") not in _listed(sel, "ticker"):
        return False
    if "has_fact" in sel and not any(f["metric"] in _listed(sel, "has_fact") for f in data.get("facts", [])):
        return False
    if "sells" in sel and not idx.sells.get(node, set()) & set(_listed(sel, "sells")):
        return False
    if "located_in" in sel and not idx.places.get(node, set()) & set(_listed(sel, "located_in")):
        return False
    return True


def _unrecorded_value(node: str, weights) -> tuple[float, str] | None:
    """The part of a company's disclosed data-center revenue share that no recorded customer
    holds (queries/weights.py): revenue from data-center buyers the data does not name. Where
    only a share of orders is published, it stands for the revenue share and is named as such."""
    share, held, f = weights.unrecorded.get(node, (0.0, 0.0, None))
    if f is None or share - held <= 0:
        return None
    s = f["source"]
    seg = f" ({f['segment']})" if f.get("segment") else ""
    return share - held, (f"{f['metric']}{seg} {share:.1%} ({f['period']}; {s['publisher']}, "
                          f"{s['date']}) less {held:.1%} held by recorded data-center customers")


def _fact_value(data: dict, mag: dict, node: str | None = None, weights=None) -> tuple[float, str] | None:
    """A magnitude read from the company's figures, as the graph summarises them (latest actual
    period), times any further figure it names; None when a needed figure is missing."""
    # a list of segments reads each one the company publishes and adds them (its accelerator line
    # and its HBM line are both what a ban on accelerators and HBM covers)
    segments = mag.get("segment")
    segments = segments if isinstance(segments, list) else [segments]
    found_facts = [] if mag.get("unrecorded") else [f for f in (latest_fact(
        data.get("facts", []), mag["fact"], mag.get("counterparty"), seg,
        bounds=True) for seg in segments) if f is not None]   # "at most x%" sizes a seed where no exact share is published
    if mag.get("unrecorded"):
        found = _unrecorded_value(node, weights)
        if found is None:
            return None
        value, why = found
    elif not found_facts:
        if "otherwise" in mag:   # the wider figure, where the company publishes no narrower one
            wider = dict(mag["otherwise"])
            if "times" in mag:
                wider.setdefault("times", mag["times"])
            return _fact_value(data, wider, node, weights)
        if "default" not in mag:
            return None
        value, why = float(mag["default"]), f"assumed {float(mag['default']):g} (no {mag['fact']} in the data)"
    else:
        value, whys = 0.0, []
        for best in found_facts:
            s = best["source"]
            where = f" {mag['counterparty']}" if mag.get("counterparty") else ""
            seg = f" ({best['segment']})" if best.get("segment") else ""
            basis = f", {best['basis']} basis" if best.get("basis") else ""
            value += best["value"]
            most = {"up_to": "at most ", "at_least": "at least "}.get(best.get("qualifier") or "", "")
            whys.append(f"{mag['fact']}{where}{seg} {most}{best['value']:.1%} ({best['period']}{basis}; "
                        f"{s['publisher']}, {s['date']})")
        why = " + ".join(whys)
    if "times" in mag:
        if _number(mag["times"]):  # a share the scenario assumes (its `why` says which)
            return value * mag["times"], f"{why} x {mag['times']:g} (scenario assumption)"
        other = _fact_value(data, mag["times"])
        if other is None:
            return None
        value, why = value * other[0], f"{why} x {other[1]}"
    return value, why


def _own_share(spec: Any, data: dict) -> tuple[float, str]:
    """The part of a seed's hit that counts in its own score: a number the scenario assumes, or a
    company figure (its `default` where the company publishes none; with neither, all of it)."""
    if _number(spec):
        return float(spec), "scenario assumption"
    found = _fact_value(data, spec)
    if found is None:
        return 1.0, f"no {spec['fact']} in the data: all of it"
    return min(1.0, max(0.0, found[0])), found[1]


def _via(node: str, via: dict, g: nx.MultiDiGraph, idx: _Index, weights) -> tuple[float, str, tuple[str, ...]]:
    """How much of node's supply comes through the named suppliers and classes: the sum of those
    supply weights (criticality x share x status), so a cut supply line hits as the data weigh it.
    A place's share of a company (located_in) matches by its kinds of site: a grid's power plants
    are the part of a generator's fleet that sells into that grid. Also returns the suppliers whose
    every class into the node is a named one: the links the rule cuts whole (`Seed.cut`)."""
    classes = set(via.get("classes") or [])
    total, parts, cut = 0.0, [], []
    for (u, v), e in weights.edges.get("supply", {}).items():
        if v != node or u not in g or not _matches(u, g.nodes[u], via["from"], idx):
            continue
        inside = [p for p in e.parts if not classes or p.product_class in classes or classes & set(p.sites)]
        w = sum(p.own_w for p in inside)
        if w > 0:
            total += w
            parts.append(f"{u} {w:.3f}")
            if len(inside) == len(e.parts):
                cut.append(u)
    return min(total, 1.0), ", ".join(parts), tuple(cut)


def edge_list_seeds(sc: Scenario, nodes: Mapping[str, int], scale: float = 1.0) -> list[Seed]:
    """Seeds for a user's own edge list (`exposure --graph`): it has ids and nothing else to
    select by, so a rule names its ids and a number; the graph's selectors do not apply."""
    seeds = []
    for rule in sc.seed_rules:
        ids = rule["select"].get("id", [])
        for n in (ids if isinstance(ids, list) else [ids]):
            if str(n) not in nodes:
                raise ScenarioError(f"{sc.path}: seed '{n}' is not a node of the edge list")
            mag = rule["magnitude"]
            if isinstance(mag, dict):
                raise ScenarioError(f"{sc.path}: with --graph, seed magnitudes must be numbers")
            own = rule.get("own_share", 1.0)
            if isinstance(own, dict):
                raise ScenarioError(f"{sc.path}: with --graph, own_share must be a number")
            ch = rule.get("channel", "all")
            for c in (sc.channels if ch == "all" else [ch]):
                seeds.append(Seed(str(n), c, float(mag) * scale, "scenario file", own=float(own)))
    return seeds


def resolve_seeds(sc: Scenario, g: nx.MultiDiGraph, scale: float = 1.0, weights=None) -> list[Seed]:
    """Turn selector rules into concrete seeds on the graph's nodes (losses, then gains).

    A rule with `via` needs the weights: its magnitude is scaled by the node's supply weight from
    the named suppliers (an export ban hits a Chinese buyer as much as it bought from US vendors)."""
    idx = _Index(g)
    seeds: list[Seed] = []
    for gain, rules in ((False, sc.seed_rules), (True, sc.gain_rules)):
        for rule in rules:
            sel, mag = rule["select"], rule["magnitude"]
            if "id" in sel:
                unknown = [i for i in _listed(sel, "id") if i not in g]
                if unknown:
                    raise ScenarioError(f"{sc.path}: seed node(s) not in the graph: {', '.join(unknown)}")
            channel = rule.get("channel", "all")
            chans = sc.channels if channel == "all" else [channel]
            reaches = tuple(rule["reaches"]) if rule.get("reaches") else None
            buyers = tuple(rule["buyers_in"]) if rule.get("buyers_in") else None
            for node, data in g.nodes(data=True):
                if not _matches(node, data, sel, idx):
                    continue
                why_ko = None
                if isinstance(mag, dict):
                    if mag.get("unrecorded") and weights is None:
                        raise ScenarioError(f"{sc.path}: a seed with 'unrecorded' needs the graph's weights")
                    found = _fact_value(data, mag, node, weights)
                    if found is None:
                        continue
                    value, why = found
                    if rule.get("why_ko"):
                        why_ko = f"{rule['why_ko']}: {why}"
                else:
                    value, why = float(mag), str(rule.get("why", "scenario magnitude"))
                    why_ko = rule.get("why_ko")
                if isinstance(mag, dict) and rule.get("why"):
                    why = f"{rule['why']}: {why}"
                cut: tuple[str, ...] = ()
                if rule.get("via"):
                    if weights is None:
                        raise ScenarioError(f"{sc.path}: a seed with 'via' needs the graph's weights")
                    share, which, cut = _via(node, rule["via"], g, idx, weights)
                    if share <= 0:
                        continue
                    why = f"{why} x supply weight {share:.3f} from {which}"
                    why_ko = why_ko and f"{why_ko} x 공급 가중치 {share:.3f} ({which})"
                    value *= share
                own = 1.0
                if "own_share" in rule:
                    own, own_why = _own_share(rule["own_share"], data)
                    why = f"{why}; in its own score x {own:.0%} ({own_why})"
                    why_ko = why_ko and f"{why_ko}; 자기 점수에는 x {own:.0%} ({own_why})"
                for ch in chans:
                    seeds.append(Seed(node, ch, value * scale, why,
                                      counts=gain or not rule.get("transmit_only", sc.seeds_transmit_only),
                                      gain=gain, reaches=reaches, buyers_in=buyers, own=own,
                                      why_ko=why_ko, cut=cut))
    return seeds
