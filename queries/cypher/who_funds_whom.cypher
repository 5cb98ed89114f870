// name: who_funds_whom
// Equity investments, loans, guarantees, grants, acquisitions and stakes, largest first.
:param limit => 25;
MATCH (i:CapexGraph)-[r:INVESTS_IN|LENDS|GUARANTEES|GRANTS|ACQUIRES|OWNS]->(x:CapexGraph)
RETURN i.name AS investor, type(r) AS how, x.name AS company, r.product AS instrument,
       r.amount_usd AS amount_usd, r.amount_qualifier AS qualifier, r.date AS announced,
       r.status AS status, r.source_urls AS sources
ORDER BY coalesce(r.amount_usd, 0.0) DESC, announced DESC
LIMIT $limit;
