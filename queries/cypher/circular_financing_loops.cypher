// name: circular_financing_loops
// Longer money loops: investor I funds X, X buys from Y, and Y buys from I, so the investment can
// return to I through a third party (e.g. a chip vendor funds an AI lab that rents compute from a
// cloud that buys the vendor's chips).
// types: purchases are products, compute, leases and licences; power sales are not counted.
MATCH (i:CapexGraph)-[inv:INVESTS_IN|LENDS]->(x:CapexGraph)<-[b:SUPPLIES|CLOUD_CAPACITY|LEASE|LICENSES]-(y:CapexGraph)<-[c:SUPPLIES|CLOUD_CAPACITY|LEASE|LICENSES]-(i)
WHERE i <> x AND x <> y AND i <> y
RETURN i.name AS investor, x.name AS investee, y.name AS via,
       inv.amount_usd AS invested_usd, b.amount_usd AS investee_pays_via_usd, c.amount_usd AS via_pays_investor_usd,
       inv.source_urls + b.source_urls + c.source_urls AS sources
ORDER BY coalesce(inv.amount_usd, 0.0) DESC
LIMIT 50;
