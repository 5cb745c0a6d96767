// Number of nodes per label.
MATCH (n)
RETURN labels(n)[0] AS label, count(*) AS count
ORDER BY label
