// Upsert relationships of one model type between nodes found by key; rows whose endpoints are missing are not matched.
UNWIND $rows AS row
MATCH (a:{{from_label}} {{{from_key}}: row.from})
MATCH (b:{{to_label}} {{{to_key}}: row.to})
MERGE (a)-[r:{{rel_type}}{{rel_key}}]->(b)
ON CREATE SET r.src_file = row.src_file, r.src_row = row.src_row, r.batch_id = row.batch_id,
              r.ingested_at = row.ingested_at, r.sources = []
SET r += row.props
SET r.sources = CASE WHEN row.src_ref IN r.sources THEN r.sources ELSE r.sources + [row.src_ref] END
RETURN count(r) AS matched
