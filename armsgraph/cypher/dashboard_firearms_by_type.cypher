// Seized firearms per type and manufacture mode (IAFQ-style table).
// access: aggregate
MATCH (:Incident)-[:SEIZED]->(f:Firearm)
WITH DISTINCT f
RETURN coalesce(f.type, 'unknown') AS type, coalesce(f.manufacture_mode, 'unknown') AS manufacture_mode,
       count(*) AS firearms
ORDER BY firearms DESC, type
