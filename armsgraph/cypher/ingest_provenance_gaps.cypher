// Nodes and relationships missing provenance (src_file, src_row, batch_id, sources, classification), per label or type.
// access: admin
MATCH (n)
WHERE n.src_file IS NULL OR n.src_row IS NULL OR n.batch_id IS NULL OR n.sources IS NULL OR n.classification IS NULL
RETURN 'node' AS kind, labels(n)[0] AS name, count(n) AS missing
UNION ALL
MATCH ()-[r]->()
WHERE r.src_file IS NULL OR r.src_row IS NULL OR r.batch_id IS NULL OR r.sources IS NULL OR r.classification IS NULL
RETURN 'relationship' AS kind, type(r) AS name, count(r) AS missing
