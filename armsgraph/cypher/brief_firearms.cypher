// Firearms seized in a case's incidents (with the rows of each seizure), each with its legal history: transfers in
// order, with both parties.
// access: entity
// exposes: uid=Firearm, props=Firearm, incident=Incident, transfer=Transfer, from_props=Person|Organisation, to_props=Person|Organisation
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[s:SEIZED]->(f:Firearm)
OPTIONAL MATCH (f)-[h:HISTORY]->(t:Transfer)
OPTIONAL MATCH (t)-[:FROM]->(a)
OPTIONAL MATCH (t)-[:TO]->(b)
RETURN f.uid AS uid, properties(f) AS props, i.uid AS incident, s.sources AS seized_sources,
       s.batch_id AS seized_batch, h.order AS order, properties(t) AS transfer, a.name AS from_name,
       properties(a) AS from_props, b.name AS to_name, properties(b) AS to_props
ORDER BY f.uid, h.order
