"""Questions asked of the graph: statistics, exposure, paths, Cypher and SPARQL."""
