// Entities tied to incidents of more than one criminal context (the arms–crime–terrorism nexus).
// Firearms, identifiers and routes an incident points to, then persons and organisations involved in
// one: two directed, typed matches (half the time of one undirected match filtered by label).
// The caller sorts: most contexts first, then most incidents.
// access: entity
// exposes: uid=*
MATCH (i:Incident)-[:SEIZED|USES|ALONG]->(x)
WHERE i.context IS NOT NULL
WITH x, collect(DISTINCT i.context) AS contexts, count(DISTINCT i) AS incidents
WHERE size(contexts) > 1
RETURN labels(x)[0] AS label, x.uid AS uid, coalesce(x.name, x.serial, x.value, x.uid) AS caption,
       contexts, incidents
UNION ALL
MATCH (x)-[:INVOLVED_IN]->(i:Incident)
WHERE i.context IS NOT NULL
WITH x, collect(DISTINCT i.context) AS contexts, count(DISTINCT i) AS incidents
WHERE size(contexts) > 1
RETURN labels(x)[0] AS label, x.uid AS uid, coalesce(x.name, x.serial, x.value, x.uid) AS caption,
       contexts, incidents
