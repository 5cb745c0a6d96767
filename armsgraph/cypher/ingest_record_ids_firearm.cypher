// Add record ids to resolved Firearm nodes, keeping ids already there (idempotent union).
// access: admin
UNWIND $rows AS row
MATCH (n:Firearm {uid: row.uid})
WITH n, row, coalesce(n.record_ids, []) AS have
SET n.record_ids = have + [id IN row.record_ids WHERE NOT id IN have]
RETURN count(n) AS matched
