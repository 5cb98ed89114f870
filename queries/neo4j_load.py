"""Load the graph into Neo4j (or another openCypher server that speaks Bolt) with the official driver.

Writes are batched `UNWIND $rows` statements; values are always parameters, labels and
relationship types come from the allow-list in graph/neo4j_model.py. Loading is idempotent
(MERGE on `id`), and each batch is its own transaction, so an interrupted load can simply be rerun.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import networkx as nx

from capexgraph.graph.neo4j_model import (BASE_LABEL, EXPOSURE_TYPES, allowed_labels,
                                          allowed_rel_types, node_rows, relationship_rows)
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
    dialect: str = "neo4j"
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"nodes: {self.nodes_created} created, {self.nodes_updated} updated; relationships: "
                f"{self.relationships_created} created, {self.relationships_updated} updated"
                + (f"; {self.exposure_relationships} exposure-weight relationships" if self.exposure_relationships else "")
                + f"; {self.seconds:.1f}s ({self.dialect})")


def _escape_for_falkordb(value: Any) -> Any:
    """FalkorDB's Bolt endpoint splices string parameters into the query text, so quotes and
    backslashes inside values must be escaped for them to arrive as plain text."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"')
    if isinstance(value, list):
        return [_escape_for_falkordb(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape_for_falkordb(v) for k, v in value.items()}
    return value


def _batches(rows: list, size: int, max_bytes: int | None = None) -> Iterable[list]:
    """At most `size` rows per batch, and (when given) at most about `max_bytes` of JSON."""
    batch: list = []
    used = 0
    for row in rows:
        cost = len(json.dumps(row, ensure_ascii=False, default=str).encode()) if max_bytes else 0
        if batch and (len(batch) >= size or (max_bytes and used + cost > max_bytes)):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += cost
    if batch:
        yield batch


class Neo4jLoader:
    """Idempotent loader over one driver and database."""

    #: FalkorDB (4.16) splices parameters into the query text and its Bolt endpoint crashes on
    #: messages of more than a few kilobytes, so batches there are also capped by size.
    FALKORDB_MAX_BYTES = 2500

    def __init__(self, driver, database: str | None = None, batch_size: int = 500,
                 progress: Progress | None = None):
        self.driver, self.database, self.batch_size = driver, database, batch_size
        self.progress = progress or (lambda stage, done, total: None)
        self._dialect: str | None = None

    # --- plumbing ---------------------------------------------------------------------------
    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        if self.dialect == "falkordb":
            params = {k: _escape_for_falkordb(v) for k, v in params.items()}
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: tx.run(query, **params).data())

    @property
    def dialect(self) -> str:
        """'neo4j' where `dbms.components()` answers (Neo4j), 'falkordb' otherwise."""
        if self._dialect is None:
            try:
                with self.driver.session(database=self.database) as session:
                    rows = session.run("CALL dbms.components() YIELD name RETURN name").data()
                self._dialect = "neo4j" if rows else "falkordb"
            except Exception:  # noqa: BLE001 - any refusal means: not Neo4j
                self._dialect = "falkordb"
        return self._dialect

    # --- schema -----------------------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Uniqueness of `id` on loaded nodes (Neo4j 5); an index on FalkorDB, which has none."""
        if self.dialect == "neo4j":
            self.run(f"CREATE CONSTRAINT capexgraph_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE")
        else:
            existing = self.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
            if not any(r["label"] == BASE_LABEL and "id" in r["properties"] for r in existing):
                self.run(f"CREATE INDEX FOR (n:{BASE_LABEL}) ON (n.id)")

    # --- load -------------------------------------------------------------------------------
    def _max_bytes(self) -> int | None:
        return self.FALKORDB_MAX_BYTES if self.dialect == "falkordb" else None

    def _existing(self, ids: list[str]) -> set[str]:
        q = f"UNWIND $ids AS id MATCH (n:{BASE_LABEL} {{id: id}}) RETURN n.id AS id"
        return {r["id"] for r in self.run(q, ids=ids)}

    def _existing_rels(self, rows: list[dict]) -> set[str]:
        """Ids of relationships already loaded, found from their endpoints (indexed), not by a
        scan of every relationship."""
        q = (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.source}})-[r]->(b:{BASE_LABEL} "
             f"{{id: row.target}}) WHERE r.id = row.id RETURN r.id AS id")
        return {r["id"] for r in self.run(q, rows=[{k: x[k] for k in ("id", "source", "target")} for x in rows])}

    def load(self, g: nx.MultiDiGraph, schema: Schema, exposure: dict[str, Any] | None = None,
             weights=None) -> LoadSummary:
        """MERGE every node and relationship; optionally exposure scores and weight relationships."""
        start = time.perf_counter()
        summary = LoadSummary(dialect=self.dialect)
        self.ensure_constraints()
        labels_ok, types_ok = allowed_labels(schema), allowed_rel_types(schema)

        nodes = node_rows(g, schema)
        if exposure:
            for row in nodes:
                for prop, scores in exposure.items():
                    row["props"][prop] = float(scores.get(row["id"], 0.0))
        groups: dict[tuple[str, ...], list[dict]] = {}
        for row in nodes:
            assert set(row["labels"]) <= labels_ok
            groups.setdefault(tuple(row["labels"]), []).append(row)
        done = 0
        for labels, rows in groups.items():
            label_text = ":".join(labels[1:])
            query = (f"UNWIND $rows AS row MERGE (n:{BASE_LABEL} {{id: row.id}}) "
                     f"SET n = row.props" + (f" SET n:{label_text}" if label_text else ""))
            for batch in _batches(rows, self.batch_size, self._max_bytes()):
                existing = self._existing([r["id"] for r in batch])
                self.run(query, rows=[{"id": r["id"], "props": r["props"]} for r in batch])
                summary.nodes_updated += len(existing)
                summary.nodes_created += len(batch) - len(existing)
                done += len(batch)
                self.progress("nodes", done, len(nodes))

        rels = relationship_rows(g)
        by_type: dict[str, list[dict]] = {}
        for row in rels:
            assert row["type"] in types_ok
            by_type.setdefault(row["type"], []).append(row)
        done = 0
        for rtype, rows in by_type.items():
            query = (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.source}}) "
                     f"MATCH (b:{BASE_LABEL} {{id: row.target}}) "
                     f"MERGE (a)-[r:{rtype} {{id: row.id}}]->(b) SET r = row.props")
            for batch in _batches(rows, self.batch_size, self._max_bytes()):
                existing = self._existing_rels(batch)
                self.run(query, rows=[{k: r[k] for k in ("id", "source", "target", "props")} for r in batch])
                summary.relationships_updated += len(existing)
                summary.relationships_created += len(batch) - len(existing)
                done += len(batch)
                self.progress("relationships", done, len(rels))

        if weights is not None:
            summary.exposure_relationships = self._load_weights(weights)
        summary.seconds = time.perf_counter() - start
        return summary

    def _load_weights(self, weights) -> int:
        """The exposure model's edge weights as `*_EXPOSURE` relationships (u transmits to v)."""
        count = 0
        for channel, rtype in EXPOSURE_TYPES.items():
            rows = [{"id": f"{channel}:{u}->{v}", "source": u, "target": v,
                     "props": {"id": f"{channel}:{u}->{v}", "channel": channel, "w": e.w,
                               "estimated": e.estimated, "rule": e.rule, "relationships": e.rels,
                               "product_classes": sorted({p.product_class for p in e.parts if p.product_class})}}
                    for (u, v), e in weights.edges[channel].items() if e.w > 0]
            query = (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.source}}) "
                     f"MATCH (b:{BASE_LABEL} {{id: row.target}}) "
                     f"MERGE (a)-[r:{rtype} {{id: row.id}}]->(b) SET r = row.props")
            for batch in _batches(rows, self.batch_size, self._max_bytes()):
                self.run(query, rows=batch)
                count += len(batch)
        return count

    def wipe(self) -> int:
        """Delete every node this tool loaded (and their relationships); nothing else."""
        rows = self.run(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS c")
        self.run(f"MATCH (n:{BASE_LABEL}) DETACH DELETE n")
        return int(rows[0]["c"]) if rows else 0

    def counts(self) -> dict[str, int]:
        nodes = self.run(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS c")[0]["c"]
        rels = self.run(f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) WHERE NOT type(r) ENDS WITH '_EXPOSURE' "
                        f"RETURN count(r) AS c")[0]["c"]
        return {"nodes": int(nodes), "relationships": int(rels)}
