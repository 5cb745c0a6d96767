"""Place tolerance for linking real incident tables: long country names, subdivisions kept as recorded."""

from __future__ import annotations

import pytest

from armsgraph.ingest.normalise import get
from armsgraph.ingest.report import RowError
from armsgraph.ingest.validate import Normaliser


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Democratic Republic of the Congo", "COD"),
        ("West Bank and Gaza Strip", "PSE"),
        ("Iran (Islamic Republic of)", "IRN"),  # UN M49 form
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Türkiye", "TUR"),
        ("Republic of Korea", "KOR"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ],
)
def test_long_country_names(name: str, code: str) -> None:
    assert get("country").clean(name) == code


def normalise(country: str, subdivision: str) -> tuple[dict | None, list[RowError]]:
    problems: list[RowError] = []
    values = {"incident_id": "1", "date": "2021-01-01", "country": country, "subdivision": subdivision}
    return Normaliser()("incidents", "gtd.csv", 7, values, problems), problems


@pytest.mark.parametrize(
    ("country", "subdivision", "why"),
    [("Democratic Republic of the Congo", "North Kivu", "not in COD"), ("Mozambique", "Maputo", "ambiguous")],
)
def test_an_unknown_or_ambiguous_subdivision_keeps_the_incident_as_recorded(
    country: str, subdivision: str, why: str
) -> None:
    out, problems = normalise(country, subdivision)
    assert out is not None and out["subdivision"] == subdivision
    assert [(p.severity, p.row, p.column) for p in problems] == [("warning", 7, "subdivision")]
    assert why in problems[0].reason and problems[0].reason.endswith("kept as recorded")


def test_a_known_subdivision_is_still_coded() -> None:
    out, problems = normalise("United States", "Illinois")
    assert out is not None and (out["country"], out["subdivision"]) == ("USA", "US-IL") and problems == []


def test_an_unknown_country_still_rejects_the_row() -> None:
    out, problems = normalise("Atlantis", "North Kivu")
    assert out is None and problems[0].severity == "error" and problems[0].column == "country"
