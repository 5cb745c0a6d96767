// Every incident with what the analyses need: date, place, context, firearms count.
// access: entity
// exposes: uid=Incident
MATCH (i:Incident)
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
RETURN i.uid AS uid, i.date AS date, i.context AS context, i.kind AS kind, i.country AS country, i.agency AS agency,
       i.lat AS lat, i.lon AS lon, i.firearms_qty AS firearms_qty, count(f) AS firearms_seized
