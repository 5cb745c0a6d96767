// Route legs of every incident, in order, with the incident's date and firearms.
// access: aggregate
MATCH (i:Incident)-[:ALONG]->(r:Route)-[l:LEG]->(p:Place)
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
RETURN i.uid AS incident, i.date AS date, i.firearms_qty AS firearms_qty, count(f) AS firearms_seized,
       r.uid AS route, r.mode AS mode, l.order AS order, l.role AS role, p.uid AS place, p.code AS code,
       p.name AS name
