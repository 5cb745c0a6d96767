// Number of nodes per label (FalkorDB: read from the graph's statistics instead of scanning every node).
// access: aggregate
CALL db.meta.stats() YIELD labels
UNWIND keys(labels) AS label
WITH label, labels[label] AS count
WHERE count > 0
RETURN label, count
ORDER BY label
