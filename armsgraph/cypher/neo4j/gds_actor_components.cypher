// Connected components of the projected actor graph (GDS weakly connected components), kept in the projection as `component`.
// access: admin
CALL gds.wcc.mutate($graph, {mutateProperty: 'component'})
YIELD componentCount, nodePropertiesWritten
RETURN componentCount AS components, nodePropertiesWritten AS nodes
