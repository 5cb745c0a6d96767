// Entities whose uid, name, serial or value contains the search text (case-insensitive).
// access: entity
// exposes: uid=*
MATCH (n)
WHERE toLower(n.uid) CONTAINS toLower($text)
   OR toLower(coalesce(n.name, '')) CONTAINS toLower($text)
   OR toLower(coalesce(n.serial, '')) CONTAINS toLower($text)
   OR toLower(coalesce(n.value, '')) CONTAINS toLower($text)
RETURN labels(n)[0] AS label, n.uid AS uid,
       coalesce(n.name, n.serial, n.value, n.title, n.uid) AS caption, n.classification AS classification
ORDER BY label, uid
LIMIT $limit
