// Record how many firearms were diverted from each organisation.
// access: admin
UNWIND $rows AS row
MATCH (o:Organisation {uid: row.uid})
SET o.diverted_firearms = row.firearms
