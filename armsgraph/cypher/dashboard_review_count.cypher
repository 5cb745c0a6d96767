// How many entity-resolution candidates (POSSIBLY_SAME) have one of the given statuses.
// access: entity
// exposes: none
MATCH ()-[r:POSSIBLY_SAME]->()
WHERE coalesce(r.status, 'pending') IN $statuses
RETURN count(r) AS candidates
