"""capexgraph: a supply-chain knowledge graph of the AI-infrastructure industry.

The repository's top level is the package: each folder is the subpackage of its name
(`capexgraph.ingest` = `ingest/`: sources -> validated records; `capexgraph.graph` = `graph/`: the
networkx model and its file formats; `capexgraph.queries` = `queries/`: statistics, exposure,
Cypher/SPARQL; `capexgraph.viz` = `viz/`: HTML, charts; `capexgraph.cli` = `cli/`: the commands).
This module holds only the version.
"""
__version__ = "0.1.0"
