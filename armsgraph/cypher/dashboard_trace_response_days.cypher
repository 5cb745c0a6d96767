// Answered trace requests per requested state and days from sending to answer.
// access: aggregate
// Days are differences of day numbers computed from the ISO dates (a partial date counts from the
// first day of its month or year), in integer arithmetic both dialects share.
MATCH (t:TraceRequest)
WHERE t.sent IS NOT NULL AND t.answered IS NOT NULL
WITH t, [d IN [t.sent, t.answered] | [toInteger(substring(d, 0, 4)),
         CASE WHEN size(d) >= 7 THEN toInteger(substring(d, 5, 2)) ELSE 1 END,
         CASE WHEN size(d) >= 10 THEN toInteger(substring(d, 8, 2)) ELSE 1 END]] AS ymd
WITH t, [p IN ymd | [p[0] + 4800 - (14 - p[1]) / 12, p[1] + 12 * ((14 - p[1]) / 12) - 3, p[2]]] AS shifted
WITH t, [q IN shifted | q[2] + (153 * q[1] + 2) / 5 + 365 * q[0] + q[0] / 4 - q[0] / 100 + q[0] / 400] AS day
WHERE day[0] IS NOT NULL AND day[1] IS NOT NULL
RETURN t.requested_state AS requested_state, day[1] - day[0] AS days, count(t) AS requests
ORDER BY requested_state, days
