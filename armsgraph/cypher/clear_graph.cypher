// Delete every node and relationship (tests and `armsgraph reset` only).
MATCH (n)
DETACH DELETE n
