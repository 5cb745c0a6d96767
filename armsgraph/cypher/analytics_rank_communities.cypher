// Number network communities by size (0 = largest, ties by smallest uid) in place of the raw community ids written on actors; an actor alone in its community has none.
// access: admin
MATCH (a)
WHERE (a:Person OR a:Organisation) AND a.community IS NOT NULL
WITH a.community AS raw, collect(a) AS members, min(a.uid) AS first
ORDER BY size(members) < 2, size(members) DESC, first
WITH collect(members) AS groups
UNWIND range(0, size(groups) - 1) AS rank
UNWIND groups[rank] AS a
SET a.community = CASE WHEN size(groups[rank]) < 2 THEN null ELSE rank END
RETURN count(a) AS matched
