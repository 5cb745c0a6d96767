// The stops of one route in order, with their role (departure / transit / destination).
// access: entity
// exposes: place=Place
MATCH (r:Route {uid: $uid})-[l:LEG]->(p:Place)
RETURN l.order AS order, l.role AS role, p.uid AS place
ORDER BY order
