// Hotspots: incidents, centre of the located ones, first and last date, and the trend the analytics computed.
// access: aggregate
MATCH (i:Incident)
WHERE i.hotspot IS NOT NULL
WITH i.hotspot AS hotspot, count(i) AS incidents, avg(i.lat) AS lat, avg(i.lon) AS lon, min(i.date) AS first,
     max(i.date) AS last
OPTIONAL MATCH (c:Cluster {uid: hotspot})
RETURN hotspot, incidents, lat, lon, first, last, c.score AS trend
ORDER BY incidents DESC, hotspot
