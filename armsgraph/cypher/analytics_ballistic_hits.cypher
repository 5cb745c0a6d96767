// Examiner hits between pieces of ballistic evidence.
// access: entity
// exposes: source=BallisticEvidence, target=BallisticEvidence
MATCH (a:BallisticEvidence)-[:HIT]->(b:BallisticEvidence)
RETURN a.uid AS source, b.uid AS target
