// Incidents that seized a firearm also seized in one of a case's incidents, with the firearms.csv rows of both seizures.
// access: entity
// exposes: from_uid=Incident, uid=Incident, firearm=Firearm, firearm_props=Firearm
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[a:SEIZED]->(f:Firearm)<-[b:SEIZED]-(j:Incident)
WHERE i <> j
RETURN i.uid AS from_uid, j.uid AS uid, f.uid AS firearm, properties(f) AS firearm_props,
       a.sources AS from_sources, a.batch_id AS from_batch, b.sources AS to_sources, b.batch_id AS to_batch
ORDER BY uid, firearm
