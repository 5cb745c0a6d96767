// Incidents a person or organisation involved in one of a case's incidents was also involved in, with both roles.
// access: entity
// exposes: from_uid=Incident, uid=Incident, party=Person|Organisation, party_props=Person|Organisation
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)<-[a:INVOLVED_IN]-(p)-[b:INVOLVED_IN]->(j:Incident)
WHERE i <> j
RETURN i.uid AS from_uid, j.uid AS uid, p.uid AS party, properties(p) AS party_props, a.role AS from_role,
       b.role AS to_role, a.sources AS from_sources, a.batch_id AS from_batch, b.sources AS to_sources,
       b.batch_id AS to_batch
ORDER BY uid, party
