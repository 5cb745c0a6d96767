// Remove the hotspot ids written by an earlier hotspot analysis.
// access: admin
MATCH (i:Incident)
WHERE i.hotspot IS NOT NULL
SET i.hotspot = null
