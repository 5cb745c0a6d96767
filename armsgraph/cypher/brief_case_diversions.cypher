// The diversions of a case's firearms: per case incident, the party each firearm was diverted from, with the
// seizure (firearms.csv) and diversion (transfers.csv) records.
// access: entity
// exposes: from_uid=Incident, party=Person|Organisation, from_firearm=Firearm, from_transfer=Transfer
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[s1:SEIZED]->(f1:Firearm)-[:HISTORY]->(t1:Transfer)
WHERE t1.diversion = true
MATCH (t1)-[:FROM]->(party)
RETURN i.uid AS from_uid, party.uid AS party, properties(f1) AS from_firearm, properties(t1) AS from_transfer,
       s1.sources AS from_seized, s1.batch_id AS from_seized_batch
ORDER BY from_uid, party
