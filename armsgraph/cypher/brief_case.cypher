// One case with its properties and provenance.
MATCH (c:Case {uid: $case})
RETURN c.uid AS uid, properties(c) AS props
