// Label and classifications of the nodes with the given uids (one branch per model label, each by its key index).
// A Transfer carries its firearm's and its parties' classifications too: its uid holds the firearm's serial.
// access: admin
UNWIND $uids AS id
MATCH (n:BallisticEvidence {uid: id})
RETURN n.uid AS uid, 'BallisticEvidence' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Case {uid: id})
RETURN n.uid AS uid, 'Case' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Cluster {uid: id})
RETURN n.uid AS uid, 'Cluster' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Firearm {uid: id})
RETURN n.uid AS uid, 'Firearm' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Identifier {uid: id})
RETURN n.uid AS uid, 'Identifier' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Incident {uid: id})
RETURN n.uid AS uid, 'Incident' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Organisation {uid: id})
RETURN n.uid AS uid, 'Organisation' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Person {uid: id})
RETURN n.uid AS uid, 'Person' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Place {uid: id})
RETURN n.uid AS uid, 'Place' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Route {uid: id})
RETURN n.uid AS uid, 'Route' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:TraceRequest {uid: id})
RETURN n.uid AS uid, 'TraceRequest' AS label, [n.classification] AS levels
UNION ALL
UNWIND $uids AS id
MATCH (n:Transfer {uid: id})
OPTIONAL MATCH (f:Firearm)-[:HISTORY]->(n)
OPTIONAL MATCH (n)-[:FROM|TO]->(p)
WITH n, collect(f.classification) + collect(p.classification) AS linked
RETURN n.uid AS uid, 'Transfer' AS label, [n.classification] + linked AS levels
