// Existing range indexes (FalkorDB only; Neo4j's DDL has IF NOT EXISTS).
// access: admin
CALL db.indexes() YIELD label, properties
RETURN label, properties
