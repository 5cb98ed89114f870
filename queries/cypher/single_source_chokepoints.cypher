// name: single_source_chokepoints
// Inputs a company buys from exactly one recorded supplier (grouped by the supplier's main
// category): the suppliers that are sole sources for the most customers come first.
MATCH (s:CapexGraph)-[r:SUPPLIES]->(c:CapexGraph)
WHERE r.status <> 'terminated'
WITH c, head(s.categories) AS input, collect(DISTINCT s.name) AS suppliers
WHERE size(suppliers) = 1
WITH input, suppliers[0] AS sole_supplier, collect(c.name) AS customers
RETURN sole_supplier, input, size(customers) AS customers_with_no_alternative, customers
ORDER BY customers_with_no_alternative DESC, sole_supplier;
