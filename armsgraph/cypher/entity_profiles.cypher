// Persons, organisations and firearms by uid (review cards, search results): each node's properties, how many
// incidents it is tied to and, for persons and organisations, in how many cases.
// access: entity
// exposes: uid=Person|Organisation|Firearm, props=Person|Organisation|Firearm
UNWIND $uids AS id
MATCH (n:Person {uid: id})
OPTIONAL MATCH (n)-[:INVOLVED_IN]->(i:Incident)
OPTIONAL MATCH (i)<-[:CONCERNS]-(c:Case)
RETURN n.uid AS uid, properties(n) AS props, count(DISTINCT i) AS incidents, count(DISTINCT c) AS cases
UNION ALL
UNWIND $uids AS id
MATCH (n:Organisation {uid: id})
OPTIONAL MATCH (n)-[:INVOLVED_IN]->(i:Incident)
OPTIONAL MATCH (i)<-[:CONCERNS]-(c:Case)
RETURN n.uid AS uid, properties(n) AS props, count(DISTINCT i) AS incidents, count(DISTINCT c) AS cases
UNION ALL
UNWIND $uids AS id
MATCH (n:Firearm {uid: id})
OPTIONAL MATCH (i:Incident)-[:SEIZED]->(n)
OPTIONAL MATCH (i)<-[:CONCERNS]-(c:Case)
RETURN n.uid AS uid, properties(n) AS props, count(DISTINCT i) AS incidents, count(DISTINCT c) AS cases
