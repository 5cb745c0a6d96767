// Located incidents per map cell ($cell degrees square) and context: the cell's centre, incidents, and how
// many of them are in a hotspot (for maps too dense to draw one point per incident; no record ids).
// access: aggregate
MATCH (i:Incident)
WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL
WITH floor(i.lat / $cell) AS row, floor(i.lon / $cell) AS col, coalesce(i.context, 'unknown') AS context,
     i.hotspot AS hotspot
RETURN (row + 0.5) * $cell AS lat, (col + 0.5) * $cell AS lon, context, count(*) AS incidents,
       count(hotspot) AS in_hotspot
ORDER BY incidents DESC, lat, lon, context
