// Every incident with its coordinates (its own, else its city or point place), date, country and firearms.
// access: entity
// exposes: uid=Incident
MATCH (i:Incident)
OPTIONAL MATCH (i)-[:AT]->(p:Place)
WHERE p.kind IN ['city', 'point'] AND p.lat IS NOT NULL AND p.lon IS NOT NULL
WITH i, collect(p) AS places
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
WITH i, places, count(f) AS firearms_seized
RETURN i.uid AS uid, i.date AS date, i.country AS country,
       CASE WHEN i.lat IS NULL OR i.lon IS NULL THEN places[0].lat ELSE i.lat END AS lat,
       CASE WHEN i.lat IS NULL OR i.lon IS NULL THEN places[0].lon ELSE i.lon END AS lon,
       i.firearms_qty AS firearms_qty, firearms_seized
ORDER BY uid
