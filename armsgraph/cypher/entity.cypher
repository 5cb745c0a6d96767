// One node by uid: its label, properties and provenance.
// access: entity
// exposes: uid=*, properties=*
{{by_uid n = $uid}}
RETURN labels(n)[0] AS label, n.uid AS uid, properties(n) AS properties, n.classification AS classification
