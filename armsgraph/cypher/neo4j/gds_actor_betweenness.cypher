// Betweenness of every actor in the projected graph (GDS Brandes; exact when $sampling_size is the node count, else from that many seeded sources), kept in the projection as `betweenness`.
// access: admin
CALL gds.betweenness.mutate($graph, {mutateProperty: 'betweenness', samplingSize: $sampling_size, samplingSeed: $seed})
YIELD nodePropertiesWritten, centralityDistribution
RETURN nodePropertiesWritten AS nodes, centralityDistribution.max AS max_raw
