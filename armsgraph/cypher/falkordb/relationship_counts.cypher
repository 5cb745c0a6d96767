// Number of relationships per type (FalkorDB: read from the graph's statistics instead of scanning every edge).
// access: aggregate
CALL db.meta.stats() YIELD relTypes
UNWIND keys(relTypes) AS type
WITH type, relTypes[type] AS count
WHERE count > 0
RETURN type, count
ORDER BY type
