// Per year of first seizure: seized firearms and those whose illicit origin a trace established (SDG 16.4.2).
// access: aggregate
// Two counts, summed per year by the caller: every seized firearm, then only the traced ones (starting
// from their trace requests: half the time of joining every firearm to its requests).
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
WHERE i.date IS NOT NULL
WITH f, min(i.date) AS first
RETURN toInteger(substring(first, 0, 4)) AS year, count(f) AS firearms, 0 AS traced
UNION ALL
MATCH (t:TraceRequest)-[:FOR]->(f:Firearm)
WHERE t.outcome = 'traced'
WITH DISTINCT f
MATCH (i:Incident)-[:SEIZED]->(f)
WHERE i.date IS NOT NULL
WITH f, min(i.date) AS first
RETURN toInteger(substring(first, 0, 4)) AS year, 0 AS firearms, count(f) AS traced
