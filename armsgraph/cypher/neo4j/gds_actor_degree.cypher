// Number of distinct actors each actor is tied to in the projected graph (GDS degree), kept in the projection as `degree`.
// access: admin
CALL gds.degree.mutate($graph, {mutateProperty: 'degree'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
