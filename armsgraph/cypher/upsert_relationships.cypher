// Upsert relationships of one model type between nodes found by key; rows whose endpoints are missing are not matched.
UNWIND $rows AS row
WITH row, coalesce(row.src_file, 'unknown') + ':' + coalesce(toString(row.src_row), '') AS ref
MATCH (a:{{from_label}} {{{from_key}}: row.from})
MATCH (b:{{to_label}} {{{to_key}}: row.to})
MERGE (a)-[r:{{rel_type}}{{rel_key}}]->(b)
ON CREATE SET r.src_file = row.src_file, r.src_row = row.src_row, r.batch_id = $batch_id,
              r.ingested_at = $ingested_at, r.sources = [ref]
ON MATCH SET r.sources = CASE WHEN ref IN r.sources THEN r.sources ELSE r.sources + [ref] END
SET r += row.props
RETURN count(r) AS matched
