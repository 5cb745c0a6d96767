// The newest trace requests with the firearm they trace and their dates, status and outcome.
// access: entity
// exposes: uid=TraceRequest, firearm=Firearm
MATCH (t:TraceRequest)
WITH t ORDER BY t.sent DESC, t.uid LIMIT $limit
OPTIONAL MATCH (t)-[:FOR]->(f:Firearm)
RETURN t.uid AS uid, f.uid AS firearm, t.requesting_state AS requesting_state,
       t.requested_state AS requested_state, t.sent AS sent, t.acknowledged AS acknowledged,
       t.answered AS answered, coalesce(t.status, 'unknown') AS status, coalesce(t.outcome, 'unknown') AS outcome
ORDER BY sent DESC, uid
