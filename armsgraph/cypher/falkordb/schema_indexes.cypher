// Existing range indexes and whether each is built (FalkorDB only; Neo4j's DDL has IF NOT EXISTS).
// access: admin
CALL db.indexes() YIELD label, properties, status
RETURN label, properties, status
