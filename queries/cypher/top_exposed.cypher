// name: top_exposed
// Companies ranked by a scenario's stored exposure score (written by `load-neo4j --with-exposure`
// as the property exposure_<scenario>, e.g. exposure_export_controls).
:param property => 'exposure_export_controls';
:param limit => 20;
MATCH (n:CapexGraph)
WHERE n[$property] IS NOT NULL AND n[$property] > 0
RETURN n.name AS company, n.ticker AS ticker, n.categories AS categories, n[$property] AS score
ORDER BY score DESC
LIMIT $limit;
