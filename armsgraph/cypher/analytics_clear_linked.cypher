// Remove earlier linked-incident results (LINKED edges, clusters, Incident.cluster).
// access: admin
MATCH (c:Cluster {kind: 'linked_incidents'})
DETACH DELETE c
WITH count(*) AS removed
MATCH (a:Incident)-[l:LINKED]->(:Incident)
DELETE l
WITH count(*) AS links
MATCH (i:Incident)
WHERE i.cluster IS NOT NULL
SET i.cluster = NULL
