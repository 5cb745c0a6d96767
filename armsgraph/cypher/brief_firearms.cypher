// Firearms seized in a case's incidents, each with its legal history (transfers and parties).
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[:SEIZED]->(f:Firearm)
OPTIONAL MATCH (f)-[h:HISTORY]->(t:Transfer)
OPTIONAL MATCH (t)-[:FROM]->(a)
OPTIONAL MATCH (t)-[:TO]->(b)
RETURN f.uid AS uid, properties(f) AS props, i.uid AS incident, h.order AS order, properties(t) AS transfer,
       a.name AS from_name, b.name AS to_name
ORDER BY f.uid, h.order
