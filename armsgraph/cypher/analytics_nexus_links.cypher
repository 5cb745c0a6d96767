// What ties incidents together: firearms seized, persons and organisations involved (with their community), routes.
// access: entity
// exposes: incident=Incident, entity=Firearm|Person|Organisation|Route
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
RETURN i.uid AS incident, 'Firearm' AS label, f.uid AS entity, null AS community
UNION ALL
MATCH (a)-[:INVOLVED_IN]->(i:Incident)
RETURN i.uid AS incident, labels(a)[0] AS label, a.uid AS entity, a.community AS community
UNION ALL
MATCH (i:Incident)-[:ALONG]->(r:Route)
RETURN i.uid AS incident, 'Route' AS label, r.uid AS entity, null AS community
