// The rows of one entity result table (each about one person or organisation), in order, as JSON objects.
// access: entity
// exposes: entity=Person|Organisation|Firearm
MATCH (r:Result {table: $table})
WHERE r.access = 'entity'
RETURN r.position AS position, r.data AS data, r.entity AS entity
ORDER BY position
LIMIT $limit
