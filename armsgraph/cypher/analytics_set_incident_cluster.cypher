// Record each incident's linked-incident cluster.
// access: admin
// sets: Incident
UNWIND $rows AS row
MATCH (i:Incident {uid: row.uid})
SET i.cluster = row.cluster
