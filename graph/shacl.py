"""The SHACL check of the RDF export: graph/shapes.ttl, run with pySHACL, one line per violation.

The shapes need the ontology's class hierarchy (a cg:Foundry is a cg:Company is a cg:Entity);
`to_rdf` writes it into every export, so a stock `pyshacl -s graph/shapes.ttl export.ttl` agrees
with `shacl_validate` here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal

from .rdf import PREFIXES, SCHEMA, SH, ontology


def shapes_path() -> Path:
    return Path(str(resources.files("capexgraph.graph").joinpath("shapes.ttl")))


@dataclass
class Violation:
    severity: str
    focus: str        # e.g. "rel:bad-amount" (the focus node, with the cg:id or name if it has one)
    path: str         # e.g. "cg:amount"
    message: str
    value: str | None

    def line(self) -> str:
        where = f"{self.focus}  {self.path}" if self.path else self.focus
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ShaclReport:
    conforms: bool
    violations: list[Violation]
    triples: int


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def _short(rdf: Graph, term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        return json.dumps(text if len(text) <= 80 else text[:77] + "...", ensure_ascii=False)
    if isinstance(term, BNode):
        return "[blank node]"
    for prefix, ns in PREFIXES.items():
        if str(term).startswith(str(ns)) and prefix not in ("rdf", "rdfs", "xsd"):
            return f"{prefix}:{str(term)[len(str(ns)):]}"
    try:
        return rdf.namespace_manager.normalizeUri(term)
    except Exception:
        return f"<{term}>"


def _path_text(results: Graph, path) -> str:
    if path is None:
        return ""
    if isinstance(path, BNode):  # complex path: show the inverse or sequence plainly
        inv = results.value(path, SH.inversePath)
        if inv is not None:
            return "^" + _short(results, inv)
        return "(complex path)"
    return _short(results, path)


def shacl_validate(rdf: Graph) -> ShaclReport:
    """Validate an RDF graph against graph/shapes.ttl (with the ontology's class hierarchy)."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(rdf, shacl_graph=shapes(), ont_graph=ontology(),
                                            inference="none", abort_on_first=False,
                                            allow_infos=True, allow_warnings=True)
    violations = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        label = _short(rdf, focus)
        name = rdf.value(focus, SCHEMA.name) if focus is not None else None
        if name is not None and isinstance(name, Literal) and not name.language:
            label += f" ({_short(rdf, name)})"
        severity = results.value(res, SH.resultSeverity)
        sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        message = results.value(res, SH.resultMessage)
        value = results.value(res, SH.value)
        violations.append(Violation(
            severity=sev, focus=label, path=_path_text(results, results.value(res, SH.resultPath)),
            message=str(message) if message is not None else "does not conform",
            value=_short(rdf, value) if value is not None and value != focus else None))
    unique = {(v.focus, v.path, v.message, v.value): v for v in violations}
    violations = sorted(unique.values(), key=lambda v: (v.focus, v.path, v.message))
    return ShaclReport(bool(conforms), violations, len(rdf))
