// name: dependence_on_jurisdiction
// A company's suppliers (direct, and their suppliers) that operate in a jurisdiction, e.g. Taiwan:
// recorded LOCATED_IN operations or headquarters there.
:param company => 'nvidia';
:param place => 'jur_tw';
MATCH (p:CapexGraph {id: $place})
MATCH path = (s:CapexGraph)-[:SUPPLIES|LICENSES*1..2]->(c:CapexGraph {id: $company})
OPTIONAL MATCH (s)-[loc:LOCATED_IN]->(p)
WITH s, p, path, loc
WHERE loc IS NOT NULL OR s.country = p.country
RETURN DISTINCT s.name AS supplier, length(path) AS hops,
       [n IN nodes(path) | n.name] AS chain,
       CASE WHEN loc IS NULL THEN 'headquarters' ELSE loc.product END AS where_there
ORDER BY hops, supplier;
