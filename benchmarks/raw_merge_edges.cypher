// Benchmark reference: the plainest batched relationship MERGE between nodes found by key.
UNWIND $rows AS row
MATCH (a:{{from_label}} {{{from_key}}: row.from})
MATCH (b:{{to_label}} {{{to_key}}: row.to})
MERGE (a)-[r:{{rel_type}}{{rel_key}}]->(b)
SET r += row.props
