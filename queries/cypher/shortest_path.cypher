// name: shortest_path
// The shortest chain of recorded relationships between two companies, in either direction
// (the exposure weights that `load-neo4j --with-exposure` adds are not recorded relationships).
:param from => 'tsmc';
:param to => 'openai';
MATCH p = shortestPath((a:CapexGraph {id: $from})-[*..6]-(b:CapexGraph {id: $to}))
WHERE none(r IN relationships(p) WHERE type(r) ENDS WITH '_EXPOSURE')
RETURN [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS relationships,
       length(p) AS hops;
