// Organisations involved in incidents, with their names (the organisation comparison and its explanation).
// access: admin
MATCH (o:Organisation)-[:INVOLVED_IN]->(i:Incident)
RETURN i.uid AS incident, o.uid AS organisation, o.name AS name
ORDER BY incident, organisation
