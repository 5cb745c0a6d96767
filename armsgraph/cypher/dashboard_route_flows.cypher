// Place-to-place flows along routes: incidents and firearms per departure, destination and mode.
// access: aggregate
MATCH (r:Route)<-[:ALONG]-(i:Incident)
OPTIONAL MATCH (i)-[:SEIZED]->(f:Firearm)
RETURN r.departure AS departure, r.destination AS destination, coalesce(r.mode, 'unknown') AS mode,
       count(DISTINCT i) AS incidents, count(DISTINCT f) AS firearms
ORDER BY firearms DESC, incidents DESC
LIMIT $limit
