// Entity-resolution candidates (POSSIBLY_SAME) with a given status, both sides described, for `armsgraph review list`.
// access: entity
// exposes: left_uid=Person|Organisation|Firearm, right_uid=Person|Organisation|Firearm
MATCH (a)-[r:POSSIBLY_SAME]->(b)
WHERE coalesce(r.status, 'pending') IN $statuses
RETURN labels(a)[0] AS label, a.uid AS left_uid, coalesce(a.name, a.serial, a.uid) AS left_name,
       b.uid AS right_uid, coalesce(b.name, b.serial, b.uid) AS right_name, r.rule AS rule, r.score AS score,
       coalesce(r.status, 'pending') AS status, r.decided_by AS decided_by, r.decided_at AS decided_at
ORDER BY score DESC, left_uid, right_uid
LIMIT $limit
