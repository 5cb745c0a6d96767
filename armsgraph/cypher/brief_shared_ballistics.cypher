// Incidents where ballistic evidence was recovered that an examiner matched (a hit) to evidence of a case's incidents.
// access: entity
// exposes: from_uid=Incident, uid=Incident, from_evidence=BallisticEvidence, to_evidence=BallisticEvidence
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)<-[:RECOVERED_AT]-(e1:BallisticEvidence)-[:HIT]-(e2:BallisticEvidence)
MATCH (e2)-[:RECOVERED_AT]->(j:Incident)
WHERE i <> j
RETURN DISTINCT i.uid AS from_uid, j.uid AS uid, properties(e1) AS from_evidence, properties(e2) AS to_evidence
ORDER BY uid
