"""Known answers for each named entity-resolution rule in ``armsgraph.ingest.resolve``."""

from __future__ import annotations

import pytest

from armsgraph.ingest.resolve import (
    FIREARM_MAKE_UNKNOWN,
    FIREARM_OTHER_TYPE,
    FIREARM_SAME,
    FIREARM_SAME_AS_LOADED,
    FIREARM_SIMILAR_MAKE,
    PERSON_SIMILAR_DATED,
    PERSON_SIMILAR_UNDATED,
    Entity,
    PersonKeys,
    Thresholds,
    firearm_candidate,
    firearm_uid,
    group_same_serial,
    loaded_firearm,
    person_rule,
    person_uid,
    resolve,
)
from armsgraph.ingest.validate import Record

T = Thresholds()


def _gun(n: int, **values: object) -> Record:
    return Record("firearms", "firearms.csv", n, {"firearm_record_id": f"F{n}", **values})


def _person(n: int, name: str, dob: str | None = None, nationality: str | None = None, **extra: object) -> Record:
    values = {"person_record_id": f"P{n}", "name": name, "date_of_birth": dob, "nationality": nationality, **extra}
    return Record("persons", "persons.csv", n, {k: v for k, v in values.items() if v})


# --- firearms -------------------------------------------------------------------------------------


def test_same_serial_compatible_records_form_one_group() -> None:
    groups, ambiguous = group_same_serial(
        [_gun(1, make="glock", calibre="9mm"), _gun(2, make="glock"), _gun(3, make="glock", type="pistol")]
    )
    assert [[r.get("firearm_record_id") for r in g] for g in groups] == [["F1", "F2", "F3"]]
    assert ambiguous == []


def test_a_different_calibre_or_year_starts_another_firearm() -> None:
    groups, _ = group_same_serial([_gun(1, make="glock", calibre="9mm"), _gun(2, make="glock", calibre=".40")])
    assert len(groups) == 2
    groups, _ = group_same_serial([_gun(1, make="glock", year=2001), _gun(2, make="glock", year=2002)])
    assert len(groups) == 2


def test_a_makeless_record_fitting_two_firearms_stays_apart_and_is_ambiguous() -> None:
    groups, ambiguous = group_same_serial([_gun(1, make="glock"), _gun(2, make="colt"), _gun(3, calibre="9mm")])
    assert [[r.get("firearm_record_id") for r in g] for g in groups] == [["F1"], ["F2"], ["F3"]]
    assert sorted(ambiguous) == [(2, 0), (2, 1)]


def test_handgun_is_compatible_with_pistol_but_rifle_is_not() -> None:
    groups, _ = group_same_serial([_gun(1, make="glock", type="pistol"), _gun(2, make="glock", type="handgun")])
    assert len(groups) == 1
    groups, _ = group_same_serial([_gun(1, make="glock", type="pistol"), _gun(2, make="glock", type="rifle")])
    assert len(groups) == 2


def test_firearm_uid_prefers_the_specific_type_and_disambiguates_a_taken_uid() -> None:
    records = [_gun(1, make="Glock", type="handgun"), _gun(2, make="Glock", type="pistol", calibre="9mm")]
    assert firearm_uid("AB12", records, []) == "firearm:AB12:glock:pistol"
    assert firearm_uid("AB12", records, ["firearm:AB12:glock:pistol"]) == "firearm:AB12:glock:pistol:9mm"
    assert firearm_uid("AB12", [_gun(3)], []) == "firearm:AB12:_:_"


def test_loaded_firearm_is_reused_only_when_make_and_type_fit() -> None:
    known = {"AB12": [("firearm:AB12:glock:pistol", "glock", "pistol"), ("firearm:AB12:colt:rifle", "colt", "rifle")]}
    assert loaded_firearm("AB12", [_gun(1, make="glock", type="handgun")], known) == "firearm:AB12:glock:pistol"
    assert loaded_firearm("AB12", [_gun(1, make="beretta")], known) is None
    assert loaded_firearm("ZZ99", [_gun(1, make="glock")], known) is None


def test_loaded_firearm_is_the_records_own_when_they_were_loaded_before() -> None:
    """A make-less firearm fits both loaded ones; loaded again it must find itself, not the first by uid."""
    known = {"AB12": [("firearm:AB12:_:pistol", None, "pistol"), ("firearm:AB12:_:pistol:9mm", None, "pistol")]}
    again = [_gun(1, type="pistol", calibre="9mm")]
    assert loaded_firearm("AB12", again, known) == "firearm:AB12:_:pistol"
    assert loaded_firearm("AB12", again, known, "firearm:AB12:_:pistol:9mm") == "firearm:AB12:_:pistol:9mm"
    assert loaded_firearm("AB12", again, known, "firearm:AB12:_:pistol:45acp") == "firearm:AB12:_:pistol"


def _entity(uid: str, **values: object) -> Entity:
    return Entity(uid, "Firearm", [_gun(1, **values)])


@pytest.mark.parametrize(
    ("a", "b", "ambiguous", "expected"),
    [
        ({"make": "glock"}, {"make": "colt"}, True, (FIREARM_MAKE_UNKNOWN, 60.0)),
        ({"make": "smith wesson"}, {"make": "smith wessen"}, False, FIREARM_SIMILAR_MAKE),
        ({"make": "glock"}, {"make": "colt"}, False, None),  # plainly different makes
        ({"make": "glock", "type": "pistol"}, {"make": "glock", "type": "rifle"}, False, (FIREARM_OTHER_TYPE, 50.0)),
        (
            {"make": "glock", "type": "pistol", "calibre": "9mm"},
            {"make": "glock", "type": "rifle", "calibre": ".40"},
            False,
            None,  # other type and other calibre: another firearm
        ),
    ],
)
def test_firearm_candidate_rules(a: dict, b: dict, ambiguous: bool, expected: object) -> None:
    found = firearm_candidate(_entity("x", **a), _entity("y", **b), ambiguous, T)
    if expected is None or isinstance(expected, tuple):
        assert found == expected
    else:
        assert found is not None and found[0] == expected and found[1] >= T.make_candidate


def test_resolve_names_the_rule_of_each_firearm_merge() -> None:
    out = resolve([_gun(1, serial_normalised="AB1234", make="glock"), _gun(2, serial_normalised="AB1234")], "s")
    (entity,) = out.entities["Firearm"].values()
    assert entity.resolution == FIREARM_SAME
    known = {"AB1234": [("firearm:AB1234:glock:_:old", "glock", None)]}
    reused = resolve([_gun(1, serial_normalised="AB1234", make="glock")], "s", known_firearms=known)
    assert reused.entities["Firearm"]["firearm:AB1234:glock:_:old"].resolution == FIREARM_SAME_AS_LOADED


# --- persons --------------------------------------------------------------------------------------


def test_person_blocks_are_order_free_and_carry_the_birth_year() -> None:
    a = set(PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03")).blocks())
    b = set(PersonKeys.of(_person(2, "Petrov Ivan")).blocks())
    assert any(k.endswith("|1980") for k in a) and any(k.endswith("|?") for k in a)
    assert a & b  # the undated record meets the dated one through the '?' block


def test_same_date_of_birth_and_similar_name_merge() -> None:
    a = PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03"))
    b = PersonKeys.of(_person(2, "Петров Иван", "1980-02-03"))
    found = person_rule(a, b, T)
    assert found is not None and found[0] is True and found[1].startswith("person: name + date of birth")


def test_same_birth_year_other_day_is_only_a_candidate() -> None:
    a = PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03"))
    b = PersonKeys.of(_person(2, "Ivan Petrov", "1980-07-09"))
    assert person_rule(a, b, T) == (False, PERSON_SIMILAR_DATED, 100.0)


def test_other_birth_year_other_nationality_or_other_number_never_match() -> None:
    base = PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03", "RUS"))
    assert person_rule(base, PersonKeys.of(_person(2, "Ivan Petrov", "1981-02-03", "RUS")), T) is None
    assert person_rule(base, PersonKeys.of(_person(3, "Ivan Petrov", "1980-02-03", "UKR")), T) is None
    numbered = PersonKeys.of(_person(4, "John Doe 12"))
    assert person_rule(numbered, PersonKeys.of(_person(5, "John Doe 13")), T) is None


def test_a_missing_date_of_birth_gives_a_candidate_never_a_merge() -> None:
    a = PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03"))
    b = PersonKeys.of(_person(2, "Ivan Petrov"))
    assert person_rule(a, b, T) == (False, PERSON_SIMILAR_UNDATED, 100.0)


def test_similarity_at_the_thresholds() -> None:
    exact = Thresholds(person_merge=100.0, person_candidate=100.0)
    a = PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03"))
    near = PersonKeys.of(_person(2, "Ivan Petrof", "1980-02-03"))
    assert person_rule(a, near, exact) is None  # below both thresholds
    found = person_rule(a, near, T)
    assert found is not None and found[0] is True and found[2] >= T.person_merge


def test_person_uid_is_stable_across_bundles_when_dated() -> None:
    keys = [PersonKeys.of(_person(1, "Ivan Petrov", "1980-02-03"))]
    assert person_uid(keys, [_person(1, "Ivan Petrov", "1980-02-03")], "bundle-a") == person_uid(
        keys, [_person(9, "Ivan Petrov", "1980-02-03")], "bundle-b"
    )
    undated = [_person(7, "Ivan Petrov"), _person(3, "Ivan Petrov")]
    assert person_uid([PersonKeys.of(r) for r in undated], undated, "Bundle A") == "person:bundle-a:P3"


def test_a_chain_of_merges_is_one_person_named_by_its_first_join() -> None:
    records = [
        _person(1, "Ivan Petrov", "1980-02-03"),
        _person(2, "Petrov Ivan", "1980-02-03"),
        _person(3, "Ivan Petrov", "1980-02-03", aliases=["Vanya"]),
    ]
    out = resolve(records, "s")
    (entity,) = out.entities["Person"].values()
    assert [r.get("person_record_id") for r in entity.records] == ["P1", "P2", "P3"]
    assert entity.resolution == "person: name + date of birth (score 1.00)"
