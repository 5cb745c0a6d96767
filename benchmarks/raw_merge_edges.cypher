// Benchmark reference: the plainest batched relationship MERGE between nodes found by key.
UNWIND $rows AS row
MATCH (a:Incident {uid: row.a})
MATCH (b:Incident {uid: row.b})
MERGE (a)-[:LINKED]->(b)
