// How many LINKED edges lie inside one cluster (its page lists the strongest of them).
// access: entity
// exposes: none
MATCH (a:Incident)-[l:LINKED]->(:Incident)
WHERE a.cluster = $cluster
RETURN count(l) AS links
