// Incidents within two hops of an entity, with dates, for its timeline.
// access: entity
// exposes: uid=Incident
{{by_uid n = $uid}}
MATCH (n)-[*1..2]-(i:Incident)
WHERE i.date IS NOT NULL
RETURN DISTINCT i.uid AS uid, i.date AS date, coalesce(i.context, 'unknown') AS context, i.kind AS kind,
       i.country AS country
ORDER BY date
LIMIT $limit
