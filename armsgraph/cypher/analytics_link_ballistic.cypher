// Ballistic evidence recovered at incidents, with the examiner's hit group.
// access: entity
// exposes: incident=Incident, evidence=BallisticEvidence
MATCH (b:BallisticEvidence)-[:RECOVERED_AT]->(i:Incident)
RETURN i.uid AS incident, b.uid AS evidence, b.hit_group AS hit_group, b.sources AS sources
