// Whether the graph holds any node at all (1) or none (0): a first load may then use the store's bulk path.
// access: aggregate
MATCH (n)
WITH n LIMIT 1
RETURN count(n) AS nodes
