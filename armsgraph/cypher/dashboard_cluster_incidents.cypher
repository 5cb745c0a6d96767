// The incidents of one linked-incident cluster.
MATCH (i:Incident)
WHERE i.cluster = $cluster
RETURN i.uid AS uid, i.date AS date, i.kind AS kind, i.context AS context, i.country AS country, i.city AS city,
       i.sources AS sources
ORDER BY date, uid
