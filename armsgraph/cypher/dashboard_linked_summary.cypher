// Number of linked-incident clusters and of incidents that belong to one.
// access: aggregate
MATCH (i:Incident)
WHERE i.cluster IS NOT NULL
RETURN count(DISTINCT i.cluster) AS clusters, count(i) AS incidents
