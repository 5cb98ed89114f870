// name: largest_contracts
// The largest disclosed commercial contracts (supply, compute, power, leases) in US dollars.
// "up_to" and "reported" qualifiers are shown: treat those amounts as ceilings or unconfirmed.
:param limit => 20;
MATCH (s:CapexGraph)-[r:SUPPLIES|CLOUD_CAPACITY|POWER_SUPPLY|LEASE|LICENSES]->(c:CapexGraph)
WHERE r.amount_usd IS NOT NULL
RETURN s.name AS seller, c.name AS buyer, r.product AS product, r.amount_usd AS amount_usd,
       r.amount_qualifier AS qualifier, r.term AS term, r.date AS announced, r.status AS status,
       r.source_urls AS sources
ORDER BY r.amount_usd DESC
LIMIT $limit;
