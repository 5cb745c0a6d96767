// Incidents per month (YYYY-MM) and hotspot (incidents outside any hotspot are left out).
// access: aggregate
MATCH (i:Incident)
WHERE i.hotspot IS NOT NULL AND i.date IS NOT NULL AND size(i.date) >= 7
RETURN substring(i.date, 0, 7) AS month, i.hotspot AS hotspot, count(*) AS incidents
ORDER BY month, hotspot
