// name: announced_between
// Every relationship announced in a date window (dates are ISO text, so they compare in order).
:param from => '2026-01-01';
:param to => '2026-01-31';
MATCH (a:CapexGraph)-[r]->(b:CapexGraph)
WHERE r.date >= $from AND r.date <= $to AND NOT type(r) ENDS WITH '_EXPOSURE'
RETURN r.date AS announced, a.name AS source, type(r) AS relationship, b.name AS target,
       r.product AS product, r.amount_usd AS amount_usd, r.amount_qualifier AS qualifier,
       r.source_urls AS sources
ORDER BY announced, source;
