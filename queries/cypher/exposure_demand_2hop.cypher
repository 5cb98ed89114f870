// name: exposure_demand_2hop
// In-database exposure of a demand shock (buyers cut purchases) over at most 2 hops upstream,
// on the DEMAND_EXPOSURE weights (customer -> supplier, share of the supplier's revenue).
:param seeds => {microsoft: 0.2, meta: 0.2};
UNWIND keys($seeds) AS sid
MATCH (s:CapexGraph {id: sid})
OPTIONAL MATCH p = (s)-[:DEMAND_EXPOSURE*1..2]->(v:CapexGraph)
WITH sid, s, v, p
WITH collect({node: s, value: $seeds[sid]}) +
     collect({node: v, value: $seeds[sid] * reduce(w = 1.0, r IN relationships(p) | w * r.w)}) AS terms
UNWIND terms AS t
WITH t WHERE t.node IS NOT NULL AND t.value IS NOT NULL
RETURN t.node.id AS id, t.node.name AS company, sum(t.value) AS exposure
ORDER BY exposure DESC, id;
