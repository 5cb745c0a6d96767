// Shortest undirected path (at most 6 steps) between two nodes by uid over evidence only (no computed tie, no POSSIBLY_SAME).
// Each step comes with its name and the record that supports it (Neo4j: shortestPath, a bidirectional breadth-first search).
// Endpoints are found through each label's uid index (by_uid in graph/queries.py); the relationship types
// written here are checked against the graph model by tests/test_analytics_paths.py.
// access: entity
// exposes: uids=*
{{by_uid a = $source}}
{{by_uid b = $target}}
MATCH path = shortestPath((a)-[:ALONG|ASSOCIATED_WITH|AT|CHARGES|CONCERNS|FOR|FROM|HISTORY|HIT|IN|INVOLVED_IN|LEG|MEMBER_OF|RECOVERED_AT|REQUESTED_IN|SEIZED|TO|USES*1..6]-(b))
WHERE length(path) <= $max_hops
RETURN [n IN nodes(path) | n.uid] AS uids, [n IN nodes(path) | labels(n)[0]] AS labels,
       [n IN nodes(path) | coalesce(n.name, n.serial, n.value, n.uid)] AS names,
       [r IN relationships(path) | type(r)] AS types,
       [r IN relationships(path) | r.src_file] AS src_files, [r IN relationships(path) | r.src_row] AS src_rows
LIMIT 1
