// Upsert nodes of one model label by key: provenance on create, properties merged, each source record cited once.
UNWIND $rows AS row
MERGE (n:{{label}} {{{key}}: row.key})
ON CREATE SET n.src_file = row.src_file, n.src_row = row.src_row, n.batch_id = row.batch_id,
              n.ingested_at = row.ingested_at, n.sources = []
SET n += row.props
SET n.sources = CASE WHEN row.src_ref IN n.sources THEN n.sources ELSE n.sources + [row.src_ref] END
RETURN count(n) AS matched
