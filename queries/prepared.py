"""The dataset read, validated, built and weighed: what every exposure run starts from, kept
between runs while its files, the model and the code are unchanged (graph.cache says how)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import scipy

from ..graph import build_graph
from ..graph.cache import cached, files_digest
from ..ingest import COLUMNS, load_records
from ..ingest.records import Records
from ..ingest.tables import default_data_dir
from .weights import ChannelWeights, derive_weights


def prepared(data: Path | str | None = None,
             as_of: dt.date | None = None) -> tuple[Records, nx.MultiDiGraph, ChannelWeights]:
    """(records, graph, weights) for a dataset folder (default: the shipped one)."""
    root = Path(data) if data is not None else default_data_dir()
    today = dt.date.today()
    files = [root / f"{t}.csv" for t in COLUMNS] + [root / "publishers.csv"]

    def build():
        records = load_records(root, today=today)
        g = build_graph(records, as_of=as_of)
        return records, g, derive_weights(g, records.schema)

    if not root.is_dir():
        return build()   # load_records says what is wrong
    # the libraries whose objects are pickled: a cache from other versions is not read
    libs = f"python {sys.version}; networkx {nx.__version__}; numpy {np.__version__}; scipy {scipy.__version__}"
    key = [str(root.resolve()), str(as_of), today.isoformat(), libs, *files_digest(files)]
    return cached("dataset", key, build)
