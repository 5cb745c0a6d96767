// Incidents that seized the same firearm (one row per incident and firearm).
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
RETURN i.uid AS incident, f.uid AS entity, f.sources AS sources
