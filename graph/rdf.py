"""The graph as RDF (Turtle, JSON-LD, N-Triples) with rdflib, and the way back.

Vocabulary: graph/ontology.ttl (namespace https://capexgraph.dev/ontology#, prefix `cg`). Data
resources live under https://capexgraph.dev/id/ (`entity/`, `relationship/`, `source/`, `fact/`;
ids are percent-encoded, so any id makes a valid IRI).

- A node is a resource typed with its kind's class (cg:Company ...) and one class per category.
- A relationship is a resource of its own (cg:Supply, cg:Investment ...: a cg:Relationship) with
  cg:from / cg:to, amount (xsd:decimal), date (xsd:date), status ... and prov:wasDerivedFrom its
  sources; a shortcut triple (`ent:corning cg:supplies ent:meta`) links the endpoints directly.
- A source is a cg:Source (a prov:Entity) with dcterms:publisher, dcterms:title, schema:url
  (xsd:anyURI literal: an untrusted URL never has to be a valid IRI) and dcterms:date.
- Names are schema:name; the Korean name is the same property with a `@ko` language tag.
- Lists keep their order as rdf:List (cg:aliasList, cg:categoryList, cg:sourceList ...) and are
  also stated value by value (schema:alternateName, cg:category, prov:wasDerivedFrom) for queries.
- Anything outside the vocabulary travels as a JSON object (cg:extraAttributes), so a round trip
  loses nothing.

`write_rdf(g, path, fmt)` / `read_rdf(path, fmt)` are the file format pair; `to_rdf(g)` /
`from_rdf(rdf_graph)` work in memory; graph/shacl.py checks the result against graph/shapes.ttl.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote, unquote

import networkx as nx
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV

from capexgraph.ingest.atomic import atomic_file

from .build import EDGE_ATTRS, NODE_ATTRS
from .plain import STRUCTURED, from_plain, to_plain

CG = Namespace("https://capexgraph.dev/ontology#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ID_BASE = "https://capexgraph.dev/id/"
ENT = Namespace(ID_BASE + "entity/")
REL = Namespace(ID_BASE + "relationship/")
SRC = Namespace(ID_BASE + "source/")
FACT = Namespace(ID_BASE + "fact/")
DATASET = URIRef(ID_BASE + "dataset")

PREFIXES = {"cg": CG, "schema": SCHEMA, "prov": PROV, "dcterms": DCTERMS, "xsd": XSD,
            "rdf": RDF, "rdfs": RDFS, "ent": ENT, "rel": REL, "src": SRC, "fact": FACT}

#: format name -> (rdflib format, what the user gets)
RDF_FORMATS = {
    "ttl": ("turtle", "RDF Turtle (one file; the vocabulary is graph/ontology.ttl)"),
    "jsonld": ("json-ld", "RDF JSON-LD (one file, self-contained @context)"),
    "nt": ("nt", "RDF N-Triples (one file, one triple a line)"),
}
EXTENSIONS = {".ttl": "ttl", ".turtle": "ttl", ".jsonld": "jsonld", ".json": "jsonld", ".nt": "nt"}


class RDFError(ValueError):
    """An RDF file that cannot be read, or does not describe a capexgraph graph: one clear line."""


# --- the vocabulary, read from graph/ontology.ttl ------------------------------------------------
def ontology_path() -> Path:
    return Path(str(resources.files("capexgraph.graph").joinpath("ontology.ttl")))


@lru_cache(maxsize=1)
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


@dataclass(frozen=True)
class Vocabulary:
    kind_class: dict[str, URIRef]
    category_class: dict[str, URIRef]
    rel_class: dict[str, URIRef]
    rel_shortcut: dict[str, URIRef]
    node_classes: frozenset
    rel_classes: frozenset


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    o = ontology()
    kinds = {str(code): cls for cls, code in o.subject_objects(CG.kindCode)}
    cats = {str(code): cls for cls, code in o.subject_objects(CG.categoryCode)}
    rels = {str(code): cls for cls, code in o.subject_objects(CG.relationshipTypeCode)}
    shortcut = {code: o.value(cls, CG.shortcutProperty) for code, cls in rels.items()}
    return Vocabulary(kinds, cats, rels, shortcut,
                      frozenset([CG.Entity, *kinds.values(), *cats.values()]),
                      frozenset([CG.Relationship, *rels.values()]))


# --- attribute <-> predicate tables -------------------------------------------------------------
# kind: "str" plain literal, "ko" Korean-tagged literal, "num" xsd:decimal, "date" xsd:date
NODE_SCALARS = {
    "name": (SCHEMA.name, "str"), "name_ko": (SCHEMA.name, "ko"),
    "ticker": (SCHEMA.tickerSymbol, "str"), "exchange": (CG.exchange, "str"),
    "country": (CG.country, "str"), "kind": (CG.kind, "str"), "note": (CG.note, "str"),
    "revenue_usd": (CG.revenueUSD, "num"), "revenue_usd_period": (CG.revenueUSDPeriod, "str"),
    "capex_usd": (CG.capexUSD, "num"), "capex_usd_period": (CG.capexUSDPeriod, "str"),
    "china_revenue_share": (CG.chinaRevenueShare, "num"),
    "china_revenue_share_period": (CG.chinaRevenueSharePeriod, "str"),
}
#: list attribute -> (predicate per value, predicate of the ordered rdf:List)
NODE_LISTS = {"aliases": (SCHEMA.alternateName, CG.aliasList),
              "category": (CG.category, CG.categoryList),
              "source_ids": (CG.sourceId, CG.sourceIdList)}
EDGE_SCALARS = {
    "type": (CG.relationshipType, "str"), "product": (CG.product, "str"),
    "product_class": (CG.productClass, "str"),
    "amount": (CG.amount, "num"), "currency": (CG.currency, "str"),
    "amount_qualifier": (CG.amountQualifier, "str"), "amount_usd": (CG.amountUSD, "num"),
    "amount_usd_note": (CG.amountUSDNote, "str"),
    "term": (CG["term"], "str"), "date": (CG.date, "date"), "date_precision": (CG.datePrecision, "str"),
    "status": (CG.status, "str"), "note": (CG.note, "str"),
}
FACT_SCALARS = {
    "id": (CG.id, "str"), "metric": (CG.metric, "str"), "value": (CG.value, "num"),
    "unit": (CG.unit, "str"), "period": (CG.period, "str"), "qualifier": (CG.qualifier, "str"),
    "segment": (CG.segment, "str"), "basis": (CG.basis, "str"), "note": (CG.note, "str"),
    "value_usd": (CG.valueUSD, "num"), "usd_note": (CG.usdNote, "str"),
}
FACT_KEYS = ("id", "entity", "metric", "value", "unit", "period", "qualifier", "counterparty",
             "segment", "basis", "value_usd", "usd_note", "source", "note")
SOURCE_SCALARS = {
    "id": (CG.id, "str"), "publisher": (DCTERMS.publisher, "str"), "title": (DCTERMS.title, "str"),
    "url": (SCHEMA.url, "url"), "date": (DCTERMS.date, "date"), "date_basis": (CG.dateBasis, "str"),
}
SOURCE_KEYS = tuple(SOURCE_SCALARS)


def _iri(ns: Namespace, ident: Any) -> URIRef:
    return ns[quote(str(ident), safe="")]


def _decode(ns: Namespace, term) -> str:
    text = str(term)
    return unquote(text[len(str(ns)):]) if text.startswith(str(ns)) else text


def _literal(value: Any, kind: str) -> Literal:
    if kind == "ko":
        return Literal(str(value), lang="ko")
    if kind == "url":
        return Literal(str(value), datatype=XSD.anyURI)
    if kind == "num" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return Literal(value, datatype=XSD.double)
        dec = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
        return Literal(format(dec, "f"), datatype=XSD.decimal)
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, str):
        return Literal(value)
    return Literal(json.dumps(to_plain(value), ensure_ascii=False), datatype=RDF.JSON)


def _python(term) -> Any:
    """A literal back as the value the graph holds (decimals as float, dates as date)."""
    if not isinstance(term, Literal):
        return str(term)
    dtype = term.datatype
    if dtype in (XSD.decimal, XSD.double, XSD.float):
        try:
            return float(Decimal(str(term)))
        except InvalidOperation:
            return float(str(term))
    if dtype in (XSD.integer, XSD.int, XSD.long):
        return int(str(term))
    if dtype == XSD.date:
        return dt.date.fromisoformat(str(term))
    if dtype == XSD.dateTime:
        return dt.datetime.fromisoformat(str(term))
    if dtype == RDF.JSON:
        return json.loads(str(term))
    return str(term)


# --- graph -> RDF --------------------------------------------------------------------------------
class _Writer:
    def __init__(self) -> None:
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns, override=True, replace=True)
        self.vocab = vocabulary()
        self.sources: dict[str, URIRef] = {}
        self.used: set[URIRef] = set()

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def ordered(self, subject, list_pred, values: list) -> None:
        if not values:
            self.add(subject, list_pred, RDF.nil)
            return
        head = BNode()
        Collection(self.g, head, values)
        self.add(subject, list_pred, head)

    def extras(self, subject, attrs: dict, known: Iterable[str]) -> None:
        extra = {k: v for k, v in attrs.items() if k not in set(known)}
        if extra:
            self.add(subject, CG.extraAttributes,
                     Literal(json.dumps(to_plain(extra), ensure_ascii=False, sort_keys=True), datatype=RDF.JSON))

    def scalars(self, subject, attrs: dict, table: dict) -> None:
        for key, (pred, kind) in table.items():
            value = attrs.get(key)
            if value is not None:
                self.add(subject, pred, _literal(value, kind))

    def source(self, src: dict):
        """The source's resource, written once per distinct source (an id with two different
        contents, which a valid dataset never has, gets a second resource rather than losing one)."""
        sid = src.get("id")
        if sid is None:
            node = BNode()
        else:
            content = json.dumps(to_plain(src), sort_keys=True, ensure_ascii=False)
            if content in self.sources:
                return self.sources[content]
            node, n = _iri(SRC, sid), 1
            while node in self.used:
                n += 1
                node = URIRef(f"{_iri(SRC, sid)}--{n}")
            self.used.add(node)
            self.sources[content] = node
        self.add(node, RDF.type, CG.Source)
        self.scalars(node, src, SOURCE_SCALARS)
        self.extras(node, src, SOURCE_KEYS)
        return node

    def fact(self, owner_id: str, fact: dict, index: int):
        fid = fact.get("id")
        node = _iri(FACT, fid) if fid is not None else BNode()
        self.add(node, RDF.type, CG.Fact)
        self.scalars(node, fact, FACT_SCALARS)
        if fact.get("entity") is not None:
            self.add(node, CG.entity, _iri(ENT, fact["entity"]))
        if fact.get("counterparty") is not None:
            self.add(node, CG.counterparty, _iri(ENT, fact["counterparty"]))
        if isinstance(fact.get("source"), dict):
            self.add(node, PROV.wasDerivedFrom, self.source(fact["source"]))
        elif fact.get("source") is not None:
            raise ValueError(f"fact {fid or index} of {owner_id}: source is not a mapping")
        self.extras(node, fact, FACT_KEYS)
        return node

    def node(self, nid: str, attrs: dict) -> None:
        n = _iri(ENT, nid)
        kind = attrs.get("kind")
        self.add(n, RDF.type, self.vocab.kind_class.get(kind, CG.Entity))
        self.add(n, CG.id, Literal(str(nid)))
        for cat in attrs.get("category") or []:
            if cat in self.vocab.category_class:
                self.add(n, RDF.type, self.vocab.category_class[cat])
        self.scalars(n, attrs, NODE_SCALARS)
        for key, (each, ordered) in NODE_LISTS.items():
            values = attrs.get(key)
            if values is None:
                continue
            lits = [Literal(str(v)) for v in values]
            for lit in lits:
                self.add(n, each, lit)
            self.ordered(n, ordered, lits)
        facts = attrs.get("facts")
        if facts is not None:
            nodes = [self.fact(nid, f, i) for i, f in enumerate(facts)]
            for f in nodes:
                self.add(n, CG.hasFact, f)
            self.ordered(n, CG.factList, nodes)
        self.extras(n, attrs, [*NODE_SCALARS, *NODE_LISTS, "facts"])

    def edge(self, u: str, v: str, key: str, attrs: dict) -> None:
        r = _iri(REL, key)
        rtype = attrs.get("type")
        self.add(r, RDF.type, CG.Relationship)
        if rtype in self.vocab.rel_class:
            self.add(r, RDF.type, self.vocab.rel_class[rtype])
            self.add(_iri(ENT, u), self.vocab.rel_shortcut[rtype], _iri(ENT, v))
        self.add(r, CG.id, Literal(str(key)))
        self.add(r, CG["from"], _iri(ENT, u))
        self.add(r, CG.to, _iri(ENT, v))
        self.scalars(r, attrs, EDGE_SCALARS)
        ids = attrs.get("source_ids")
        if ids is not None:
            lits = [Literal(str(i)) for i in ids]
            for lit in lits:
                self.add(r, CG.sourceId, lit)
            self.ordered(r, CG.sourceIdList, lits)
        sources = attrs.get("sources")
        if sources is not None:
            nodes = [self.source(s) for s in sources]
            for s in nodes:
                self.add(r, PROV.wasDerivedFrom, s)
            self.ordered(r, CG.sourceList, nodes)
        known = [*EDGE_SCALARS, "source_ids", "sources"]
        if attrs.get("id", key) == key:
            known.append("id")  # the edge key itself, restored from cg:id
        self.extras(r, attrs, known)


def to_rdf(g: nx.MultiDiGraph) -> Graph:
    """The whole graph as an rdflib Graph (nodes, relationships, facts, sources, graph attributes)."""
    w = _Writer()
    w.add(DATASET, RDF.type, CG.Dataset)
    w.add(DATASET, DCTERMS.conformsTo, URIRef("https://capexgraph.dev/ontology"))
    if g.graph.get("name"):
        w.add(DATASET, SCHEMA.name, Literal(str(g.graph["name"])))
    w.extras(DATASET, dict(g.graph), [])
    # The ontology's class hierarchy travels with the data, so a stock SHACL validator
    # (`pyshacl -s shapes.ttl export.ttl`) sees that a cg:Foundry is a cg:Company is a cg:Entity.
    for sub, sup in ontology().subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            w.add(sub, RDFS.subClassOf, sup)
    for nid, attrs in g.nodes(data=True):
        w.node(nid, attrs)
    for u, v, key, attrs in g.edges(keys=True, data=True):
        w.edge(u, v, key, attrs)
    return w.g


def _context() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize(rdf: Graph, fmt: str) -> str:
    rdflib_fmt = _rdflib_format(fmt)
    if rdflib_fmt == "json-ld":
        return rdf.serialize(format="json-ld", context=_context(), indent=1)
    return rdf.serialize(format=rdflib_fmt)


def write_rdf(g: nx.MultiDiGraph, path: Path | str, fmt: str = "ttl") -> None:
    """Write the graph as Turtle, JSON-LD or N-Triples; the target appears only once complete."""
    text = serialize(to_rdf(g), fmt)
    with atomic_file(Path(path), parents=True) as tmp:
        tmp.write_text(text, encoding="utf-8")


SCORE = Namespace(ID_BASE + "exposure/")


def exposure_rdf(scenario: str, title: str, scores: dict[str, tuple[float, float]]) -> Graph:
    """A scenario's scores as linked data: one cg:ExposureScore per company with a loss or a gain
    (loss and gain each in [0, 1], net = loss - gain), pointing at the company's entity IRI."""
    rdf = Graph()
    for prefix, ns in (("cg", CG), ("ent", ENT), ("score", SCORE)):
        rdf.bind(prefix, ns)
    run = SCORE[quote(scenario, safe="")]
    rdf.add((run, RDF.type, CG.ExposureScenario))
    rdf.add((run, CG.scenario, Literal(scenario)))
    rdf.add((run, DCTERMS.title, Literal(title)))
    for node, (loss, gain) in scores.items():
        if loss <= 0 and gain <= 0:
            continue
        s = SCORE[quote(f"{scenario}/{node}", safe="")]
        rdf.add((s, RDF.type, CG.ExposureScore))
        rdf.add((s, CG.inScenario, run))
        rdf.add((s, CG.scoreOf, _iri(ENT, node)))
        for pred, value in ((CG.loss, loss), (CG.gain, gain), (CG.net, loss - gain)):
            rdf.add((s, pred, _literal(round(float(value), 12), "num")))
    return rdf


def write_exposure_rdf(path: Path | str, scenario: str, title: str,
                       scores: dict[str, tuple[float, float]], fmt: str | None = None) -> None:
    text = serialize(exposure_rdf(scenario, title, scores), fmt or guess_format(path))
    with atomic_file(Path(path), parents=True) as tmp:
        tmp.write_text(text, encoding="utf-8")


# --- RDF -> graph --------------------------------------------------------------------------------
def _rdflib_format(fmt: str) -> str:
    if fmt in RDF_FORMATS:
        return RDF_FORMATS[fmt][0]
    if fmt in {v[0] for v in RDF_FORMATS.values()}:
        return fmt
    raise RDFError(f"unknown RDF format '{fmt}'; valid: {', '.join(RDF_FORMATS)}")


def guess_format(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise RDFError(f"{path}: cannot tell the RDF format from the extension '{suffix}'; "
                       f"give --format ({', '.join(RDF_FORMATS)})")
    return EXTENSIONS[suffix]


def parse_rdf(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file into an rdflib Graph; RDFError with one line if it cannot be read."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    rdflib_fmt = _rdflib_format(fmt)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RDFError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            return Graph().parse(data=data, format=rdflib_fmt)
    except Exception as exc:  # rdflib raises many kinds (BadSyntax, ParserError, JSON errors ...)
        raise RDFError(f"{path} is not valid {fmt}: {_parse_problem(exc)}") from None


def _parse_problem(exc: Exception) -> str:
    """One line about a parser failure, without the parser's dump of the input."""
    why = getattr(exc, "_why", None)
    if why is not None and getattr(exc, "lines", None) is not None:
        text = f"line {exc.lines + 1}: {why}"
    else:
        text = " ".join(str(exc).split()) or type(exc).__name__
    text = text.split(" at ^ in:")[0]
    return text if len(text) <= 200 else text[:197] + "..."


class _Reader:
    def __init__(self, rdf: Graph) -> None:
        self.rdf = rdf
        self.props: dict[Any, dict[Any, list]] = {}
        for s, p, o in rdf:
            self.props.setdefault(s, {}).setdefault(p, []).append(o)
        self.vocab = vocabulary()

    def values(self, s, p) -> list:
        return self.props.get(s, {}).get(p, [])

    def one(self, s, p, what: str):
        vals = self.values(s, p)
        if len(vals) > 1:
            raise RDFError(f"{self.label(s)} has {len(vals)} values for {self.rdf.qname(p) if isinstance(p, URIRef) else p}"
                           f" ({what}); expected one")
        return vals[0] if vals else None

    def label(self, s) -> str:
        try:
            return self.rdf.namespace_manager.normalizeUri(s) if isinstance(s, URIRef) else f"_:{s}"
        except Exception:
            return str(s)

    def ordered(self, s, list_pred, each_pred=None) -> list | None:
        head = self.one(s, list_pred, "ordered list")
        if head is not None:
            return list(Collection(self.rdf, head))
        if each_pred is not None and self.values(s, each_pred):
            return sorted(self.values(s, each_pred), key=str)
        return None

    def scalars(self, s, table: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        by_pred: dict = {}
        for key, (pred, kind) in table.items():
            by_pred.setdefault(pred, []).append((key, kind))
        for pred, keys in by_pred.items():
            vals = self.values(s, pred)
            for key, kind in keys:
                if kind == "ko":
                    hits = [v for v in vals if isinstance(v, Literal) and v.language == "ko"]
                elif len(keys) > 1:  # schema:name: the untagged one is the name
                    hits = [v for v in vals if not (isinstance(v, Literal) and v.language == "ko")]
                else:
                    hits = vals
                if len(hits) > 1:
                    raise RDFError(f"{self.label(s)} has {len(hits)} values for {key}; expected one")
                out[key] = _python(hits[0]) if hits else None
        return out

    def extras(self, s) -> dict[str, Any]:
        lit = self.one(s, CG.extraAttributes, "further attributes")
        return from_plain(json.loads(str(lit))) if lit is not None else {}

    def ident(self, s, ns: Namespace) -> str:
        lit = self.one(s, CG.id, "id")
        return str(lit) if lit is not None else _decode(ns, s)

    def source(self, s) -> dict:
        src = self.scalars(s, SOURCE_SCALARS)
        src.update(self.extras(s))
        return src

    def fact(self, s) -> dict:
        fact = self.scalars(s, FACT_SCALARS)
        ent = self.one(s, CG.entity, "entity")
        cp = self.one(s, CG.counterparty, "counterparty")
        src = self.one(s, PROV.wasDerivedFrom, "source")
        fact["entity"] = self.entity_id(ent) if ent is not None else None
        fact["counterparty"] = self.entity_id(cp) if cp is not None else None
        fact["source"] = self.source(src) if src is not None else None
        fact.update(self.extras(s))
        return {k: fact[k] for k in [*FACT_KEYS, *(k for k in fact if k not in FACT_KEYS)]}

    def entity_id(self, s) -> str:
        return self.ident(s, ENT)

    def subjects_typed(self, classes) -> list:
        found = {s for s in self.props if any(t in classes for t in self.values(s, RDF.type))}
        return sorted(found, key=str)

    def graph(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        dataset = self.subjects_typed({CG.Dataset})
        for d in dataset[:1]:
            g.graph.update(self.extras(d))
            if "name" not in g.graph and self.values(d, SCHEMA.name):
                g.graph["name"] = str(self.values(d, SCHEMA.name)[0])
        nodes = self.subjects_typed(self.vocab.node_classes)
        if not dataset and not nodes and not self.subjects_typed(self.vocab.rel_classes):
            raise RDFError(f"no capexgraph entities or relationships in it ({len(self.rdf)} triples; "
                           f"expected the vocabulary of {CG})")
        for n in nodes:
            nid = self.entity_id(n)
            attrs = self.scalars(n, NODE_SCALARS)
            for key, (each, ordered) in NODE_LISTS.items():
                vals = self.ordered(n, ordered, each)
                attrs[key] = [str(v) for v in vals] if vals is not None else []
            facts = self.ordered(n, CG.factList, CG.hasFact)
            attrs["facts"] = [self.fact(f) for f in facts] if facts is not None else []
            attrs.update(self.extras(n))
            g.add_node(nid, **attrs)
        for r in self.subjects_typed(self.vocab.rel_classes):
            key = self.ident(r, REL)
            ends = []
            for pred, what in ((CG["from"], "source endpoint cg:from"), (CG.to, "target endpoint cg:to")):
                end = self.one(r, pred, what)
                if end is None:
                    raise RDFError(f"relationship {self.label(r)} has no {what}")
                ends.append(self.entity_id(end))
            attrs = self.scalars(r, EDGE_SCALARS)
            if attrs.get("type") is None:
                codes = [c for c, cls in self.vocab.rel_class.items() if cls in self.values(r, RDF.type)]
                attrs["type"] = codes[0] if len(codes) == 1 else None
            ids = self.ordered(r, CG.sourceIdList, CG.sourceId)
            srcs = self.ordered(r, CG.sourceList, PROV.wasDerivedFrom)
            attrs["sources"] = [self.source(s) for s in srcs] if srcs is not None else []
            attrs["source_ids"] = ([str(i) for i in ids] if ids is not None
                                   else [s.get("id") for s in attrs["sources"] if s.get("id")])
            attrs.update(self.extras(r))
            attrs.setdefault("id", key)
            for end in ends:
                if end not in g:
                    g.add_node(end)
            g.add_edge(ends[0], ends[1], key=key, **attrs)
        return _fill_missing(g)


def _fill_missing(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for _, data in g.nodes(data=True):
        for key in NODE_ATTRS:
            data.setdefault(key, [] if key in STRUCTURED else None)
    for *_, data in g.edges(keys=True, data=True):
        for key in EDGE_ATTRS:
            data.setdefault(key, [] if key in STRUCTURED else None)
    return g


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """Inverse of `to_rdf`: every node, edge, attribute, fact and source back."""
    return _Reader(rdf).graph()


def read_rdf(path: Path | str, fmt: str | None = None) -> nx.MultiDiGraph:
    """Read a Turtle / JSON-LD / N-Triples file written by `write_rdf` (format from the extension if not given)."""
    rdf = parse_rdf(path, fmt)
    try:
        return from_rdf(rdf)
    except RDFError as exc:
        raise RDFError(f"{path}: {exc}") from None


# --- the FORMATS registry entries (graph/formats.py) ---------------------------------------------
def _writer(fmt: str):
    def write(g: nx.MultiDiGraph, path: Path) -> None:
        write_rdf(g, path, fmt)
    write.__name__ = f"write_{fmt}"
    return write


def _reader(fmt: str):
    def read(path: Path) -> nx.MultiDiGraph:
        return read_rdf(path, fmt)
    read.__name__ = f"read_{fmt}"
    return read


#: name -> (writer(g, path), reader(path), description): `FORMATS.update(RDF_FORMAT_ENTRIES)`
RDF_FORMAT_ENTRIES = {fmt: (_writer(fmt), _reader(fmt), desc) for fmt, (_, desc) in RDF_FORMATS.items()}
