// Remove earlier result clusters of one kind and the memberships that point at them.
// access: admin
MATCH (c:Cluster {kind: $kind})
DETACH DELETE c
