// Incidents a person or organisation was involved in.
MATCH (p)-[:INVOLVED_IN]->(i:Incident)
RETURN i.uid AS incident, p.uid AS entity, labels(p)[0] AS label, p.sources AS sources
