"""The named Cypher queries in queries/cypher/*.cypher: list, read, and run them with parameters.

Each file starts with `// name: ...` and comment lines that say what it answers, then Neo4j
Browser `:param name => value;` lines (so the file runs as pasted into Browser), then the query.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

_PARAM = re.compile(r"^\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?);?\s*$")


@dataclass
class CypherQuery:
    name: str
    description: str
    params: dict[str, Any]
    text: str        # the query without comments or :param lines
    source: str      # the whole file, as pasted into Browser
    path: Path


def library_dir() -> Path:
    return Path(str(resources.files("capexgraph.queries").joinpath("cypher")))


def parse_literal(text: str) -> Any:
    """A Cypher literal (string, number, boolean, null, list, map) as a Python value.

    >>> parse_literal("{jur_tw: 1.0, 'x': [1, 'a']}")
    {'jur_tw': 1.0, 'x': [1, 'a']}
    >>> parse_literal("true"), parse_literal("null"), parse_literal("'meta'")
    (True, None, 'meta')
    """
    if len(text) > 100_000:
        raise ParamValueError(f"a {len(text):,}-character parameter is more than a query needs")
    py = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:", r"\1'\2':", text.strip())
    py = re.sub(r"\btrue\b", "True", py)
    py = re.sub(r"\bfalse\b", "False", py)
    py = re.sub(r"\bnull\b", "None", py)
    try:
        value = ast.literal_eval(py)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError(f"'{text}' is not a Cypher literal (quote strings: 'meta')") from None
    problem = neo4j_value_problem(value)
    if problem:
        raise ParamValueError(f"'{text}': {problem}")
    return value


class ParamValueError(ValueError):
    """A parameter that parses but is not a value Neo4j can hold (a set, bytes, inf, ...)."""


_INT64 = 2 ** 63


def neo4j_value_problem(value: Any, depth: int = 0) -> str | None:
    """Why a Python value cannot be a Cypher parameter, or None: Neo4j holds strings, numbers
    (64-bit integers, finite floats), booleans, null, lists of these and maps with string keys.

    >>> [neo4j_value_problem(v) for v in ("a", 1, 0.5, None, [1, "a"], {"k": [True]})]
    [None, None, None, None, None, None]
    >>> neo4j_value_problem({1, 2}), neo4j_value_problem(float("inf")), neo4j_value_problem({1: "a"})
    ('a set is not a Cypher value: use a list [1, 2]', 'inf is not a number Neo4j stores (finite floats only)', 'map keys must be strings, not 1')
    """
    if depth > 50:
        return "nested more than 50 levels deep"
    if value is None or isinstance(value, (bool, str)):
        return None
    if isinstance(value, int):
        return None if -_INT64 <= value < _INT64 else f"{value} does not fit a 64-bit integer"
    if isinstance(value, float):
        return None if value == value and abs(value) != float("inf") else (
            f"{value} is not a number Neo4j stores (finite floats only)")
    if isinstance(value, (list, tuple)):
        return next((p for p in (neo4j_value_problem(v, depth + 1) for v in value) if p), None)
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"map keys must be strings, not {k!r}"
            p = neo4j_value_problem(v, depth + 1)
            if p:
                return p
        return None
    kind = {set: "a set", frozenset: "a set", complex: "a complex number", bytes: "bytes"}.get(type(value),
                                                                                          type(value).__name__)
    hint = ": use a list [1, 2]" if kind == "a set" else ""
    return f"{kind} is not a Cypher value{hint}"


def parse_query_file(path: Path) -> CypherQuery:
    source = path.read_text(encoding="utf-8")
    name, desc, params, body = path.stem, [], {}, []
    for line in source.splitlines():
        stripped = line.strip()
        m = _PARAM.match(line)
        if m:
            params[m.group(1)] = parse_literal(m.group(2))
        elif stripped.startswith("// name:"):
            name = stripped.split(":", 1)[1].strip()
        elif stripped.startswith("//"):
            if not body:
                desc.append(stripped[2:].strip())
        else:
            body.append(line)
    text = "\n".join(body).strip().rstrip(";").strip()
    return CypherQuery(name, " ".join(desc), params, text, source, path)


def load_library(directory: Path | None = None) -> dict[str, CypherQuery]:
    queries = [parse_query_file(p) for p in sorted((directory or library_dir()).glob("*.cypher"))]
    return {q.name: q for q in queries}


def bind(query: CypherQuery, overrides: dict[str, str]) -> dict[str, Any]:
    """The query's default parameters with command-line overrides (`k=v`, v a Cypher literal or bare text)."""
    params = dict(query.params)
    for key, raw in overrides.items():
        if key not in params:
            raise KeyError(key)
        try:
            params[key] = parse_literal(raw)
        except ParamValueError:
            raise
        except ValueError:
            params[key] = raw  # bare text such as --param company=meta
    return params
