// Relationships between nodes with the given uids (for subgraph exports).
// access: entity
// exposes: source=*, target=*
{{by_uid a IN $uids}}
MATCH (a)-[r]->(b)
WHERE b.uid IN $uids
RETURN a.uid AS source, b.uid AS target, type(r) AS type, properties(r) AS props
