// Benchmark reference: the plainest batched node MERGE the engine can do.
UNWIND $rows AS row
MERGE (n:Incident {uid: row.uid})
SET n += row.props
