// Time-to-crime: traced firearms per number of days from their last legal transfer to their first recovery.
// access: aggregate
// Days are differences of day numbers computed from the ISO dates (a partial date counts from the
// first day of its month or year), in integer arithmetic both dialects share.
MATCH (f:Firearm)-[:HISTORY]->(t:Transfer)
WHERE t.last_legal = true AND t.date IS NOT NULL
MATCH (i:Incident)-[:SEIZED]->(f)
WHERE i.date IS NOT NULL
WITH f, t, min(i.date) AS recovered
WITH f, [d IN [t.date, recovered] | [toInteger(substring(d, 0, 4)),
         CASE WHEN size(d) >= 7 THEN toInteger(substring(d, 5, 2)) ELSE 1 END,
         CASE WHEN size(d) >= 10 THEN toInteger(substring(d, 8, 2)) ELSE 1 END]] AS ymd
WITH f, [p IN ymd | [p[0] + 4800 - (14 - p[1]) / 12, p[1] + 12 * ((14 - p[1]) / 12) - 3, p[2]]] AS shifted
WITH f, [q IN shifted | q[2] + (153 * q[1] + 2) / 5 + 365 * q[0] + q[0] / 4 - q[0] / 100 + q[0] / 400] AS day
WHERE day[0] IS NOT NULL AND day[1] IS NOT NULL
RETURN day[1] - day[0] AS days, count(f) AS firearms
ORDER BY days
