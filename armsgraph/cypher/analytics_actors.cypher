// Persons and organisations with their names, kinds and the record ids merged into them.
// access: entity
// exposes: uid=Person|Organisation
MATCH (p)
WHERE p:Person OR p:Organisation
RETURN p.uid AS uid, labels(p)[0] AS label, coalesce(p.name, p.uid) AS name, p.kind AS kind, p.record_ids AS record_ids
