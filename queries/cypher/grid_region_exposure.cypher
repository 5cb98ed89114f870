// name: grid_region_exposure
// Everything recorded as operating in a grid region (campuses, plants), and who buys from them.
// types: what a site sells (power, leases, compute, products); technology licences are not counted.
:param region => 'grid_pjm';
MATCH (s:CapexGraph)-[loc:LOCATED_IN]->(g:CapexGraph {id: $region})
OPTIONAL MATCH (s)-[r:POWER_SUPPLY|LEASE|CLOUD_CAPACITY|SUPPLIES]->(c:CapexGraph)
RETURN s.name AS operator, loc.product AS site, collect(DISTINCT c.name) AS customers,
       loc.source_urls AS sources
ORDER BY operator;
