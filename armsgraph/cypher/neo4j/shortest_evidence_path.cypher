// Shortest undirected path between two nodes by uid over the given relationship types only (Neo4j:
// shortestPath), each step with its name and the record that supports it.
// access: entity
// exposes: uids=*
MATCH (a {uid: $source})
MATCH (b {uid: $target})
MATCH path = shortestPath((a)-[*..10]-(b))
WHERE length(path) <= $max_hops AND all(r IN relationships(path) WHERE type(r) IN $types)
RETURN [n IN nodes(path) | n.uid] AS uids, [n IN nodes(path) | labels(n)[0]] AS labels,
       [n IN nodes(path) | coalesce(n.name, n.serial, n.value, n.uid)] AS names,
       [r IN relationships(path) | type(r)] AS types,
       [r IN relationships(path) | r.src_file] AS src_files, [r IN relationships(path) | r.src_row] AS src_rows
