// name: supplier_concentration
// Herfindahl-Hirschman index (0..1) of a company's suppliers by disclosed USD amount: near 1 means
// one supplier holds most of the disclosed spend. Only relationships with amounts count.
:param company => 'openai';
MATCH (s:CapexGraph)-[r:SUPPLIES|CLOUD_CAPACITY|POWER_SUPPLY|LEASE|LICENSES]->(c:CapexGraph {id: $company})
WHERE r.amount_usd IS NOT NULL AND r.status <> 'terminated'
WITH c, s, sum(r.amount_usd) AS spend
WITH c, collect({supplier: s.name, spend: spend}) AS rows, sum(spend) AS total
UNWIND rows AS row
WITH c, total, row, row.spend / total AS share
RETURN c.name AS company, total AS disclosed_usd, sum(share * share) AS hhi,
       collect({supplier: row.supplier, share: share}) AS shares;
