"""Finding a company the way a user names it: id, ticker, English or Korean name, or alias, in any
case. One index serves every command (`exposure --explain`, `--portfolio`, `viz --focus`), so a
name that works in one works in all.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("nvidia", name="Nvidia", name_ko="엔비디아", ticker="NVDA", aliases=["NVIDIA Corp"])
>>> [resolve(g, k) for k in ("NVDA", "엔비디아", "nvidia corp", "Nvidia")]
['nvidia', 'nvidia', 'nvidia', 'nvidia']
>>> resolve(g, "Nvidai") is None, suggest(g, "Nvidai")
(True, " (did you mean 'Nvidia'?)")
"""
from __future__ import annotations

import difflib

import networkx as nx

_FIELDS = ("ticker", "name", "name_ko")


def name_index(g: nx.MultiDiGraph) -> dict[str, str]:
    """Case-folded id, ticker, names and aliases -> node id (an id wins over a ticker, a ticker over
    a name, a name over an alias, when two companies share a spelling)."""
    out: dict[str, str] = {}
    for n in g.nodes:
        out.setdefault(str(n).casefold(), n)
    for field in _FIELDS:
        for n, d in g.nodes(data=True):
            if d.get(field):
                out.setdefault(str(d[field]).strip().casefold(), n)
    for n, d in g.nodes(data=True):
        for a in d.get("aliases") or []:
            out.setdefault(str(a).strip().casefold(), n)
    return out


def resolve(g: nx.MultiDiGraph, key: str, index: dict[str, str] | None = None) -> str | None:
    if key in g:
        return key
    return (index if index is not None else name_index(g)).get(str(key).strip().casefold())


def suggest(g: nx.MultiDiGraph, key: str) -> str:
    """' (did you mean 'X'?)' for the closest spelling a user could have meant, or ''."""
    spellings = {}
    for n, d in g.nodes(data=True):
        for s in (d.get("name"), d.get("name_ko"), d.get("ticker"), *(d.get("aliases") or []), n):
            if s:
                spellings.setdefault(str(s).casefold(), str(s))
    close = difflib.get_close_matches(str(key).casefold(), list(spellings), n=1, cutoff=0.75)
    return f" (did you mean '{spellings[close[0]]}'?)" if close else ""
