// Examiner hits between pieces of ballistic evidence.
MATCH (a:BallisticEvidence)-[:HIT]->(b:BallisticEvidence)
RETURN a.uid AS source, b.uid AS target
