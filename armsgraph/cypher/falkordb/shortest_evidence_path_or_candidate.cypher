// Shortest undirected path (at most 6 steps) between two nodes by uid over evidence and unconfirmed duplicates (POSSIBLY_SAME).
// Each step comes with its name and the record that supports it (FalkorDB: allShortestPaths, a breadth-first search).
// Endpoints are found through each label's uid index; the labels and relationship types written here
// are checked against the graph model by tests/test_analytics_paths.py.
// access: entity
// exposes: uids=*
CALL {
  MATCH (n:BallisticEvidence {uid: $source}) RETURN n
  UNION MATCH (n:Case {uid: $source}) RETURN n
  UNION MATCH (n:Cluster {uid: $source}) RETURN n
  UNION MATCH (n:Firearm {uid: $source}) RETURN n
  UNION MATCH (n:Identifier {uid: $source}) RETURN n
  UNION MATCH (n:Incident {uid: $source}) RETURN n
  UNION MATCH (n:Organisation {uid: $source}) RETURN n
  UNION MATCH (n:Person {uid: $source}) RETURN n
  UNION MATCH (n:Place {uid: $source}) RETURN n
  UNION MATCH (n:Result {uid: $source}) RETURN n
  UNION MATCH (n:Route {uid: $source}) RETURN n
  UNION MATCH (n:TraceRequest {uid: $source}) RETURN n
  UNION MATCH (n:Transfer {uid: $source}) RETURN n
}
WITH n AS a
CALL {
  MATCH (n:BallisticEvidence {uid: $target}) RETURN n
  UNION MATCH (n:Case {uid: $target}) RETURN n
  UNION MATCH (n:Cluster {uid: $target}) RETURN n
  UNION MATCH (n:Firearm {uid: $target}) RETURN n
  UNION MATCH (n:Identifier {uid: $target}) RETURN n
  UNION MATCH (n:Incident {uid: $target}) RETURN n
  UNION MATCH (n:Organisation {uid: $target}) RETURN n
  UNION MATCH (n:Person {uid: $target}) RETURN n
  UNION MATCH (n:Place {uid: $target}) RETURN n
  UNION MATCH (n:Result {uid: $target}) RETURN n
  UNION MATCH (n:Route {uid: $target}) RETURN n
  UNION MATCH (n:TraceRequest {uid: $target}) RETURN n
  UNION MATCH (n:Transfer {uid: $target}) RETURN n
}
WITH a, n AS b
MATCH path = allShortestPaths((a)-[:ALONG|ASSOCIATED_WITH|AT|CHARGES|CONCERNS|FOR|FROM|HISTORY|HIT|IN|INVOLVED_IN|LEG|MEMBER_OF|POSSIBLY_SAME|RECOVERED_AT|REQUESTED_IN|SEIZED|TO|USES*1..6]-(b))
WHERE length(path) <= $max_hops
RETURN [n IN nodes(path) | n.uid] AS uids, [n IN nodes(path) | labels(n)[0]] AS labels,
       [n IN nodes(path) | coalesce(n.name, n.serial, n.value, n.uid)] AS names,
       [r IN relationships(path) | type(r)] AS types,
       [r IN relationships(path) | r.src_file] AS src_files, [r IN relationships(path) | r.src_row] AS src_rows
LIMIT 1
