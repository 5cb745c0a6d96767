// Nodes with the given uids, with their label and properties (for subgraph exports).
// access: entity
// exposes: uid=*, props=*
{{by_uid n IN $uids}}
RETURN n.uid AS uid, labels(n)[0] AS label, properties(n) AS props, n.classification AS classification
