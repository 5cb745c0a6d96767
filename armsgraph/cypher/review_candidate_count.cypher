// How many POSSIBLY_SAME candidates join two nodes (either direction).
// access: entity
// exposes: none
MATCH (a)-[r:POSSIBLY_SAME]-(b)
WHERE a.uid = $left AND b.uid = $right
RETURN count(r) AS count
