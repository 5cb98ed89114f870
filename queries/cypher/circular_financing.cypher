// name: circular_financing
// Circular financing: an investor (or lender) whose investee also buys from it, so part of the
// money invested can come back as revenue (e.g. a chip vendor funding a cloud that buys its chips).
// types: purchases are products, compute, leases and licences; power sales are not counted.
MATCH (i:CapexGraph)-[inv:INVESTS_IN|LENDS]->(x:CapexGraph)
MATCH (i)-[buy:SUPPLIES|CLOUD_CAPACITY|LICENSES|LEASE]->(x)
RETURN i.name AS investor, x.name AS investee, inv.amount_usd AS invested_usd, inv.date AS invested_on,
       buy.product AS buys, buy.amount_usd AS purchases_usd, buy.date AS purchase_announced,
       inv.source_urls + buy.source_urls AS sources
ORDER BY coalesce(inv.amount_usd, 0.0) + coalesce(buy.amount_usd, 0.0) DESC;
