// Firearms with the incident that seized them: type, calibre, status, context, country, year.
// access: aggregate
MATCH (i:Incident)-[:SEIZED]->(f:Firearm)
RETURN f.uid AS firearm, f.type AS type, f.calibre AS calibre, f.status AS status, f.manufacture_mode AS mode,
       i.uid AS incident, i.context AS context, i.country AS country, substring(coalesce(i.date, ''), 0, 4) AS year
