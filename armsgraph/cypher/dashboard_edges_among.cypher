// Relationships whose both ends are in the given uid set (for drawing a sub-graph).
// access: entity
// exposes: source=*, target=*
{{by_uid a IN $uids}}
MATCH (a)-[r]->(b)
WHERE b.uid IN $uids
RETURN a.uid AS source, type(r) AS type, b.uid AS target, r.role AS role
