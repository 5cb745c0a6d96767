// Incidents per month (YYYY-MM) and context, for trend charts.
// access: aggregate
MATCH (i:Incident)
WHERE i.date IS NOT NULL AND size(i.date) >= 7
RETURN substring(i.date, 0, 7) AS month, coalesce(i.context, 'unknown') AS context, count(*) AS incidents
ORDER BY month, context
