// Uids a prosecutor's cases reach: the cases, their charged parties and incidents, and what lies within two hops of
// those incidents, never through a place, route, cluster or other case (hubs that would reach every incident of a
// country) nor along an unconfirmed POSSIBLY_SAME candidate; other cases are never in scope.
// access: admin
MATCH (c:Case)
WHERE c.uid IN $cases
RETURN c.uid AS uid
UNION
MATCH (c:Case)-[:CHARGES]->(d)
WHERE c.uid IN $cases
RETURN d.uid AS uid
UNION
MATCH (c:Case)-[:CONCERNS]->(i:Incident)
WHERE c.uid IN $cases
RETURN i.uid AS uid
UNION
MATCH (c:Case)-[:CONCERNS]->(i:Incident)-[r]-(m)
WHERE c.uid IN $cases AND type(r) <> 'POSSIBLY_SAME' AND NOT m:Case
RETURN m.uid AS uid
UNION
MATCH (c:Case)-[:CONCERNS]->(i:Incident)-[r]-(m)-[s]-(n)
WHERE c.uid IN $cases AND type(r) <> 'POSSIBLY_SAME' AND type(s) <> 'POSSIBLY_SAME'
  AND NOT (m:Case OR m:Place OR m:Route OR m:Cluster) AND NOT n:Case
RETURN n.uid AS uid
