// Parties firearms were diverted from (the FROM side of diversion or last-legal transfers), with counts.
// access: entity
// exposes: uid=Person|Organisation
MATCH (f:Firearm)-[:HISTORY]->(t:Transfer)-[:FROM]->(p)
WHERE t.diversion = true OR t.last_legal = true
RETURN p.uid AS uid, labels(p)[0] AS label, coalesce(p.name, p.uid) AS party, p.kind AS kind,
       p.country AS country, count(DISTINCT f) AS firearms
ORDER BY firearms DESC, party
LIMIT $limit
