// Persons and organisations charged in a case or involved in its incidents, with their roles.
// access: entity
// exposes: uid=Person|Organisation, props=Person|Organisation, incident=Incident
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)<-[r:INVOLVED_IN]-(p)
RETURN p.uid AS uid, labels(p)[0] AS label, properties(p) AS props, i.uid AS incident, r.role AS role,
       r.sources AS link_sources, r.batch_id AS link_batch, false AS charged
UNION ALL
MATCH (c:Case {uid: $case})-[r:CHARGES]->(p)
RETURN p.uid AS uid, labels(p)[0] AS label, properties(p) AS props, null AS incident, 'charged' AS role,
       r.sources AS link_sources, r.batch_id AS link_batch, true AS charged
