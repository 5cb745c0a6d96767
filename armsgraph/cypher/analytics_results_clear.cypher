// Remove the rows of result tables an analysis is about to write again.
// access: admin
MATCH (r:Result)
WHERE r.table IN $tables
DELETE r
