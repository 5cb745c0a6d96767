// What tracing established about each firearm: trace-request outcomes, and histories that mark the diversion.
// access: entity
// exposes: firearm=Firearm, evidence=TraceRequest|Transfer
MATCH (t:TraceRequest)-[:FOR]->(f:Firearm)
RETURN f.uid AS firearm, 'trace request' AS basis, t.outcome AS outcome, t.uid AS evidence
UNION ALL
MATCH (f:Firearm)-[:HISTORY]->(t:Transfer)
WHERE t.diversion = true
RETURN f.uid AS firearm, 'traced history' AS basis, 'diverted' AS outcome, t.uid AS evidence
