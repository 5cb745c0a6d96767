// Record each incident's hotspot id.
// access: admin
UNWIND $rows AS row
MATCH (i:Incident {uid: row.uid})
SET i.hotspot = row.hotspot
