"""Shock scenarios as data: YAML files that pick seed nodes by selectors and give magnitudes.

A scenario file (see data/scenarios/*.yaml) has a `name`, `title`, `description`, the `channels`
it runs on, its `seeds` and the public `evidence` behind its magnitudes. A seed is either
`{select: {...}, channel: supply|demand, magnitude: 0.3 | {fact: metric, default: x}}` or, for a
network a user brings, a plain mapping `node: magnitude`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from capexgraph.graph.build import latest_fact

SEED_CHANNELS = ("supply", "demand", "financial")
SELECTOR_KEYS = {"id", "category", "country", "kind", "ticker", "has_fact", "not_id"}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the field."""


@dataclass
class Seed:
    node: str
    channel: str
    magnitude: float
    why: str
    counts: bool = True  # False: the seed transmits the shock but is not itself exposed (a buyer cutting spend)


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

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description.strip(),
                "channels": self.channels, "evidence": self.evidence, "file": self.path}


def scenario_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where named scenarios are looked up: the shipped library, $CAPEXGRAPH_SCENARIOS, extras."""
    dirs = [Path(str(resources.files("capexgraph.data").joinpath("scenarios")))]
    env = os.environ.get("CAPEXGRAPH_SCENARIOS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs + list(extra or [])


def _fail(path: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{path}: {msg}")


def parse_scenario(raw: Any, path: str) -> Scenario:
    if not isinstance(raw, dict):
        raise _fail(path, "a scenario file is a YAML mapping with name, description, channels and seeds")
    channels = raw.get("channels", ["supply", "demand", "financial"])
    if not isinstance(channels, list) or not channels or any(c not in SEED_CHANNELS for c in channels):
        raise _fail(path, f"field 'channels': use a list of {', '.join(SEED_CHANNELS)}")
    seeds = raw.get("seeds")
    if isinstance(seeds, dict):  # plain `node: magnitude` form
        rules = []
        for node, mag in seeds.items():
            if not isinstance(mag, (int, float)) or isinstance(mag, bool) or mag < 0:
                raise _fail(path, f"field 'seeds': magnitude of '{node}' must be a non-negative number")
            rules.append({"select": {"id": [str(node)]}, "magnitude": float(mag), "channel": "all"})
    elif isinstance(seeds, list) and seeds:
        rules = []
        for i, rule in enumerate(seeds, 1):
            where = f"field 'seeds', item {i}"
            if not isinstance(rule, dict) or "select" not in rule:
                raise _fail(path, f"{where}: needs 'select' (and 'channel', 'magnitude')")
            sel = rule["select"]
            if not isinstance(sel, dict) or not sel or set(sel) - SELECTOR_KEYS:
                raise _fail(path, f"{where}: 'select' keys must be among {', '.join(sorted(SELECTOR_KEYS))}")
            if rule.get("channel", "all") not in (*SEED_CHANNELS, "all"):
                raise _fail(path, f"{where}: channel must be one of {', '.join(SEED_CHANNELS)}")
            mag = rule.get("magnitude")
            ok = (isinstance(mag, (int, float)) and not isinstance(mag, bool) and mag >= 0) or (
                isinstance(mag, dict) and "fact" in mag)
            if not ok:
                raise _fail(path, f"{where}: magnitude must be a number >= 0 or {{fact: METRIC, default: x}}")
            rules.append(rule)
    else:
        raise _fail(path, "field 'seeds': list seed rules, or map node ids to magnitudes")
    name = str(raw.get("name") or Path(path).stem)
    return Scenario(
        name=name, title=str(raw.get("title", name)), title_ko=raw.get("title_ko"),
        description=str(raw.get("description", "")), channels=list(channels), seed_rules=rules,
        evidence=list(raw.get("evidence") or []), cap=bool(raw.get("cap", True)),
        seeds_transmit_only=bool(raw.get("seeds_transmit_only", False)), path=path)


def load_scenario_file(path: Path | str) -> Scenario:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
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


def _matches(node: str, data: dict, sel: dict) -> bool:
    def listed(key):
        val = sel[key]
        return [str(v) for v in (val if isinstance(val, list) else [val])]
    if "id" in sel and node not in listed("id"):
        return False
    if "not_id" in sel and node in listed("not_id"):
        return False
    if "category" in sel and not set(data.get("category") or []) & set(listed("category")):
        return False
    if "country" in sel and data.get("country") not in listed("country"):
        return False
    if "kind" in sel and data.get("kind") not in listed("kind"):
        return False
    if "ticker" in sel and data.get("ticker") not in listed("ticker"):
        return False
    if "has_fact" in sel and not any(f["metric"] in listed("has_fact") for f in data.get("facts", [])):
        return False
    return True


def _fact_value(data: dict, metric: str) -> tuple[float, dict] | None:
    """A company's figure for a metric, chosen as the graph summarises it (latest actual period)."""
    best = latest_fact(data.get("facts", []), metric)
    return (best["value"], best) if best else None


def resolve_seeds(sc: Scenario, g: nx.MultiDiGraph, scale: float = 1.0) -> list[Seed]:
    """Turn selector rules into concrete seeds on the graph's nodes."""
    seeds: list[Seed] = []
    for rule in sc.seed_rules:
        sel, mag = rule["select"], rule["magnitude"]
        if "id" in sel:
            ids = sel["id"] if isinstance(sel["id"], list) else [sel["id"]]
            unknown = [i for i in ids if str(i) not in g]
            if unknown:
                raise ScenarioError(f"{sc.path}: seed node(s) not in the graph: {', '.join(map(str, unknown))}")
        channel = rule.get("channel", "all")
        chans = sc.channels if channel == "all" else [channel]
        for node, data in g.nodes(data=True):
            if not _matches(node, data, sel):
                continue
            if isinstance(mag, dict):
                found = _fact_value(data, mag["fact"])
                if found:
                    value, fact = found
                    s = fact["source"]
                    why = f"{mag['fact']} {value:.0%} ({fact['period']}; {s['publisher']}, {s['date']})"
                elif "default" in mag:
                    value, why = float(mag["default"]), f"assumed {float(mag['default']):g} (no {mag['fact']} in the data)"
                else:
                    continue
            else:
                value, why = float(mag), str(rule.get("why", "scenario magnitude"))
            for ch in chans:
                seeds.append(Seed(node, ch, value * scale, why, counts=not sc.seeds_transmit_only))
    return seeds
