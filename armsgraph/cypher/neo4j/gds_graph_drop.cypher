// Drop a projected GDS graph from the catalog if it is there.
// access: admin
CALL gds.graph.drop($graph, false)
YIELD graphName
RETURN graphName AS graph
