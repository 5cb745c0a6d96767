// Located incidents for maps: date, coordinates, country, context and hotspot (no record ids).
// access: aggregate
MATCH (i:Incident)
WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL
RETURN i.date AS date, i.lat AS lat, i.lon AS lon, i.country AS country,
       coalesce(i.context, 'unknown') AS context, i.hotspot AS hotspot
LIMIT $limit
