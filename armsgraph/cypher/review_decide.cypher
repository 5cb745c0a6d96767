// Record an analyst's decision on the POSSIBLY_SAME candidates between two nodes; deciding again the same way changes nothing.
// access: write
MATCH (a)-[r:POSSIBLY_SAME]-(b)
WHERE a.uid = $left AND b.uid = $right
WITH r, coalesce(r.status, 'pending') = $status AS same
SET r.decided_by = CASE WHEN same THEN r.decided_by ELSE $decided_by END,
    r.decided_at = CASE WHEN same THEN r.decided_at ELSE $decided_at END,
    r.status = $status
RETURN count(r) AS matched
