// Shortest path between two actors over the projected actor graph (GDS Dijkstra without weights: fewest ties).
// access: admin
MATCH (a {uid: $source})
MATCH (b {uid: $target})
CALL gds.shortestPath.dijkstra.stream($graph, {sourceNode: a, targetNode: b})
YIELD nodeIds, totalCost
RETURN [n IN gds.util.asNodes(nodeIds) | n.uid] AS uids, toInteger(totalCost) AS hops
