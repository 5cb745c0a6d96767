// Trace requests per status and outcome, with how many of them were answered.
// access: aggregate
MATCH (t:TraceRequest)
RETURN coalesce(t.status, 'unknown') AS status, coalesce(t.outcome, 'unknown') AS outcome,
       count(t) AS requests, count(t.answered) AS answered
ORDER BY status, outcome
