// The incidents of one linked-incident cluster.
// access: entity
// exposes: uid=Incident
MATCH (i:Incident)
WHERE i.cluster = $cluster
RETURN i.uid AS uid, i.date AS date, i.kind AS kind, i.context AS context, i.country AS country, i.city AS city,
       i.sources AS sources
ORDER BY date, uid
