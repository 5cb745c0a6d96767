// Firearms seized in more than one incident, with those incidents (only a shared firearm links incidents).
// access: entity
// exposes: entity=Firearm, incidents=Incident
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
WITH f, collect(i.uid) AS incidents
WHERE size(incidents) > 1
RETURN f.uid AS entity, incidents, f.sources AS sources
