// name: exposure_demand_2hop
// In-database exposure of a demand shock (buyers cut purchases) over at most 2 hops upstream,
// on the DEMAND_EXPOSURE weights (customer -> supplier, share of the supplier's revenue).
:param seeds => {microsoft: 0.2, meta: 0.2};
UNWIND keys($seeds) AS sid
MATCH (s:CapexGraph {id: sid})
OPTIONAL MATCH p = (s)-[:DEMAND_EXPOSURE*1..2]->(v:CapexGraph)
WITH sid, s, collect(CASE WHEN p IS NULL THEN null
                          ELSE {node: v, value: $seeds[sid] * reduce(w = 1.0, r IN relationships(p) | w * r.w)} END) AS reached
UNWIND [{node: s, value: $seeds[sid]}] + reached AS t
RETURN t.node.id AS id, t.node.name AS company, sum(t.value) AS exposure
ORDER BY exposure DESC, id;
