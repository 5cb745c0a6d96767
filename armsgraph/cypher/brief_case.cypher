// One case with its properties and provenance.
// access: entity
// exposes: uid=Case, props=Case
MATCH (c:Case {uid: $case})
RETURN c.uid AS uid, properties(c) AS props
