// name: dependence_on_korean_memory
// Memory (DRAM/HBM) that reaches a company from Korean suppliers, directly or one step upstream.
:param company => 'nvidia';
MATCH path = (m:CapexGraph:Memory)-[:SUPPLIES*1..2]->(c:CapexGraph {id: $company})
WHERE m.country = 'KR'
RETURN DISTINCT m.name AS memory_supplier, length(path) AS hops,
       [n IN nodes(path) | n.name] AS chain,
       [r IN relationships(path) | r.product] AS products
ORDER BY hops, memory_supplier;
