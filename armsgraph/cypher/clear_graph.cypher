// Delete every node and relationship (tests and `armsgraph reset` only).
// access: admin
MATCH (n)
DETACH DELETE n
