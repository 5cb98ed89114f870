"""The named SPARQL queries in queries/sparql/*.rq: list, read, bind parameters, run with rdflib.

Each file starts with comment lines:

    # name: suppliers_of
    # Who sells to a company ... (the description: every comment line before the first `# param`)
    # param company: entity id of the buyer (e.g. meta)

then a plain SPARQL 1.1 query that runs as it is in any SPARQL tool. A parameter's default is in
the query itself: a one-variable `VALUES ?company { "meta" }` block, or for `limit` the
`LIMIT 20` clause. Binding a parameter rewrites that block with a properly escaped term (never
pastes text into the query). Parameters documented as "entity id ..." are checked against the
graph, so a typo is an error rather than an empty answer.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef, Variable
from rdflib.term import BNode

_NAME = re.compile(r"^#\s*name:\s*(\S+)\s*$")
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\b", re.IGNORECASE)
_VALUE_TERM = re.compile(
    r'^(?:"(?P<str>(?:[^"\\]|\\.)*)"(?:\^\^(?P<dtype>\S+))?|(?P<int>-?\d+)|(?P<dec>-?\d*\.\d+))$')
CG_ID = URIRef("https://capexgraph.dev/ontology#id")


class ParamError(ValueError):
    """A parameter the query does not have, or a value of the wrong kind."""


def _values_block(name: str) -> re.Pattern:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*([^{}]*?)\s*\}", re.IGNORECASE)


@dataclass
class Param:
    name: str
    doc: str
    kind: str            # "string", "date", "integer", "decimal", "limit"
    default: Any

    @property
    def entity(self) -> bool:
        return self.doc.lower().startswith("entity id")


@dataclass
class SparqlQuery:
    name: str
    description: str
    params: dict[str, Param]
    text: str            # the whole file: comments are SPARQL comments, so it runs as it is
    path: Path


def library_dir() -> Path:
    return Path(str(resources.files("capexgraph.queries").joinpath("sparql")))


def _parse_default(name: str, term: str, path: Path) -> tuple[str, Any]:
    m = _VALUE_TERM.match(term.strip())
    if not m:
        raise ValueError(f"{path.name}: VALUES ?{name} must hold one literal (\"text\", "
                         f"\"2026-01-01\"^^xsd:date or a number), not {term!r}")
    if m.group("int") is not None:
        return "integer", int(m.group("int"))
    if m.group("dec") is not None:
        return "decimal", Decimal(m.group("dec"))
    text, dtype = m.group("str"), m.group("dtype")
    if dtype in ("xsd:date", f"<{XSD.date}>"):
        return "date", dt.date.fromisoformat(text)
    if dtype is not None:
        raise ValueError(f"{path.name}: VALUES ?{name}: unsupported datatype {dtype}")
    return "string", text


def parse_query_file(path: Path) -> SparqlQuery:
    source = path.read_text(encoding="utf-8")
    name, desc, docs = path.stem, [], {}
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break  # the header ends at the first non-comment line
        if _NAME.match(stripped):
            name = _NAME.match(stripped).group(1)
        elif _PARAM.match(stripped):
            m = _PARAM.match(stripped)
            docs[m.group(1)] = m.group(2).strip()
        elif not docs:
            desc.append(stripped.lstrip("#").strip())
    params: dict[str, Param] = {}
    for pname, doc in docs.items():
        if pname == "limit":
            m = _LIMIT.search(source)
            if not m:
                raise ValueError(f"{path.name}: documents parameter 'limit' but has no LIMIT clause")
            params[pname] = Param(pname, doc, "limit", int(m.group(1)))
            continue
        m = _values_block(pname).search(source)
        if not m:
            raise ValueError(f"{path.name}: documents parameter '{pname}' but has no VALUES ?{pname} {{ ... }} block")
        kind, default = _parse_default(pname, m.group(1), path)
        params[pname] = Param(pname, doc, kind, default)
    return SparqlQuery(name, " ".join(d for d in desc if d), params, source, path)


def load_library(directory: Path | None = None) -> dict[str, SparqlQuery]:
    queries = [parse_query_file(p) for p in sorted((directory or library_dir()).glob("*.rq"))]
    return {q.name: q for q in queries}


def _literal(param: Param, raw: str) -> Literal:
    """A parameter value (command-line text, or a default) as a typed RDF literal; ParamError if
    it is not of the parameter's kind. Used both to rewrite the query text and to bind it."""
    raw = raw.strip() if param.kind != "string" else raw
    if param.kind in ("integer", "limit"):
        try:
            value = int(raw)
        except ValueError:
            raise ParamError(f"parameter {param.name} takes a whole number, not '{raw}'") from None
        if param.kind == "limit" and value < 0:
            raise ParamError(f"parameter {param.name} must be >= 0")
        return Literal(value)
    if param.kind == "decimal":
        try:
            return Literal(Decimal(raw), datatype=XSD.decimal)
        except Exception:
            raise ParamError(f"parameter {param.name} takes a number, not '{raw}'") from None
    if param.kind == "date":
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            raise ParamError(f"parameter {param.name} takes a date YYYY-MM-DD, not '{raw}'") from None
        return Literal(value, datatype=XSD.date)
    return Literal(raw)


def _term(param: Param, raw: str) -> str:
    """The SPARQL term for a command-line value, escaped by rdflib (never raw text)."""
    lit = _literal(param, raw)
    return str(lit) if param.kind in ("integer", "limit") else lit.n3()


def bind(query: SparqlQuery, overrides: dict[str, str], graph: Graph | None = None) -> str:
    """The query text with parameters replaced (`k=v` from the command line)."""
    text = query.text
    for key, raw in overrides.items():
        if key not in query.params:
            known = ", ".join(query.params) or "none"
            raise ParamError(f"query '{query.name}' has no parameter '{key}'; its parameters: {known}")
        param = query.params[key]
        term = _term(param, raw)
        if param.entity and graph is not None and (None, CG_ID, Literal(raw)) not in graph:
            raise ParamError(f"parameter {key}: no entity with id '{raw}' in the graph")
        if param.kind == "limit":
            text = _LIMIT.sub(lambda m: f"LIMIT {term}", text, count=1)
        else:
            text = _values_block(key).sub(lambda m: f"VALUES ?{key} {{ {term} }}", text)
    return text


def plain(term: Any) -> Any:
    """A result term as a plain value: whole decimals as int, dates as ISO text, IRIs as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Literal):  # ill-typed literal: keep its text
            return str(value)
        return value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def run(query: SparqlQuery, graph: Graph, overrides: dict[str, str] | None = None
        ) -> tuple[list[str], list[dict[str, Any]]]:
    """Run a library query on an rdflib graph; (column names, rows as dicts of plain values)."""
    overrides = overrides or {}
    text = bind(query, overrides, graph)
    # The same values as initial bindings: rdflib joins a VALUES block only after evaluating the
    # rest of the query, so without them it would enumerate every company before filtering.
    init = {}
    for name, param in query.params.items():
        if param.kind == "limit":
            continue
        raw = overrides[name] if name in overrides else str(param.default)
        init[Variable(name)] = _literal(param, raw)
    result = graph.query(text, initBindings=init)
    columns = [str(v) for v in (result.vars or [])]
    rows = [{c: plain(row[i]) for i, c in enumerate(columns)} for row in result]
    return columns, rows
