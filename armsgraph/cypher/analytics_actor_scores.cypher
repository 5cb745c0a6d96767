// Persons and organisations with the network scores the last analysis wrote on them (component, community, betweenness, degree).
// access: entity
// exposes: uid=Person|Organisation
MATCH (p)
WHERE p:Person OR p:Organisation
RETURN p.uid AS uid, labels(p)[0] AS label, coalesce(p.name, p.uid) AS name, p.kind AS kind,
       p.component AS component, p.community AS community, coalesce(p.betweenness, 0.0) AS betweenness,
       p.degree AS degree
ORDER BY uid
