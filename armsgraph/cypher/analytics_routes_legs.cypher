// Route legs of every incident in order: each stop with its country and subdivision, the incident's date and firearms.
// access: entity
// exposes: incident=Incident, route=Route, place=Place, country_uid=Place, subdivision_uid=Place
MATCH (i:Incident)-[:ALONG]->(r:Route)
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
WITH i, r, count(f) AS firearms_seized
MATCH (r)-[l:LEG]->(p:Place)
OPTIONAL MATCH (p)-[:IN*1..3]->(c:Place {kind: 'country'})
OPTIONAL MATCH (p)-[:IN*1..2]->(s:Place {kind: 'subdivision'})
RETURN i.uid AS incident, i.date AS date, i.firearms_qty AS firearms_qty, firearms_seized, r.uid AS route,
       l.order AS order, l.role AS role, p.uid AS place, p.kind AS kind, p.code AS code, p.name AS name,
       c.uid AS country_uid, c.code AS country_code, c.name AS country_name,
       s.uid AS subdivision_uid, s.code AS subdivision_code, s.name AS subdivision_name
ORDER BY incident, route, order
