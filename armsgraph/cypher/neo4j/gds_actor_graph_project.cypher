// Project the actor graph into GDS (Cypher projection): persons and organisations tied as analytics_actor_edges ties them, one undirected relationship per pair weighted by its ties, lone actors included.
// access: admin
CALL () {
  MATCH (a)-[:INVOLVED_IN]->(i:Incident)<-[:INVOLVED_IN]-(b)
  WHERE a.uid < b.uid
  RETURN a, b
  UNION ALL
  MATCH (a)-[:USES]->(x:Identifier)<-[:USES]-(b)
  WHERE a.uid < b.uid AND NOT a:Incident AND NOT b:Incident
  RETURN a, b
  UNION ALL
  MATCH (a)<-[:FROM]-(t:Transfer)-[:TO]->(b)
  WHERE NOT a:Organisation OR NOT b:Organisation OR a.kind IN ['broker', 'criminal group'] OR b.kind IN ['broker', 'criminal group']
  RETURN a, b
  UNION ALL
  MATCH (a)-[r:ASSOCIATED_WITH]->(b)
  RETURN a, b
  UNION ALL
  MATCH (a)
  WHERE a:Person OR a:Organisation
  RETURN a, null AS b
}
WITH a, b
WHERE b IS NULL OR a <> b
WITH CASE WHEN b IS NULL OR a.uid < b.uid THEN a ELSE b END AS source,
     CASE WHEN b IS NULL OR a.uid < b.uid THEN b ELSE a END AS target
WITH source, target, count(*) AS ties
WITH gds.graph.project(
       $graph, source, target,
       CASE WHEN target IS NULL THEN {sourceNodeLabels: labels(source)}
            ELSE {sourceNodeLabels: labels(source), targetNodeLabels: labels(target),
                  relationshipProperties: {weight: toFloat(ties)}} END,
       {undirectedRelationshipTypes: ['*']}
     ) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
