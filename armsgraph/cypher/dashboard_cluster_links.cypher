// The LINKED edges inside one cluster with the rules and evidence that make each link, strongest first.
// access: entity
// exposes: source=Incident, target=Incident
MATCH (a:Incident)-[l:LINKED]->(b:Incident)
WHERE a.cluster = $cluster
RETURN a.uid AS source, b.uid AS target, l.rules AS rules, l.weight AS weight, l.evidence AS evidence,
       l.sources AS sources
ORDER BY weight DESC, source, target
LIMIT $limit
