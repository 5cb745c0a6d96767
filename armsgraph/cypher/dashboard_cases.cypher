// Cases with their status and the number of incidents and persons they concern.
// access: entity
// exposes: uid=Case
MATCH (c:Case)
OPTIONAL MATCH (c)-[:CONCERNS]->(i:Incident)
OPTIONAL MATCH (c)-[:CHARGES]->(p)
RETURN c.uid AS uid, coalesce(c.title, c.uid) AS title, c.jurisdiction AS jurisdiction, c.status AS status,
       c.opened AS opened, count(DISTINCT i) AS incidents, count(DISTINCT p) AS charged
ORDER BY opened DESC, uid
LIMIT $limit
