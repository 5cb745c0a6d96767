// Incidents LINKED (by analytics) to a case's incidents, with the rules and evidence of each link.
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[l:LINKED]-(j:Incident)
RETURN i.uid AS from_uid, j.uid AS uid, properties(j) AS props, l.rules AS rules, l.weight AS weight,
       l.evidence AS evidence, l.sources AS link_sources
ORDER BY l.weight DESC, j.uid
