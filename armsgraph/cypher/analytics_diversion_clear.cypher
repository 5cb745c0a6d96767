// Remove the diverted-firearms counts of an earlier diversion analysis.
// access: admin
MATCH (o:Organisation)
WHERE o.diverted_firearms IS NOT NULL
SET o.diverted_firearms = null
