// Uids a prosecutor's cases reach: the cases' incidents, charged parties, and everything within two hops of those incidents.
// access: admin
MATCH (c:Case)
WHERE c.uid IN $cases
OPTIONAL MATCH (c)-[:CHARGES]->(d)
OPTIONAL MATCH (c)-[:CONCERNS]->(i:Incident)
OPTIONAL MATCH (i)-[*1..2]-(m)
WITH collect(DISTINCT d.uid) + collect(DISTINCT i.uid) + collect(DISTINCT m.uid) AS uids
UNWIND uids AS uid
RETURN DISTINCT uid
