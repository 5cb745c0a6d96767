// The incidents a case concerns, with the sources of the incident and of the CONCERNS link.
// access: entity
// exposes: uid=Incident, props=Incident
MATCH (c:Case {uid: $case})-[r:CONCERNS]->(i:Incident)
RETURN i.uid AS uid, properties(i) AS props, r.sources AS link_sources
ORDER BY i.date, i.uid
