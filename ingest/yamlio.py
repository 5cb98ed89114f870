"""YAML reading for every file the package loads: safe (no objects), bounded, and with libyaml's
C parser where it is installed (ten times faster than the pure-Python one on the scenario library).

Bounded: a YAML file whose aliases expand it past `MAX_NODES` values (a "billion laughs" bomb, a
few hundred bytes that would take gigabytes) is refused before anything is built, and so is one
nested deeper than `MAX_DEPTH` (older libyaml builds parse any depth, newer ones stop at 1,000:
the limit here is the same on every machine).

>>> safe_load("a: [1, 2]")
{'a': [1, 2]}
>>> bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
...     f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\\n" for p, c in zip("abcdef", "bcdefg"))
>>> safe_load(bomb)
Traceback (most recent call last):
...
yaml.error.YAMLError: the YAML expands to more than 100,000 values through its aliases (&anchor / *alias); write the values out
>>> safe_load("why: a\\nwhy_ko: b\\nwhy_ko: c\\n")
Traceback (most recent call last):
...
yaml.error.YAMLError: line 3: key 'why_ko' appears twice in one mapping (first on line 2); YAML would keep only the last, so remove one
"""
from __future__ import annotations

from typing import Any, IO

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Far above any scenario, schema or config file (the largest shipped one holds ~2,000 values).
MAX_NODES = 100_000
#: A scenario nests four levels; a hundred leaves room for any hand-written file.
MAX_DEPTH = 100
_TOO_DEEP = f"exceeded maximum nesting depth ({MAX_DEPTH} levels); flatten it"


def _no_repeated_key(node: yaml.MappingNode) -> None:
    """A key written twice in one mapping: YAML keeps the last and drops the first without a word
    (a second `why_ko:` pasted under a rule replaces its reason), so it is refused, with its line."""
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value != "<<":
            line = key.start_mark.line + 1
            if key.value in seen:
                raise yaml.YAMLError(f"line {line}: key '{key.value}' appears twice in one mapping (first on "
                                     f"line {seen[key.value]}); YAML would keep only the last, so remove one")
            seen[key.value] = line


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Values the document holds once every alias is expanded (shared nodes count each time)."""
    size: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose children are still being sized: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 1)]
    while stack:
        node, done, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise yaml.YAMLError(_TOO_DEEP)
        if id(node) in size:
            continue
        if not done and id(node) in open_:
            raise yaml.YAMLError("an alias refers to the value that contains it (a recursive anchor)")
        if not done and isinstance(node, yaml.MappingNode):
            _no_repeated_key(node)
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
        stack.append((node, True, depth))
        stack.extend((c, False, depth + 1) for c in children if id(c) not in size)
    return size.get(id(root), 0)


def safe_load(stream: str | bytes | IO, max_nodes: int = MAX_NODES) -> Any:
    loader = _Loader(stream)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:  # the pure-Python composer recurses once per level
            raise yaml.YAMLError(_TOO_DEEP) from None
        if node is None:
            return None
        if _expanded_size(node, max_nodes) > max_nodes:
            raise yaml.YAMLError(f"the YAML expands to more than {max_nodes:,} values through its "
                                 f"aliases (&anchor / *alias); write the values out")
        return loader.construct_document(node)
    finally:
        loader.dispose()
