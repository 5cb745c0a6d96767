// Last legal and diversion transfers of every traced firearm, with both parties and the firearm's first seizure date.
// access: entity
// exposes: firearm=Firearm, transfer=Transfer, from_uid=Person|Organisation, to_uid=Person|Organisation
MATCH (f:Firearm)-[h:HISTORY]->(t:Transfer)
WHERE t.last_legal = true OR t.diversion = true
OPTIONAL MATCH (t)-[:FROM]->(a)
OPTIONAL MATCH (t)-[:TO]->(b)
WITH f, h, t, a, b
OPTIONAL MATCH (i:Incident)-[:SEIZED]->(f)
RETURN f.uid AS firearm, t.uid AS transfer, t.kind AS kind, t.date AS date, t.country AS country, h.order AS order,
       t.last_legal AS last_legal, t.diversion AS diversion, t.sources AS sources,
       a.uid AS from_uid, a.name AS from_name, labels(a)[0] AS from_label, a.kind AS from_kind,
       a.country AS from_country,
       b.uid AS to_uid, b.name AS to_name, labels(b)[0] AS to_label, b.kind AS to_kind, b.country AS to_country,
       min(i.date) AS seized
ORDER BY firearm, order
