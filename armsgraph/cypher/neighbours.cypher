// Direct neighbours of a node, with the relationship that joins them and its direction.
// access: entity
// exposes: source=*, uid=*
{{by_uid n = $uid}}
MATCH (n)-[r]-(m)
RETURN n.uid AS source, labels(n)[0] AS source_label, type(r) AS type,
       startNode(r) = n AS outgoing, m.uid AS uid, labels(m)[0] AS label,
       coalesce(m.name, m.serial, m.value, m.title, m.uid) AS caption, m.classification AS classification
ORDER BY type, uid
LIMIT $limit
