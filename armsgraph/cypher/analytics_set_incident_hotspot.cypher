// Record each incident's hotspot (null clears it).
// access: admin
UNWIND $rows AS row
MATCH (i:Incident {uid: row.uid})
SET i.hotspot = row.hotspot
