// name: company_overview
// One company at a glance: identity, latest revenue and capex, and its relationship counts by type.
:param company => 'corning';
MATCH (c:CapexGraph {id: $company})
OPTIONAL MATCH (c)-[out]->(:CapexGraph)
WHERE NOT type(out) ENDS WITH '_EXPOSURE'
WITH c, collect(type(out)) AS outgoing
OPTIONAL MATCH (:CapexGraph)-[inc]->(c)
WHERE NOT type(inc) ENDS WITH '_EXPOSURE'
RETURN c.name AS name, c.name_ko AS name_ko, c.ticker AS ticker, c.categories AS categories,
       c.revenue_usd AS revenue_usd, c.revenue_period AS revenue_period, c.capex_usd AS capex_usd,
       size(outgoing) AS outgoing, count(inc) AS incoming, outgoing AS outgoing_types;
