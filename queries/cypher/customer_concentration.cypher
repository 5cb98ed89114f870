// name: customer_concentration
// Herfindahl-Hirschman index (0..1) of a company's customers by disclosed USD amount.
:param company => 'coreweave';
MATCH (s:CapexGraph {id: $company})-[r:SUPPLIES|CLOUD_CAPACITY|POWER_SUPPLY|LEASE|LICENSES]->(c:CapexGraph)
WHERE r.amount_usd IS NOT NULL AND r.status <> 'terminated'
WITH s, c, sum(r.amount_usd) AS sales
WITH s, collect({customer: c.name, sales: sales}) AS rows, sum(sales) AS total
UNWIND rows AS row
WITH s, total, row, row.sales / total AS share
RETURN s.name AS company, total AS disclosed_usd, sum(share * share) AS hhi,
       collect({customer: row.customer, share: share}) AS shares;
