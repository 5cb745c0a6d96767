// Record an analyst's decision (accepted / rejected) on the POSSIBLY_SAME candidates between two nodes (idempotent).
MATCH (a)-[r:POSSIBLY_SAME]-(b)
WHERE a.uid = $left AND b.uid = $right
SET r.status = $status, r.decided_by = $decided_by, r.decided_at = $decided_at
RETURN count(r) AS matched
