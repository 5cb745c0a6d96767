// Entities tied to incidents of more than one criminal context (the arms–crime–terrorism nexus).
MATCH (i:Incident)-[]-(x)
WHERE i.context IS NOT NULL
  AND (x:Person OR x:Organisation OR x:Firearm OR x:Identifier OR x:Route)
WITH x, collect(DISTINCT i.context) AS contexts, count(DISTINCT i) AS incidents
WHERE size(contexts) > 1
RETURN labels(x)[0] AS label, x.uid AS uid, coalesce(x.name, x.serial, x.value, x.uid) AS caption,
       contexts, incidents
ORDER BY size(contexts) DESC, incidents DESC, uid
LIMIT $limit
