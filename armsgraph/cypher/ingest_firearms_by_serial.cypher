// Firearms already in the graph with one of the given normalised serials (cross-bundle resolution).
// access: entity
// exposes: uid=Firearm
UNWIND $serials AS serial
MATCH (f:Firearm {serial_normalised: serial})
RETURN f.serial_normalised AS serial, f.uid AS uid, f.make AS make, f.type AS type
ORDER BY uid
