// Every seized firearm with each incident that seized it: type, calibre, status, context, country, date.
// access: entity
// exposes: firearm=Firearm, incident=Incident
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
RETURN f.uid AS firearm, f.type AS type, f.calibre AS calibre, f.status AS status,
       f.manufacture_mode AS manufacture_mode, i.uid AS incident, i.kind AS incident_kind, i.context AS context,
       i.country AS country, i.date AS date
ORDER BY firearm, incident
