"""Known answers for each registered normaliser."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import REGISTRY, get, usable_serial
from armsgraph.ingest.normalise.calibres import CALIBRES
from armsgraph.ingest.normalise.countries import SubdivisionType
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.normalise.makes import MAKES
from armsgraph.ingest.normalise.names import IdentifierValueType
from armsgraph.ingest.validate import Normaliser, Record

KNOWN_ANSWERS = Path(__file__).with_name("normalise_known_answers.csv")


def _known_answers() -> list[tuple[str, str, str]]:
    with KNOWN_ANSWERS.open(encoding="utf-8", newline="") as handle:
        return [(row["kind"], row["raw"], row["expected"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(("kind", "raw", "expected"), _known_answers())
def test_known_answer(kind: str, raw: str, expected: str) -> None:
    """Each normaliser on the values of tests/normalise_known_answers.csv (countries, calibres, makes, dates,
    vocabularies: spellings, languages, look-alike notations)."""
    assert get(kind).clean(raw) == expected


@pytest.mark.parametrize("raw", ["Atlantis", "Narnia", "ZZZ", "123"])
def test_unknown_country_raises(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="not a known country"):
        get("country").clean(raw)


@pytest.mark.parametrize(
    ("raw", "country", "code"),
    [
        ("Illinois", None, "US-IL"),
        ("IL", "USA", "US-IL"),
        ("us-il", None, "US-IL"),
        ("New York", "USA", "US-NY"),
        ("District of Columbia", "USA", "US-DC"),
        ("Puerto Rico", "USA", "US-PR"),
        ("Bayern", "DEU", "DE-BY"),
    ],
)
def test_subdivision(raw: str, country: str | None, code: str) -> None:
    assert SubdivisionType(country).clean(raw) == code


def test_subdivision_needs_context_when_a_code_is_ambiguous() -> None:
    with pytest.raises(InvalidValueError):
        SubdivisionType(None).clean("IL")
    with pytest.raises(InvalidValueError, match="not in FRA"):
        SubdivisionType("FRA").clean("Illinois")


def test_calibre_keeps_unknown_and_separates_decimal_points() -> None:
    assert get("calibre").clean("  8x57  IS ") == "8x57 IS"
    assert get("calibre").clean("4.5mm") != get("calibre").clean(".45")


def test_every_canonical_calibre_and_make_is_a_fixed_point() -> None:
    for canonical in CALIBRES:
        assert get("calibre").clean(canonical) == canonical
    for canonical in MAKES:
        assert get("make").clean(canonical) == canonical


@pytest.mark.parametrize("raw", ["2021-02-30", "yesterday", "2021-13", "31/31/2021", "0099"])
def test_bad_date_raises(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="not a known date"):
        get("date").clean(raw)


def test_declared_date_format_is_tried_first() -> None:
    assert DateType(formats=("%m/%d/%Y",)).clean("04/03/2021") == "2021-04-03"
    assert DateType(formats=("%Y",)).clean(2021) == "2021"


def test_serial_folds_case_separators_and_lookalikes() -> None:
    serial = get("serial")
    assert serial.clean("ab-12 o3") == serial.clean("AB12O3") == serial.clean("AB.12/03") == "AB1203"
    assert serial.clean("lI-L0") == "1110"
    assert serial.clean("АВ-12 О3") == "AB1203"  # Cyrillic look-alikes, as read off a stamped frame
    assert usable_serial("AB1203")
    assert not usable_serial(serial.clean("UNKNOWN"))
    assert not usable_serial("00")
    assert not usable_serial("1111")


@pytest.mark.parametrize(
    ("kind", "raw"), [("marking status", "scratched"), ("manufacture mode", "bespoke"), ("boolean", "maybe")]
)
def test_closed_vocabularies_refuse_unknown_values(kind: str, raw: str) -> None:
    with pytest.raises(InvalidValueError):
        get(kind).clean(raw)


def test_names_and_identifiers() -> None:
    assert get("person name").clean("Ivanov, Ivan") == get("person name").clean("Иван Иванов") == "ivan ivanov"
    assert get("organisation name").clean("Glock GmbH") == "glock"
    assert IdentifierValueType("phone").clean("+381 64 123-4567") == "+381641234567"
    assert IdentifierValueType("phone").clean("00381641234567") == "+381641234567"
    assert IdentifierValueType("email").clean(" A.B@Example.org") == "a.b@example.org"
    assert IdentifierValueType("vehicle").clean("bg-123 xy") == "BG123XY"


def test_empty_values_raise_for_every_type() -> None:
    for vtype in REGISTRY.values():
        with pytest.raises(InvalidValueError):
            vtype.clean("   ")


def test_phone_with_international_prefix_hidden_by_punctuation_is_a_fixed_point() -> None:
    phone = IdentifierValueType("phone")
    assert phone.clean("0.0625") == phone.clean(phone.clean("0.0625")) == "+625"
    assert phone.clean("+0044 123") == "+0044123"


def test_normalise_remembers_values_but_reports_every_bad_row() -> None:
    rows = [
        Record("incidents", "incidents.csv", n, {"incident_id": f"I{n}", "date": date, "country": country})
        for n, (date, country) in enumerate([("31/02/2021", "Serbia"), ("31/02/2021", "Serbia"), ("2021", "SRB")], 2)
    ]
    normalise, problems = Normaliser(), []
    kept = [(r.row, v) for r in rows if (v := normalise(r.record_type, r.file, r.row, r.values, problems)) is not None]
    assert [(p.row, p.column) for p in problems] == [(2, "date"), (3, "date")]
    assert all("31/02/2021" in p.reason for p in problems)
    assert [(row, v["date"], v["country"]) for row, v in kept] == [(4, "2021", "SRB")]
