// Linked-incident clusters: size, score, summary, and the span and contexts of their incidents.
// access: entity
// exposes: cluster=Cluster
MATCH (i:Incident)
WHERE i.cluster IS NOT NULL
OPTIONAL MATCH (c:Cluster {uid: i.cluster})
WITH i.cluster AS cluster, c, collect(i) AS incidents
RETURN cluster, size(incidents) AS incidents, c.score AS score, c.method AS method, c.summary AS summary,
       [x IN incidents | x.date] AS dates, [x IN incidents | coalesce(x.context, 'unknown')] AS contexts,
       [x IN incidents | x.country] AS countries
ORDER BY incidents DESC, cluster
LIMIT $limit
