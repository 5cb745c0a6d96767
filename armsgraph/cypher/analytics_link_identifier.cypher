// Identifiers used by an incident directly or by someone involved in it.
// access: entity
// exposes: incident=Incident, entity=Identifier
MATCH (i:Incident)-[:USES]->(x:Identifier)
RETURN i.uid AS incident, x.uid AS entity, x.sources AS sources
UNION
MATCH (p)-[:INVOLVED_IN]->(i:Incident)
MATCH (p)-[:USES]->(x:Identifier)
RETURN i.uid AS incident, x.uid AS entity, x.sources AS sources
