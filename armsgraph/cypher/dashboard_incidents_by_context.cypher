// Incidents of the given contexts (uid, date, context), for picking nexus path endpoints.
// access: entity
// exposes: uid=Incident
MATCH (i:Incident)
WHERE i.context IN $contexts
RETURN i.uid AS uid, i.date AS date, i.context AS context, i.country AS country
ORDER BY date DESC, uid
LIMIT $limit
