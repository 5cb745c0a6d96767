// Incidents LINKED to a case's incidents whose firearm was diverted from the same party as a firearm of that case
// incident (the trace chain): the linked side's seizure and diversion records (the case side: brief_case_diversions).
// access: entity
// exposes: from_uid=Incident, uid=Incident, party=Person|Organisation, party_props=Person|Organisation, to_firearm=Firearm, to_transfer=Transfer
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[:LINKED]-(j:Incident)
WHERE i <> j
WITH DISTINCT i, j
MATCH (i)-[:SEIZED]->(:Firearm)-[:HISTORY]->(t1:Transfer)-[:FROM]->(party)
WHERE t1.diversion = true
WITH DISTINCT i, j, party
MATCH (party)<-[:FROM]-(t2:Transfer)<-[:HISTORY]-(f2:Firearm)<-[s2:SEIZED]-(j)
WHERE t2.diversion = true
RETURN i.uid AS from_uid, j.uid AS uid, party.uid AS party, properties(party) AS party_props,
       properties(f2) AS to_firearm, properties(t2) AS to_transfer, s2.sources AS to_seized,
       s2.batch_id AS to_seized_batch
ORDER BY uid, party
