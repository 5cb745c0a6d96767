// Record how many firearms were diverted from each organisation.
// access: admin
// sets: Organisation
UNWIND $rows AS row
MATCH (o:Organisation {uid: row.uid})
SET o.diverted_firearms = row.diverted_firearms
