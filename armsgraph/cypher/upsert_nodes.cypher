// Upsert nodes of one model label by key: provenance on create, properties merged, each source record cited once.
UNWIND $rows AS row
WITH row, coalesce(row.src_file, 'unknown') + ':' + coalesce(toString(row.src_row), '') AS ref
MERGE (n:{{label}} {{{key}}: row.key})
ON CREATE SET n.src_file = row.src_file, n.src_row = row.src_row, n.batch_id = $batch_id,
              n.ingested_at = $ingested_at, n.sources = [ref]
ON MATCH SET n.sources = CASE WHEN ref IN n.sources THEN n.sources ELSE n.sources + [ref] END
SET n += row.props
RETURN count(n) AS matched
