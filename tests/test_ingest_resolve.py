"""Resolution keeps the review queue linear: a common name without a date of birth pairs with a few namesakes."""

from __future__ import annotations

from collections import Counter

from armsgraph.ingest.resolve import Thresholds, resolve
from armsgraph.ingest.validate import Record


def _person(n: int, name: str, dob: str | None = None) -> Record:
    values = {"person_record_id": f"P{n}", "name": name, "date_of_birth": dob}
    return Record("persons", "persons.csv", n, {k: v for k, v in values.items() if v})


def test_namesakes_without_birth_dates_keep_their_best_candidates_only() -> None:
    records = [_person(n, "Emre Ozturk" if n % 2 else "Emre Öztürk") for n in range(1, 21)]
    capped = resolve(records, "s", Thresholds(max_candidates=3))
    unbounded = resolve(records, "s", Thresholds(max_candidates=1_000))
    assert len(unbounded.candidates) == 20 * 19 // 2  # every namesake pair: quadratic
    per_entity = Counter(uid for c in capped.candidates for uid in (c.left, c.right))
    assert len(per_entity) == 20  # nobody loses all of their candidates
    assert len(capped.candidates) <= 3 * 20 and max(per_entity.values()) <= 3 + 1
    assert capped.capped == len(unbounded.candidates) - len(capped.candidates) > 0


def test_a_rare_name_keeps_its_only_candidate_beside_a_crowded_one() -> None:
    crowd = [_person(n, "Emre Ozturk") for n in range(1, 11)]
    records = [*crowd, _person(11, "Emre Ozturkk")]
    resolution = resolve(records, "s", Thresholds(max_candidates=2))
    rare = resolution.uid_of["Person"]["P11"]
    assert any(rare in (c.left, c.right) for c in resolution.candidates)
