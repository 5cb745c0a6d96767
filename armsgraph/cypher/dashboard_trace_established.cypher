// Per year of first seizure: seized firearms and those whose illicit origin a trace established (SDG 16.4.2).
// access: aggregate
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
WHERE i.date IS NOT NULL
WITH f, min(toInteger(substring(i.date, 0, 4))) AS year
OPTIONAL MATCH (t:TraceRequest)-[:FOR]->(f)
WITH year, f, collect(t.outcome) AS outcomes
RETURN year, count(f) AS firearms, sum(CASE WHEN 'traced' IN outcomes THEN 1 ELSE 0 END) AS traced
ORDER BY year
