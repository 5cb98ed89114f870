// name: suppliers_of
// Who sells to a company (products, compute capacity, power, data-center space, licences),
// with amounts, announcement dates, status and the sources behind each relationship.
:param company => 'meta';
MATCH (s:CapexGraph)-[r:SUPPLIES|CLOUD_CAPACITY|POWER_SUPPLY|LEASE|LICENSES]->(c:CapexGraph {id: $company})
RETURN s.name AS supplier, type(r) AS relationship, r.product AS product,
       r.amount_usd AS amount_usd, r.amount_qualifier AS qualifier, r.date AS announced,
       r.status AS status, r.source_urls AS sources
ORDER BY coalesce(r.amount_usd, 0.0) DESC, announced DESC;
