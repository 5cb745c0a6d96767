// Benchmark reference: the plainest batched node MERGE for one model label (no provenance, no checks).
UNWIND $rows AS row
MERGE (n:{{label}} {{{key}}: row.key})
SET n += row.props
