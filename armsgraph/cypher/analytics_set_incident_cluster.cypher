// Record each incident's linked-incident cluster.
// access: admin
UNWIND $rows AS row
MATCH (i:Incident {uid: row.uid})
SET i.cluster = row.cluster
