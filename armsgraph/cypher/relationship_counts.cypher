// Number of relationships per type.
// access: aggregate
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
