"""YAML reading for every file the package loads: safe (no objects), bounded, and with libyaml's
C parser where it is installed (ten times faster than the pure-Python one on the scenario library).

Bounded: a YAML file whose aliases expand it past `MAX_NODES` values (a "billion laughs" bomb, a
few hundred bytes that would take gigabytes) is refused before anything is built; libyaml's own
limit refuses nesting deeper than it can parse.

>>> safe_load("a: [1, 2]")
{'a': [1, 2]}
>>> bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
...     f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\\n" for p, c in zip("abcdef", "bcdefg"))
>>> safe_load(bomb)
Traceback (most recent call last):
...
yaml.error.YAMLError: the YAML expands to more than 100,000 values through its aliases (&anchor / *alias); write the values out
"""
from __future__ import annotations

from typing import Any, IO

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Far above any scenario, schema or config file (the largest shipped one holds ~2,000 values).
MAX_NODES = 100_000


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Values the document holds once every alias is expanded (shared nodes count each time)."""
    size: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose children are still being sized: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        if not done and id(node) in open_:
            raise yaml.YAMLError("an alias refers to the value that contains it (a recursive anchor)")
        children = ([c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if done or not children:
            open_.discard(id(node))
            total = 1 + sum(size.get(id(c), 0) for c in children)
            size[id(node)] = total
            if total > limit:
                return total
            continue
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
    return size.get(id(root), 0)


def safe_load(stream: str | bytes | IO, max_nodes: int = MAX_NODES) -> Any:
    loader = _Loader(stream)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, max_nodes) > max_nodes:
            raise yaml.YAMLError(f"the YAML expands to more than {max_nodes:,} values through its "
                                 f"aliases (&anchor / *alias); write the values out")
        return loader.construct_document(node)
    finally:
        loader.dispose()
