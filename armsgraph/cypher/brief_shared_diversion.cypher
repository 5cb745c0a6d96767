// Incidents whose firearm was diverted from the same party as a firearm of one of a case's incidents (the trace
// chain): the firearms.csv rows of both seizures and the transfers.csv rows of both diversions.
// access: entity
// exposes: from_uid=Incident, uid=Incident, party=Person|Organisation, party_props=Person|Organisation, from_firearm=Firearm, to_firearm=Firearm, from_transfer=Transfer, to_transfer=Transfer
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[s1:SEIZED]->(f1:Firearm)-[:HISTORY]->(t1:Transfer)
WHERE t1.diversion = true
MATCH (t1)-[:FROM]->(party)<-[:FROM]-(t2:Transfer)<-[:HISTORY]-(f2:Firearm)<-[s2:SEIZED]-(j:Incident)
WHERE t2.diversion = true AND i <> j
RETURN i.uid AS from_uid, j.uid AS uid, party.uid AS party, properties(party) AS party_props,
       properties(f1) AS from_firearm, properties(t1) AS from_transfer, s1.sources AS from_seized,
       s1.batch_id AS from_seized_batch, properties(f2) AS to_firearm, properties(t2) AS to_transfer,
       s2.sources AS to_seized, s2.batch_id AS to_seized_batch
ORDER BY uid, party
