// name: exposure_supply_2hop
// In-database exposure: the linear (uncapped) path-sum of a supply shock over at most 2 hops,
// h = psi + W^T psi + (W^T)^2 psi, on the SUPPLY_EXPOSURE weights that `load-neo4j` writes.
// It equals the Python engine's linear result truncated at k = 2 (exposure --graph ...).
:param seeds => {jur_tw: 1.0};
UNWIND keys($seeds) AS sid
MATCH (s:CapexGraph {id: sid})
OPTIONAL MATCH p = (s)-[:SUPPLY_EXPOSURE*1..2]->(v:CapexGraph)
WITH sid, s, collect(CASE WHEN p IS NULL THEN null
                          ELSE {node: v, value: $seeds[sid] * reduce(w = 1.0, r IN relationships(p) | w * r.w)} END) AS reached
UNWIND [{node: s, value: $seeds[sid]}] + reached AS t
RETURN t.node.id AS id, t.node.name AS company, sum(t.value) AS exposure
ORDER BY exposure DESC, id;
