// Incidents sharing a firearm, person, organisation, identifier or ballistic hit group with a case's incidents.
MATCH (c:Case {uid: $case})-[:CONCERNS]->(i:Incident)-[a]-(x)-[b]-(j:Incident)
WHERE i <> j AND type(a) IN ['SEIZED', 'INVOLVED_IN', 'USES', 'RECOVERED_AT'] AND type(a) = type(b)
RETURN i.uid AS from_uid, j.uid AS uid, properties(j) AS props, labels(x)[0] AS via_label, x.uid AS via,
       x.sources AS via_sources
ORDER BY j.uid
