// Every incident with what the linkage comparisons read: date, place as recorded, modus, description.
// access: admin
MATCH (i:Incident)
RETURN i.uid AS uid, i.date AS date, i.lat AS lat, i.lon AS lon, i.country AS country,
       i.subdivision AS subdivision, i.city AS city, i.attack_type AS attack_type, i.target_type AS target_type,
       i.weapon_types AS weapon_types, i.description AS description
ORDER BY uid
