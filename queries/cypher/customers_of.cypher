// name: customers_of
// Who buys from a company, largest disclosed amounts first, with sources.
:param company => 'nvidia';
MATCH (s:CapexGraph {id: $company})-[r:SUPPLIES|CLOUD_CAPACITY|POWER_SUPPLY|LEASE|LICENSES]->(c:CapexGraph)
RETURN c.name AS customer, type(r) AS relationship, r.product AS product,
       r.amount_usd AS amount_usd, r.amount_qualifier AS qualifier, r.date AS announced,
       r.status AS status, r.source_urls AS sources
ORDER BY coalesce(r.amount_usd, 0.0) DESC, announced DESC;
