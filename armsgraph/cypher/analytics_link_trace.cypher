// Incidents whose firearms were diverted from the same party (point of diversion or last legal owner).
// access: entity
// exposes: incident=Incident, entity=Person|Organisation
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)-[:HISTORY]->(t:Transfer)
WHERE t.diversion = true
MATCH (t)-[:FROM]->(party)
RETURN i.uid AS incident, party.uid AS entity, t.sources AS sources
