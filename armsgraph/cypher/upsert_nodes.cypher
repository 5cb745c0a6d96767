// Upsert nodes of one model label by key: provenance on create, properties merged, each source record cited once.
// Each row stands for `n` input rows of one key (merged by the store) citing the records in `refs`.
// access: admin
UNWIND $rows AS row
MERGE (n:{{label}} {{{key}}: row.key})
ON CREATE SET n.src_file = row.src_file, n.src_row = row.src_row, n.batch_id = $batch_id,
              n.ingested_at = $ingested_at, n.sources = row.refs
ON MATCH SET n.sources = n.sources + [ref IN row.refs WHERE NOT ref IN n.sources]
SET n += row.props
RETURN sum(row.n) AS matched
