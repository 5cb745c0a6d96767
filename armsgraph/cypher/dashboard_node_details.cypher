// Display attributes of nodes by uid: label, caption, community, context and the roles they played.
// access: entity
// exposes: uid=*
{{by_uid n IN $uids}}
OPTIONAL MATCH (n)-[r:INVOLVED_IN]->(:Incident)
RETURN n.uid AS uid, labels(n)[0] AS label,
       coalesce(n.name, n.serial, n.value, n.title, n.uid) AS caption,
       n.community AS community, n.context AS context, n.date AS date, collect(DISTINCT r.role) AS roles
