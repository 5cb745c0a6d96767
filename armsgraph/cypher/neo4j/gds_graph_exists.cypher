// Whether a projected GDS graph is in the catalog.
// access: admin
CALL gds.graph.exists($graph)
YIELD exists
RETURN exists
