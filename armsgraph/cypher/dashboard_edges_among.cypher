// Relationships whose both ends are in the given uid set (for drawing a sub-graph).
// access: entity
// exposes: source=*, target=*
MATCH (a)-[r]->(b)
WHERE a.uid IN $uids AND b.uid IN $uids
RETURN a.uid AS source, type(r) AS type, b.uid AS target, r.role AS role
