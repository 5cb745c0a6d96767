// Upsert relationships of one model type between nodes found by key; rows whose endpoints are missing are not matched.
// Each row stands for `n` input rows of one edge (merged by the store) citing the records in `refs`.
// access: admin
UNWIND $rows AS row
MATCH (a:{{from_label}} {{{from_key}}: row.from})
MATCH (b:{{to_label}} {{{to_key}}: row.to})
MERGE (a)-[r:{{rel_type}}{{rel_key}}]->(b)
ON CREATE SET r.src_file = row.src_file, r.src_row = row.src_row, r.batch_id = $batch_id,
              r.ingested_at = $ingested_at, r.sources = row.refs
ON MATCH SET r.sources = r.sources + [ref IN row.refs WHERE NOT ref IN r.sources]
SET r += row.props
RETURN sum(row.n) AS matched
