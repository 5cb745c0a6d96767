// Record network measures on persons.
// access: admin
// sets: Person
UNWIND $rows AS row
MATCH (p:Person {uid: row.uid})
SET p.community = row.community, p.betweenness = row.betweenness, p.degree = row.degree
