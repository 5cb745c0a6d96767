// Write the projection's results onto persons and organisations: component, raw Leiden community, betweenness scaled by $betweenness_scale (rounded to 6 places) and, on persons, degree.
// access: admin
CALL gds.graph.nodeProperties.stream($graph, ['component', 'community', 'betweenness', 'degree'])
YIELD nodeId, nodeProperty, propertyValue
WITH nodeId,
     max(CASE nodeProperty WHEN 'component' THEN propertyValue END) AS component,
     max(CASE nodeProperty WHEN 'community' THEN propertyValue END) AS community,
     max(CASE nodeProperty WHEN 'betweenness' THEN propertyValue END) AS betweenness,
     max(CASE nodeProperty WHEN 'degree' THEN propertyValue END) AS degree
WITH gds.util.asNode(nodeId) AS actor, component, community, betweenness, degree
SET actor.component = toInteger(component), actor.community = toInteger(community),
    actor.betweenness = round(betweenness * $betweenness_scale, 6)
FOREACH (_ IN CASE WHEN actor:Person THEN [1] ELSE [] END | SET actor.degree = toInteger(degree))
RETURN count(actor) AS matched
