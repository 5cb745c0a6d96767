// Record each incident's hotspot id.
// access: admin
// sets: Incident
UNWIND $rows AS row
MATCH (i:Incident {uid: row.uid})
SET i.hotspot = row.hotspot
