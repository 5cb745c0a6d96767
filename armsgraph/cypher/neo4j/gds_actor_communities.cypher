// Communities of the projected actor graph (GDS Leiden on tie weights, seeded, one thread so a seed gives one answer), kept in the projection as `community`.
// access: admin
CALL gds.leiden.mutate($graph, {
  mutateProperty: 'community', relationshipWeightProperty: 'weight', randomSeed: $seed, concurrency: 1
})
YIELD communityCount, modularity, ranLevels
RETURN communityCount AS communities, modularity, ranLevels AS levels
