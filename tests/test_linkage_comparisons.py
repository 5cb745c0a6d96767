"""Known answers for the linkage comparisons at every boundary, term frequencies, blocking of large groups."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from armsgraph.analytics.linkage_input import incident_table, stated_series
from armsgraph.analytics.linkage_model import LinkageModel, level_labels
from armsgraph.analytics.linkage_settings import linking_settings
from armsgraph.analytics.linking import link_incidents

KM_PER_DEGREE = 6371.0 * math.pi / 180  # one degree of latitude on the sphere the model uses

NO_ENTITIES = pd.DataFrame(columns=["incident", "entity", "rule", "sources"])
NO_ORGS = pd.DataFrame(columns=["incident", "organisation", "name"])


def settings(**changes: Any) -> dict[str, Any]:
    """Every compared pair shown (threshold near 0), priors only (no training on a handful of incidents)."""
    out = linking_settings(threshold=1e-12)
    out["train"] = {**out["train"], "min_incidents": 10_000}
    out["blocking"] = [["country"]]
    out.update(changes)
    return out


def incident(uid: str, date: str = "2021-03-01", lat: float | None = None, **more: Any) -> dict[str, Any]:
    return {"uid": uid, "date": date, "lat": lat, "lon": 10.0 if lat is not None else None, "country": "NGA", **more}


def outcome(rows: list[dict[str, Any]], entities: pd.DataFrame = NO_ENTITIES, orgs: pd.DataFrame = NO_ORGS) -> dict:
    """comparison → (words, weight) of the single pair i1–i2."""
    pairs = link_incidents(pd.DataFrame(rows), entities, orgs, settings()).pairs
    row = pairs[(pairs["a"] == "i1") & (pairs["b"] == "i2")].iloc[0]
    return {c: (w, x) for c, w, x in zip(row["comparisons"], row["levels"], row["weights"], strict=True)}


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("2021-03-01", "same day"),
        ("2021-03-02", "1-3 days apart"),
        ("2021-03-04", "1-3 days apart"),
        ("2021-03-05", "4-30 days apart"),
        ("2021-03-31", "4-30 days apart"),
        ("2021-04-01", "over 30 days apart"),
    ],
)
def test_date_levels_at_each_boundary(second: str, expected: str) -> None:
    found = outcome([incident("i1"), incident("i2", second)])
    assert found["date"][0] == expected


def test_same_day_weighs_more_than_one_day_apart() -> None:
    same = outcome([incident("i1"), incident("i2")])["date"][1]
    next_day = outcome([incident("i1"), incident("i2", "2021-03-02")])["date"][1]
    assert same > next_day > 0


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (0.999, "within 1 km"),
        (1.001, "1-10 km apart"),
        (9.99, "1-10 km apart"),
        (10.01, "10-50 km apart"),
        (49.99, "10-50 km apart"),
        (50.1, "over 50 km apart"),
    ],
)
def test_distance_levels_at_each_boundary(km: float, expected: str) -> None:
    rows = pd.DataFrame([incident("i1", lat=5.0), incident("i2", lat=5.0 + km / KM_PER_DEGREE)])
    model = LinkageModel(incident_table(rows, NO_ENTITIES, NO_ORGS), blocking=[["country"]])
    labels = level_labels(model.parameters())["distance"]
    compared, scored = model.predict(0.0)  # every scored pair
    assert compared == len(scored)
    assert labels[int(scored.loc[0, "gamma_distance"])] == expected
    assert outcome(rows.to_dict("records"))["distance"][0] == f"{km:.1f} km apart"


def test_fifty_km_is_no_evidence_against_and_fifty_point_one_is() -> None:
    near = outcome([incident("i1", lat=5.0), incident("i2", lat=5.0 + 50.0 / KM_PER_DEGREE - 1e-9)])["distance"]
    far = outcome([incident("i1", lat=5.0), incident("i2", lat=5.0 + 50.1 / KM_PER_DEGREE)])["distance"]
    assert near == ("50.0 km apart", 0.0)  # closeness is weighed by the description, not counted twice
    assert far[0] == "50.1 km apart" and far[1] < 0


def test_a_missing_coordinate_gives_no_evidence_never_near() -> None:
    found = outcome([incident("i1", lat=5.0), incident("i2", lat=None)])
    assert "distance" not in found  # no level, no weight: neither near nor far
    assert found["date"][0] == "same day"


def test_place_names_count_only_where_coordinates_are_missing() -> None:
    located = outcome([incident("i1", lat=5.0, city="Maiduguri"), incident("i2", lat=5.0, city="Maiduguri")])
    assert "city" not in located and located["distance"][0] == "0.0 km apart"
    unlocated = outcome([incident("i1", city="Maiduguri"), incident("i2", city="MAIDUGURI ")])
    assert unlocated["city"][0] == "same city, maiduguri" and unlocated["city"][1] > 0


def test_a_rare_organisation_is_stronger_evidence_than_a_frequent_one() -> None:
    rows = [incident("i1"), incident("i2")] + [incident(f"x{n:03d}", f"2020-{1 + n % 12:02d}-01") for n in range(60)]
    common = pd.DataFrame({"incident": [r["uid"] for r in rows], "organisation": "org:big", "name": "Big Group"})
    rare = pd.concat(
        [
            common[~common["incident"].isin(["i1", "i2"])],
            pd.DataFrame({"incident": ["i1", "i2"], "organisation": "org:rare", "name": "Rare Cell"}),
        ]
    )
    with_common = outcome(rows, orgs=common)["organisation"]
    with_rare = outcome(rows, orgs=rare)["organisation"]
    assert with_common[0] == "same organisation, Big Group, common"
    assert with_rare[0] == "same organisation, Rare Cell, rare"
    assert with_rare[1] > with_common[1]


def test_organisation_alone_months_apart_does_not_link() -> None:
    orgs = pd.DataFrame({"incident": ["i1", "i2"], "organisation": "org:t", "name": "Taliban"})
    rows = pd.DataFrame([incident("i1"), incident("i2", "2021-09-01")])
    pairs = link_incidents(rows, NO_ENTITIES, orgs, linking_settings() | {"train": settings()["train"]}).pairs
    assert pairs.empty


def test_shared_firearm_links_incidents_a_year_and_a_continent_apart() -> None:
    rows = [incident("i1", "2020-01-05", lat=48.0), incident("i2", "2021-02-01", lat=-30.0)]
    shared = pd.DataFrame(
        {"incident": ["i1", "i2"], "entity": "firearm:F1", "rule": "firearm", "sources": [["f.csv:1"], ["f.csv:2"]]}
    )
    config = linking_settings() | {"train": settings()["train"]}
    pairs = link_incidents(pd.DataFrame(rows), shared, NO_ORGS, config).pairs
    assert len(pairs) == 1 and pairs.loc[0, "weight"] >= config["threshold"]
    assert "firearm" in pairs.loc[0, "rules"] and pairs.loc[0, "evidence"] == ["firearm: firearm:F1 [f.csv:1; f.csv:2]"]
    assert "the same firearm (+" in pairs.loc[0, "explanation"]


def test_a_same_day_pair_inside_a_large_group_is_compared_and_linked() -> None:
    # 400 incidents of one group on 400 different days, two of them the same day 300 m apart with one report
    rows = [
        incident(f"g{n:03d}", str(pd.Timestamp("2020-01-01") + pd.Timedelta(days=n))[:10], lat=5.0 + n / 10)
        for n in range(400)
    ]
    rows += [
        incident("i1", "2021-06-01", lat=12.0, description="Gunmen attacked the market in Gwoza"),
        incident("i2", "2021-06-01", lat=12.0027, description="Gunmen attacked the market in Gwoza"),
    ]
    orgs = pd.DataFrame({"incident": [r["uid"] for r in rows], "organisation": "org:bh", "name": "Boko Haram"})
    config = settings(blocking=linking_settings()["blocking"])  # the default blocking rules, every pair shown
    result = link_incidents(pd.DataFrame(rows), NO_ENTITIES, orgs, config)
    assert (result.pairs.loc[0, "a"], result.pairs.loc[0, "b"]) == ("i1", "i2")  # compared, and the strongest
    assert result.pairs.loc[0, "levels"][:1] == ["same day"]
    assert result.compared < 400 * 399 // 2  # blocking, not every pair of the group


def test_every_link_is_explained_in_words_with_weights_that_add_up() -> None:
    rows = [
        incident("i1", lat=5.0, description="Bomb at the Gwoza market"),
        incident("i2", lat=5.05, description="Bomb at the Gwoza market"),
    ]
    pairs = link_incidents(pd.DataFrame(rows), NO_ENTITIES, NO_ORGS, settings()).pairs
    row = pairs.iloc[0]
    assert row["explanation"].startswith("same day (+")
    assert "5.6 km apart (+0.0)" in row["explanation"]
    assert row["match_weight"] == pytest.approx(row["prior_weight"] + sum(row["weights"]), abs=0.05)
    # match_weight is rounded to 0.01 bit: the probability agrees to within 0.01 * ln 2 / 4
    assert row["weight"] == pytest.approx(2 ** row["match_weight"] / (1 + 2 ** row["match_weight"]), abs=2e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This was one of three related attacks in Sirwah on this date.", "3"),
        ("This is one of 12 coordinated incidents.", "12"),
        ("One of two related incidents.", "2"),
        ("Assailants attacked one village.", "none"),  # "one" alone states no series
        ("This was one of the attacks.", "none"),  # no size stated
        ("", None),  # no description: unrecorded, not "none"
        (None, None),
    ],
)
def test_stated_series_reads_the_size_a_description_states(text: str | None, expected: str | None) -> None:
    assert stated_series(text) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("one of three related attacks", "one of three related attacks", "both described as one of a series of 3"),
        (
            "one of three related attacks",
            "one of two related attacks",
            "both described as one of a series, of different sizes",
        ),
        ("one of three related attacks", "a bomb exploded", "only one described as one of a series"),
        ("a bomb exploded", "gunmen attacked", "neither described as one of a series"),
    ],
)
def test_series_levels(first: str, second: str, expected: str) -> None:
    found = outcome([incident("i1", description=first), incident("i2", description=second)])
    assert found["series"][0] == expected


def test_the_same_stated_series_is_evidence_and_none_stated_is_none_until_trained() -> None:
    same = outcome([incident("i1", description="one of two attacks"), incident("i2", description="one of two raids")])
    neither = outcome([incident("i1", description="a bomb"), incident("i2", description="a raid")])
    one = outcome([incident("i1", description="one of two attacks"), incident("i2", description="a raid")])
    # priors: how much "neither states a series" weighs against depends on the data, so EM estimates it
    assert same["series"][1] > 0 == neither["series"][1] > one["series"][1]


def test_a_missing_description_gives_no_series_evidence() -> None:
    found = outcome([incident("i1", description="This was one of two related attacks."), incident("i2")])
    assert "series" not in found and "description" not in found
