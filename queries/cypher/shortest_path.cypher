// name: shortest_path
// The shortest chain of recorded relationships between two companies, in either direction.
:param from => 'tsmc';
:param to => 'openai';
MATCH p = shortestPath((a:CapexGraph {id: $from})-[*..6]-(b:CapexGraph {id: $to}))
RETURN [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS relationships,
       length(p) AS hops;
