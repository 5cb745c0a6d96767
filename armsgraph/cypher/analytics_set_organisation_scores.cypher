// Record network measures on organisations.
// access: admin
// sets: Organisation
UNWIND $rows AS row
MATCH (o:Organisation {uid: row.uid})
SET o.community = row.community, o.betweenness = row.betweenness
