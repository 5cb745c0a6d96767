// One node by uid: its label, properties and provenance.
// access: entity
// exposes: uid=*, properties=*
MATCH (n)
WHERE n.uid = $uid
RETURN labels(n)[0] AS label, n.uid AS uid, properties(n) AS properties, n.classification AS classification
