// The rows of one aggregate result table (figures that name no one), in order, as JSON objects.
// access: aggregate
MATCH (r:Result {table: $table})
WHERE r.access = 'aggregate'
RETURN r.position AS position, r.data AS data
ORDER BY position
