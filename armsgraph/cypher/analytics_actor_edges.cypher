// Ties between persons and organisations: co-involvement, shared identifiers, transfers, recorded
// associations (via = the association's kind as recorded) (not membership: a large group would glue
// separate cells into one network).
// access: entity
// exposes: source=Person|Organisation, target=Person|Organisation, via=Incident|Identifier|Transfer
MATCH (a)-[:INVOLVED_IN]->(i:Incident)<-[:INVOLVED_IN]-(b)
WHERE a.uid < b.uid
RETURN a.uid AS source, b.uid AS target, 'co-involvement' AS kind, i.uid AS via
UNION ALL
MATCH (a)-[:USES]->(x:Identifier)<-[:USES]-(b)
WHERE a.uid < b.uid AND NOT a:Incident AND NOT b:Incident
RETURN a.uid AS source, b.uid AS target, 'identifier' AS kind, x.uid AS via
UNION ALL
MATCH (a)<-[:FROM]-(t:Transfer)-[:TO]->(b)
WHERE NOT a:Organisation OR NOT b:Organisation OR a.kind IN ['broker', 'criminal group'] OR b.kind IN ['broker', 'criminal group']
RETURN a.uid AS source, b.uid AS target, 'transfer' AS kind, t.uid AS via
UNION ALL
MATCH (a)-[r:ASSOCIATED_WITH]->(b)
RETURN a.uid AS source, b.uid AS target, 'association' AS kind, r.kind AS via
