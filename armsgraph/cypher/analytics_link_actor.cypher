// Persons and organisations involved in more than one incident (or more than once), with those incidents.
// access: entity
// exposes: entity=Person|Organisation, incidents=Incident
MATCH (p)-[:INVOLVED_IN]->(i:Incident)
WITH p, collect(i.uid) AS incidents
WHERE size(incidents) > 1
RETURN p.uid AS entity, labels(p)[0] AS label, incidents, p.sources AS sources
