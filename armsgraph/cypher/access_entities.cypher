// Label and classifications of the nodes with the given uids: one branch per model label, each by its key index,
// uids grouped by classification (a row per group: the client reads a list far faster than as many rows).
// A Transfer carries its firearm's and its parties' classifications too: its uid holds the firearm's serial.
// access: admin
UNWIND $uids AS id
MATCH (n:BallisticEvidence {uid: id})
RETURN 'BallisticEvidence' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Case {uid: id})
RETURN 'Case' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Cluster {uid: id})
RETURN 'Cluster' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Firearm {uid: id})
RETURN 'Firearm' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Identifier {uid: id})
RETURN 'Identifier' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Incident {uid: id})
RETURN 'Incident' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Organisation {uid: id})
RETURN 'Organisation' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Person {uid: id})
RETURN 'Person' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Place {uid: id})
RETURN 'Place' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Route {uid: id})
RETURN 'Route' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Result {uid: id})
RETURN 'Result' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:TraceRequest {uid: id})
RETURN 'TraceRequest' AS label, [n.classification] AS levels, collect(n.uid) AS uids
UNION ALL
UNWIND $uids AS id
MATCH (n:Transfer {uid: id})
OPTIONAL MATCH (f:Firearm)-[:HISTORY]->(n)
OPTIONAL MATCH (n)-[:FROM|TO]->(p)
WITH n, collect(f.classification) + collect(p.classification) AS linked
WITH n.uid AS uid, [n.classification] + linked AS levels
RETURN 'Transfer' AS label, levels, collect(uid) AS uids
