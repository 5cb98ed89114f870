"""pandas views of the graph: one row per node or per edge, sources flattened for reading."""
from __future__ import annotations

import networkx as nx
import pandas as pd

NODE_COLUMNS = ["id", "name", "name_ko", "ticker", "exchange", "country", "category", "kind",
                "revenue_usd", "revenue_usd_period", "capex_usd", "capex_usd_period",
                "china_revenue_share"]
EDGE_COLUMNS = ["id", "source", "target", "type", "product", "product_class", "amount", "currency",
                "amount_qualifier", "amount_usd", "term", "date", "status", "source_urls"]


def nodes_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per node; `category` stays a list."""
    rows = [{"id": n, **{c: d.get(c) for c in NODE_COLUMNS if c != "id"}} for n, d in g.nodes(data=True)]
    return pd.DataFrame(rows, columns=NODE_COLUMNS)


def edges_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per relationship, with its source URLs as a list."""
    rows = []
    for u, v, k, d in g.edges(keys=True, data=True):
        row = {c: d.get(c) for c in EDGE_COLUMNS}
        row.update(id=k, source=u, target=v, source_urls=[s["url"] for s in d.get("sources", [])])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
