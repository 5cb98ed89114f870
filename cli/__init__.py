"""capexgraph: a supply-chain knowledge graph of the AI-infrastructure industry.

The package is assembled from the repository's top-level folders: `ingest` (sources -> validated
records), `graph` (the networkx model and its file formats), `queries` (statistics, exposure,
Cypher/SPARQL), `viz` (HTML, charts); this folder holds the command-line entry points.
"""
__version__ = "0.1.0"
