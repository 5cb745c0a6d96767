// Incidents and seized firearms per country (ISO 3166-1 alpha-3).
// access: aggregate
MATCH (i:Incident)
WHERE i.country IS NOT NULL
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
RETURN i.country AS country, count(DISTINCT i) AS incidents, count(DISTINCT f) AS firearms
ORDER BY incidents DESC
