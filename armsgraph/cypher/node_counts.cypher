// Number of nodes per label.
// access: aggregate
MATCH (n)
RETURN labels(n)[0] AS label, count(*) AS count
ORDER BY label
