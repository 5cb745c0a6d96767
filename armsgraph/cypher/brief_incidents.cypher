// Incidents by uid with their properties (the linked incidents a brief lists).
// access: entity
// exposes: uid=Incident, props=Incident
UNWIND $uids AS id
MATCH (i:Incident {uid: id})
RETURN i.uid AS uid, properties(i) AS props
ORDER BY uid
