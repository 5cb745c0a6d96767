"""The column-wise ingest paths give exactly what the row-by-row rules give (pairs, person rule, places)."""

from __future__ import annotations

import random
from itertools import product

import numpy as np

from armsgraph.ingest.resolve import (
    PERSON_SAME,
    PERSON_SIMILAR_DATED,
    PERSON_SIMILAR_UNDATED,
    PersonKeys,
    PersonTable,
    Thresholds,
    _Groups,
    _pair_batches,
    _pairs,
    _Uncertain,
    person_rule,
)
from armsgraph.ingest.validate import Normaliser


def _batched(count: int, keys: list[list[str]], limit: int, size: int) -> list[tuple[int, int]]:
    return [
        (int(a), int(b))
        for left, right in _pair_batches(count, lambda i: keys[i], limit, size)
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
    ]


def test_pair_batches_give_the_pairs_of_the_blocks_in_order_each_once() -> None:
    keys = [["x", "y"], ["x"], ["y", "y"], [], ["x", "y", "z"], ["z"]]
    expected = [(0, 1), (0, 2), (0, 4), (1, 4), (2, 2), (2, 4), (4, 5)]  # (2, 2): record 2 is twice in block y
    assert list(_pairs(6, lambda i: keys[i], 500)) == expected
    for size in (1, 2, 3, 1000):  # the batch cut never splits one record's pairs, never changes the order
        assert _batched(6, keys, 500, size) == expected
    assert _batched(6, keys, 3, 1000) == [(0, 1), (0, 4), (1, 4), (4, 5)]  # block y (4 members) is too large
    assert _batched(0, [], 500, 10) == []


def test_pair_batches_equal_the_row_by_row_pairs_on_random_blocks() -> None:
    rng = random.Random(5)
    for _ in range(200):
        count, names = rng.randint(0, 50), rng.randint(1, 12)
        keys = [[f"k{rng.randint(0, names)}" for _ in range(rng.randint(0, 4))] for _ in range(count)]
        limit, size = rng.choice([2, 3, 6, 500]), rng.choice([1, 4, 50, 10_000])
        assert _batched(count, keys, limit, size) == list(_pairs(count, lambda i: keys[i], limit))


def _keys(names: tuple[str, ...], dob: str | None, nationality: str | None) -> PersonKeys:
    digits = tuple(sorted({t for t in (names[0] if names else "").split() if t.isdigit()}))
    return PersonKeys(names, names[0] if names else "", dob, nationality, digits)


def test_person_table_judges_every_pair_as_the_person_rule_does() -> None:
    names = [("ivan ivanov",), ("ivanov ivann",), ("ivan ivanov petrovich", "vanya"), (), ("ivan 2 ivanov",), ("x y",)]
    dobs = [None, "1980-01-02", "1980-01-02", "1980-05-05", "1981"]
    nationalities = [None, "RUS", "UKR"]
    keys = [_keys(n, d, c) for n, d, c in product(names, dobs, nationalities)]
    pairs = [(a, b) for a in range(len(keys)) for b in range(a, len(keys))]
    thresholds = Thresholds()
    groups, uncertain = _Groups(len(keys)), _Uncertain()
    left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    PersonTable(keys).judge(left, right, thresholds, groups, uncertain)

    expected, unsure = _Groups(len(keys)), []
    for a, b in pairs:
        found = person_rule(keys[a], keys[b], thresholds)
        if found is not None and found[0]:
            expected.union(a, b, found[1])
        elif found is not None:
            unsure.append((a, b, found[1], found[2]))
    assert groups.joins == expected.joins and groups.groups() == expected.groups()
    assert any(rule.startswith(PERSON_SAME.split("(")[0]) for _, rule in expected.joins)
    got = [
        (a, b, uncertain.rules[r], s) for a, b, r, s in zip(uncertain.a, uncertain.b, uncertain.rule, uncertain.score)
    ]
    assert got == unsure
    assert {rule for *_, rule, _ in unsure} == {PERSON_SIMILAR_DATED, PERSON_SIMILAR_UNDATED}


def test_person_table_takes_the_best_score_of_any_two_names_and_zero_without_names() -> None:
    keys = [_keys(("abc def", "zzz"), None, None), _keys(("qqq", "def abc"), None, None), _keys((), None, None)]
    table = PersonTable(keys)
    same_dob = np.zeros(2, dtype=bool)
    scores = table.similarity(np.array([0, 0]), np.array([1, 2]), same_dob).tolist()
    assert scores == [100.0, 0.0]


def test_a_subdivision_remembered_is_still_reported_on_every_row_it_is_wrong() -> None:
    normalise, problems = Normaliser(), []
    for row in (2, 3):
        values = {"incident_id": f"I{row}", "country": "USA", "subdivision": "Bavaria", "date": "2021"}
        out = normalise("incidents", "incidents.csv", row, values, problems)
        assert out is not None and out["subdivision"] == "Bavaria"  # kept as recorded, with a warning
    good = normalise("incidents", "incidents.csv", 4, {"incident_id": "I4", "subdivision": "US-IL"}, problems)
    assert good is not None and (good["subdivision"], good["country"]) == ("US-IL", "USA")
    assert [(p.row, p.column, p.severity) for p in problems] == [
        (2, "subdivision", "warning"),
        (3, "subdivision", "warning"),
    ]
    assert all("kept as recorded" in p.reason and p.value == "Bavaria" for p in problems)
