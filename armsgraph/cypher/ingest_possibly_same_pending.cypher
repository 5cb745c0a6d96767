// Mark new POSSIBLY_SAME candidates as pending; decided ones keep their status across re-ingests.
// access: admin
MATCH ()-[r:POSSIBLY_SAME]->()
WHERE r.status IS NULL
SET r.status = 'pending'
RETURN count(r) AS matched
