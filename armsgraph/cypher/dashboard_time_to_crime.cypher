// For each traced firearm: the date of its last legal transfer and of its first recovery.
MATCH (f:Firearm)-[:HISTORY]->(t:Transfer)
WHERE t.last_legal = true AND t.date IS NOT NULL
MATCH (i:Incident)-[:SEIZED]->(f)
WHERE i.date IS NOT NULL
RETURN f.uid AS firearm, f.type AS type, t.date AS last_legal, t.country AS country, collect(i.date) AS recovered
ORDER BY firearm
LIMIT $limit
