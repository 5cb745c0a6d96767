// Record an analyst's decision (accepted / rejected) on one POSSIBLY_SAME candidate.
MATCH (a)-[r:POSSIBLY_SAME]->(b)
WHERE a.uid = $left AND b.uid = $right AND r.rule = $rule
SET r.status = $status, r.decided_by = $decided_by, r.decided_at = $decided_at
RETURN count(r) AS matched
