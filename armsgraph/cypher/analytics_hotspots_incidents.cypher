// Every incident with its coordinates (its own, else its city or point place), date, country, firearms, and the
// names of its city and subdivision (to name hotspots by the places they cover).
// access: entity
// exposes: uid=Incident
MATCH (i:Incident)
OPTIONAL MATCH (i)-[:AT]->(p:Place)
WITH i, collect(p) AS at
WITH i, [p IN at WHERE p.kind IN ['city', 'point'] AND p.lat IS NOT NULL AND p.lon IS NOT NULL] AS places,
     [p IN at WHERE p.kind = 'city' | p.name] AS cities, [p IN at WHERE p.kind = 'subdivision' | p.name] AS regions
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
WITH i, places, cities, regions, count(f) AS firearms_seized
RETURN i.uid AS uid, i.date AS date, i.country AS country,
       CASE WHEN i.lat IS NULL OR i.lon IS NULL THEN places[0].lat ELSE i.lat END AS lat,
       CASE WHEN i.lat IS NULL OR i.lon IS NULL THEN places[0].lon ELSE i.lon END AS lon,
       i.firearms_qty AS firearms_qty, firearms_seized, cities[0] AS city, regions[0] AS region
ORDER BY uid
