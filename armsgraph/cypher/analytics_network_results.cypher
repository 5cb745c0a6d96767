// Network results: each person's community, betweenness, degree and the network Cluster it belongs to.
// access: entity
// exposes: uid=Person
MATCH (p:Person)
OPTIONAL MATCH (p)-[:IN_CLUSTER]->(c:Cluster {kind: 'network'})
RETURN p.uid AS uid, p.community AS community, p.betweenness AS betweenness, p.degree AS degree,
       c.uid AS cluster, c.size AS cluster_size
ORDER BY uid
