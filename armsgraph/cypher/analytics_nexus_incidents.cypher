// Every incident with its criminal context and date, for the nexus analysis.
// access: entity
// exposes: incident=Incident
MATCH (i:Incident)
RETURN i.uid AS incident, i.context AS context, i.date AS date
ORDER BY incident
