// Trace requests with their dates, status, outcome and the firearm traced.
// access: entity
// exposes: uid=TraceRequest, firearm=Firearm
MATCH (t:TraceRequest)
OPTIONAL MATCH (t)-[:FOR]->(f:Firearm)
RETURN t.uid AS uid, t.requesting_state AS requesting_state, t.requested_state AS requested_state, t.sent AS sent,
       t.acknowledged AS acknowledged, t.answered AS answered, t.status AS status, t.outcome AS outcome,
       f.uid AS firearm
ORDER BY uid
