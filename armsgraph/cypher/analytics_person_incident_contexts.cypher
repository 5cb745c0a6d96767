// For every person or organisation, the contexts of the incidents they were involved in.
MATCH (p)-[:INVOLVED_IN]->(i:Incident)
RETURN p.uid AS actor, p.community AS community, i.uid AS incident, i.context AS context
