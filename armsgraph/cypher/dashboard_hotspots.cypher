// Hotspots: incidents, centre of the located ones, first and last date, the trend the analytics computed, and the
// hotspot's summary: its name and trend class (e.g. "Tijuana, Baja California, MEX (intensifying)").
// access: aggregate
MATCH (i:Incident)
WHERE i.hotspot IS NOT NULL
WITH i.hotspot AS hotspot, count(i) AS incidents, avg(i.lat) AS lat, avg(i.lon) AS lon, min(i.date) AS first,
     max(i.date) AS last
OPTIONAL MATCH (c:Cluster {uid: hotspot})
RETURN hotspot, incidents, lat, lon, first, last, c.score AS trend, c.summary AS summary
ORDER BY incidents DESC, hotspot
