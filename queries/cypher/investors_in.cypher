// name: investors_in
// Who has invested in, lent to, guaranteed, granted to, owns or bought a company.
:param company => 'coreweave';
MATCH (i:CapexGraph)-[r:INVESTS_IN|LENDS|GUARANTEES|GRANTS|ACQUIRES|OWNS]->(x:CapexGraph {id: $company})
RETURN i.name AS investor, type(r) AS how, r.product AS instrument, r.amount_usd AS amount_usd,
       r.amount_qualifier AS qualifier, r.date AS announced, r.status AS status,
       r.source_urls AS sources
ORDER BY announced;
