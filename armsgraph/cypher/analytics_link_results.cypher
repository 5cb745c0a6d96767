// Linked-incident results: every LINKED edge with its rules, weight, evidence and the clusters of both ends.
// access: entity
// exposes: a=Incident, b=Incident
MATCH (a:Incident)-[l:LINKED]->(b:Incident)
OPTIONAL MATCH (a)-[:IN_CLUSTER]->(c:Cluster {kind: 'linked_incidents'})
RETURN a.uid AS a, b.uid AS b, l.rules AS rules, l.weight AS weight, l.evidence AS evidence,
       a.cluster AS cluster_a, b.cluster AS cluster_b, c.uid AS member_of
ORDER BY a, b
