// Shortest undirected path between two nodes by uid (Neo4j: shortestPath).
// access: entity
// exposes: uids=*
MATCH (a {uid: $source})
MATCH (b {uid: $target})
MATCH path = shortestPath((a)-[*..10]-(b))
WHERE length(path) <= $max_hops
RETURN [n IN nodes(path) | n.uid] AS uids, [n IN nodes(path) | labels(n)[0]] AS labels,
       [r IN relationships(path) | type(r)] AS types
