// LINKED edges with match probability, match weight, prior and each comparison's weight (the waterfall), strongest first.
// access: entity
// exposes: a=Incident, b=Incident
MATCH (a:Incident)-[l:LINKED]->(b:Incident)
WHERE $cluster IS NULL OR a.cluster = $cluster
RETURN a.uid AS a, b.uid AS b, l.weight AS weight, l.match_weight AS match_weight, l.prior_weight AS prior_weight,
       l.comparisons AS comparisons, l.levels AS levels, l.weights AS weights, l.explanation AS explanation
ORDER BY match_weight DESC, a, b
LIMIT $limit
