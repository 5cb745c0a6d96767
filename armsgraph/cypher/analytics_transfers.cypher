// Legal histories: each firearm's transfers with their parties, and the firearm's first seizure date.
MATCH (f:Firearm)-[h:HISTORY]->(t:Transfer)
OPTIONAL MATCH (t)-[:FROM]->(a)
OPTIONAL MATCH (t)-[:TO]->(b)
OPTIONAL MATCH (i:Incident)-[:SEIZED]->(f)
RETURN f.uid AS firearm, t.uid AS transfer, t.kind AS kind, t.date AS date, t.country AS country, h.order AS order,
       t.last_legal AS last_legal, t.diversion AS diversion, a.uid AS from_uid, a.name AS from_name,
       labels(a)[0] AS from_label, a.kind AS from_kind, a.country AS from_country, a.record_ids AS from_records,
       b.uid AS to_uid, b.name AS to_name, b.kind AS to_kind, min(i.date) AS seized, t.sources AS sources
