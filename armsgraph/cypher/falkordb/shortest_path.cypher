// Shortest undirected path between two nodes by uid (FalkorDB: algo.SPpaths).
// access: entity
// exposes: uids=*
MATCH (a), (b)
WHERE a.uid = $source AND b.uid = $target
CALL algo.SPpaths({sourceNode: a, targetNode: b, relDirection: 'both', maxLen: $max_hops, pathCount: 1})
YIELD path
RETURN [n IN nodes(path) | n.uid] AS uids, [n IN nodes(path) | labels(n)[0]] AS labels,
       [r IN relationships(path) | type(r)] AS types
