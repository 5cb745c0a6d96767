// Incidents tied to an identifier (phone, vehicle, parcel…) that one of a case's incidents is tied to: used by the
// incident itself or by a person involved in it. The USES rows of both sides, and who used it.
// access: entity
// exposes: from_uid=Incident, uid=Incident, identifier=Identifier, identifier_props=Identifier, from_user_uid=*, to_user_uid=*
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)
MATCH (i)<-[:INVOLVED_IN*0..1]-(u)-[a:USES]->(x:Identifier)<-[b:USES]-(v)-[:INVOLVED_IN*0..1]->(j:Incident)
WHERE i <> j
RETURN DISTINCT i.uid AS from_uid, j.uid AS uid, u.uid AS from_user_uid, v.uid AS to_user_uid, x.uid AS identifier,
       properties(x) AS identifier_props,
       CASE WHEN u:Incident THEN null ELSE u.name END AS from_user,
       CASE WHEN v:Incident THEN null ELSE v.name END AS to_user, u.sources AS from_user_sources,
       u.batch_id AS from_user_batch, v.sources AS to_user_sources, v.batch_id AS to_user_batch,
       a.sources AS from_sources, a.batch_id AS from_batch, b.sources AS to_sources, b.batch_id AS to_batch
ORDER BY uid, identifier
