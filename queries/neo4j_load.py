"""Load the graph into Neo4j (5.x; tested on 5.26) with the official driver.

Writes are batched `UNWIND $rows` statements; values are always parameters, labels and
relationship types come from the allow-list in graph/neo4j_model.py. Loading is idempotent
(MERGE on `id`), and each batch is its own transaction, so an interrupted load can simply be rerun.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import networkx as nx

from capexgraph.graph.neo4j_model import (BASE_LABEL, EXPOSURE_TYPES, STATE_LABEL, STATE_TYPES,
                                          allowed_labels, allowed_rel_types, node_rows, relationship_rows)
from capexgraph.ingest import Schema

Progress = Callable[[str, int, int], None]


@dataclass
class LoadSummary:
    nodes_created: int = 0
    nodes_updated: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    exposure_relationships: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"nodes: {self.nodes_created} created, {self.nodes_updated} updated; relationships: "
                f"{self.relationships_created} created, {self.relationships_updated} updated"
                + (f"; {self.exposure_relationships} exposure-weight relationships" if self.exposure_relationships else "")
                + f"; {self.seconds:.1f}s")


def _batches(rows: list, size: int) -> Iterable[list]:
    """Consecutive slices of at most `size` rows."""
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jLoader:
    """Idempotent loader over one driver and database.

    Batches default to 5,000 rows: one `UNWIND` transaction of that size costs Neo4j a few
    megabytes of heap and amortises the round trip, where 500-row batches spent most of their
    time waiting on the network. Created and updated counts come from the server's own result
    counters, so no extra query is spent per batch to find what already exists.
    """

    DEFAULT_BATCH_SIZE = 5000

    def __init__(self, driver, database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 progress: Progress | None = None):
        self.driver, self.database, self.batch_size = driver, database, batch_size
        self.progress = progress or (lambda stage, done, total: None)

    # --- plumbing ---------------------------------------------------------------------------
    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One write transaction; the rows as dicts (retried by the driver on transient errors)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: tx.run(query, **params).data())

    def write(self, query: str, **params: Any) -> Any:
        """One write transaction; the server's update counters (nodes_created, ...)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: tx.run(query, **params).consume().counters)

    # --- schema -----------------------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Uniqueness of `id` on loaded nodes; it is also the index every MERGE and MATCH uses."""
        self.run(f"CREATE CONSTRAINT capexgraph_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE")

    # --- load -------------------------------------------------------------------------------
    def load(self, g: nx.MultiDiGraph, schema: Schema, exposure: dict[str, Any] | None = None,
             weights=None) -> LoadSummary:
        """MERGE every node and relationship; optionally exposure scores and weight relationships."""
        start = time.perf_counter()
        summary = LoadSummary()
        self.ensure_constraints()
        labels_ok, types_ok = allowed_labels(schema), allowed_rel_types(schema)

        nodes = node_rows(g, schema)
        if exposure:
            for row in nodes:
                for prop, scores in exposure.items():
                    row["props"][prop] = float(scores.get(row["id"], 0.0))
        for row in nodes:
            if not set(row["labels"]) <= labels_ok:
                raise ValueError(f"labels {sorted(set(row['labels']) - labels_ok)} are not in the allow-list")
        query = self._node_query(sorted(labels_ok - {BASE_LABEL}))
        done = 0
        for batch in _batches(nodes, self.batch_size):
            counters = self.write(query, rows=[{"id": r["id"], "labels": r["labels"], "props": r["props"]}
                                               for r in batch])
            summary.nodes_created += counters.nodes_created
            summary.nodes_updated += len(batch) - counters.nodes_created
            done += len(batch)
            self.progress("nodes", done, len(nodes))

        rels = relationship_rows(g)
        by_type: dict[str, list[dict]] = {}
        for row in rels:
            by_type.setdefault(row["type"], []).append(row)
        done = 0
        for rtype, rows in by_type.items():
            for batch in _batches(rows, self.batch_size):
                created = self._merge_relationships(rtype, batch, types_ok)
                summary.relationships_created += created
                summary.relationships_updated += len(batch) - created
                done += len(batch)
                self.progress("relationships", done, len(rels))

        if weights is not None:
            summary.exposure_relationships = self._load_weights(weights, types_ok)
        summary.seconds = time.perf_counter() - start
        return summary

    @staticmethod
    def _node_query(labels: list[str]) -> str:
        """One statement for every node, whatever its labels: each allow-listed label is written
        into the text once, and set where the row lists it. One query text means one plan
        (a label-combination per query made 44 statements for the shipped graph, each planned
        cold on a new server), and batches that mix kinds and categories."""
        sets = " ".join(f"FOREACH (_ IN CASE WHEN '{label}' IN row.labels THEN [1] ELSE [] END | SET n:{label})"
                        for label in labels)
        return f"UNWIND $rows AS row MERGE (n:{BASE_LABEL} {{id: row.id}}) SET n = row.props {sets}"

    def _merge_relationships(self, rtype: str, rows: list[dict], types_ok: set[str]) -> int:
        """MERGE one batch of relationships of one allow-listed type; how many were new.

        One statement per type, not one for all types with a FOREACH per type: that form plans an
        Eager barrier per type and ran three times slower."""
        if rtype not in types_ok:
            raise ValueError(f"relationship type {rtype!r} is not in the allow-list")
        query = (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.source}}) "
                 f"MATCH (b:{BASE_LABEL} {{id: row.target}}) "
                 f"MERGE (a)-[r:{rtype} {{id: row.id}}]->(b) SET r = row.props")
        counters = self.write(query, rows=[{k: r[k] for k in ("id", "source", "target", "props")} for r in rows])
        return counters.relationships_created

    def _load_weights(self, weights, types_ok: set[str]) -> int:
        """The exposure model's edge weights as `*_EXPOSURE` relationships (u transmits to v), with
        the rule behind each; a network brought as an edge list has no rules, only its weights.
        The supply channel's output states go in too, for exposure run inside the database."""
        count = 0
        for channel, rtype in EXPOSURE_TYPES.items():
            if weights.edges.get(channel):
                rows = [{"id": f"{channel}:{u}->{v}", "source": u, "target": v,
                         "props": {"id": f"{channel}:{u}->{v}", "channel": channel, "w": e.w,
                                   "estimated": e.estimated, "rule": e.rule, "relationships": e.rels,
                                   "product_classes": sorted({p.product_class for p in e.parts if p.product_class})}}
                        for (u, v), e in weights.edges[channel].items() if e.w > 0]
            else:
                W = weights.matrix(channel).tocoo()
                nodes = weights.nodes
                rows = [{"id": f"{channel}:{nodes[i]}->{nodes[j]}", "source": nodes[i], "target": nodes[j],
                         "props": {"id": f"{channel}:{nodes[i]}->{nodes[j]}", "channel": channel, "w": float(w)}}
                        for i, j, w in zip(W.row.tolist(), W.col.tolist(), W.data.tolist()) if w > 0]
            total = len(rows)
            for batch in _batches(rows, self.batch_size):
                self._merge_relationships(rtype, batch, types_ok)
                count += len(batch)
                self.progress(f"{channel} weights", count, total)
        if weights.edges.get("supply"):
            count += self._load_states(weights)
        return count

    def load_network(self, weights) -> int:
        """A network brought as an edge list (`exposure --graph`'s `source,target,channel,weight`):
        a node per id and its weights, so its exposure can run in the database. Idempotent."""
        self.ensure_constraints()
        for batch in _batches(weights.nodes, self.batch_size):
            self.write(f"UNWIND $ids AS id MERGE (:{BASE_LABEL} {{id: id}})", ids=batch)
        return self._load_weights(weights, set(EXPOSURE_TYPES.values()))

    def _load_states(self, weights) -> int:
        """Replace the supply output states (derived data, rewritten whole on each load)."""
        from .layers import input_group, supply_entries

        self._delete_label(STATE_LABEL)
        self.run(f"CREATE CONSTRAINT capexgraph_state_id IF NOT EXISTS FOR (s:{STATE_LABEL}) REQUIRE s.id IS UNIQUE")
        states, entries = supply_entries(weights, weights.needs or {})
        nodes = weights.nodes
        sid = [f"{nodes[i]}|{cls}" for (i, cls) in states]
        for batch in _batches([{"id": sid[s], "node": nodes[i], "cls": cls} for (i, cls), s in states.items()],
                              self.batch_size):
            self.write(f"UNWIND $rows AS row CREATE (s:{STATE_LABEL}) SET s = row", rows=batch)
        feeds, into = [], []
        for src, t, v, w, e, p in entries:
            row = {"source": sid[src], "w": w, "country": weights.countries.get(nodes[v]),
                   "place": e.u if e.u in weights.places else None, "sites": list(p.sites),
                   "g": input_group(p)}
            if t is None:
                into.append({**row, "target": nodes[v]})
            else:
                feeds.append({**row, "target": sid[t]})
        target = {"feeds": f"(b:{STATE_LABEL} {{id: row.target}})", "into": f"(b:{BASE_LABEL} {{id: row.target}})"}
        for kind, rows in (("feeds", feeds), ("into", into)):
            for batch in _batches(rows, self.batch_size):
                self.write(f"UNWIND $rows AS row MATCH (a:{STATE_LABEL} {{id: row.source}}) MATCH {target[kind]} "
                           f"CREATE (a)-[r:{STATE_TYPES[kind]}]->(b) SET r.w = row.w, r.place = row.place, "
                           f"r.sites = row.sites, r.country = row.country, r.g = row.g", rows=batch)
        return len(feeds) + len(into)

    def _delete_label(self, label: str) -> int:
        """Delete every node of one of this tool's labels, a batch per transaction."""
        total = 0
        while True:
            rows = self.run(f"MATCH (n:{label}) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS c",
                            batch=self.batch_size)
            deleted = int(rows[0]["c"]) if rows else 0
            total += deleted
            if deleted < self.batch_size:
                return total

    def wipe(self) -> int:
        """Delete every node this tool loaded (and their relationships), and the exposure states
        derived from them; nothing else. A batch per transaction, so a large graph never has to
        fit in one transaction's memory."""
        self._delete_label(STATE_LABEL)
        return self._delete_label(BASE_LABEL)

    def counts(self) -> dict[str, int]:
        nodes = self.run(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS c")[0]["c"]
        rels = self.run(f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) WHERE NOT type(r) ENDS WITH '_EXPOSURE' "
                        f"RETURN count(r) AS c")[0]["c"]
        return {"nodes": int(nodes), "relationships": int(rels)}
