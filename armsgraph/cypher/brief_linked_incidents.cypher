// Incidents LINKED (by analytics) to a case's incidents, with the rules, weight and properties of each link.
// access: entity
// exposes: from_uid=Incident, uid=Incident, props=Incident
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[l:LINKED]-(j:Incident)
RETURN i.uid AS from_uid, j.uid AS uid, properties(j) AS props, l.rules AS rules, l.weight AS weight,
       l.evidence AS evidence, properties(l) AS link_props
ORDER BY l.weight DESC, j.uid
