"""Known answers for each registered normaliser."""

from __future__ import annotations

import pytest

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import REGISTRY, get, usable_serial
from armsgraph.ingest.normalise.calibres import CALIBRES
from armsgraph.ingest.normalise.countries import SubdivisionType
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.normalise.makes import MAKES
from armsgraph.ingest.normalise.names import IdentifierValueType
from armsgraph.ingest.validate import Normaliser, Record


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Costa de Marfil", "CIV"),
        ("Estados Unidos", "USA"),
        ("États-Unis", "USA"),
        ("USA", "USA"),
        ("U.S.", "USA"),
        ("us", "USA"),
        ("United States of America", "USA"),
        ("Allemagne", "DEU"),
        ("Alemania", "DEU"),
        ("DE", "DEU"),
        ("UK", "GBR"),
        ("Royaume-Uni", "GBR"),
        ("Reino Unido", "GBR"),
        ("Great Britain", "GBR"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Kosovo", "XKX"),
        ("fra", "FRA"),
    ],
)
def test_country(raw: str, code: str) -> None:
    assert get("country").clean(raw) == code


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


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (".45 ACP", ".45 ACP"),
        ("45acp", ".45 ACP"),
        ("11.43x23mm", ".45 ACP"),
        ("45 Auto", ".45 ACP"),
        ("9mm Parabellum", "9x19mm"),
        ("9mm Luger", "9x19mm"),
        ("9x19", "9x19mm"),
        ("9 mm", "9x19mm"),
        ("7.62x39", "7.62x39mm"),
        ("7.62×39mm", "7.62x39mm"),
        ("5.56x45", "5.56x45mm"),
        (".223", "5.56x45mm"),
        ("5.56 NATO", "5.56x45mm"),
        ("12 gauge", "12 gauge"),
        ("12ga", "12 gauge"),
        ("12 GA", "12 gauge"),
        ("Cal. 12", "12 gauge"),
        ("7.65mm", ".32 ACP"),
    ],
)
def test_calibre(raw: str, canonical: str) -> None:
    assert get("calibre").clean(raw) == canonical


def test_calibre_keeps_unknown_and_separates_decimal_points() -> None:
    assert get("calibre").clean("  8x57  IS ") == "8x57 IS"
    assert get("calibre").clean("4.5mm") != get("calibre").clean(".45")


def test_every_canonical_calibre_and_make_is_a_fixed_point() -> None:
    for canonical in CALIBRES:
        assert get("calibre").clean(canonical) == canonical
    for canonical in MAKES:
        assert get("make").clean(canonical) == canonical


@pytest.mark.parametrize(
    ("raw", "make"),
    [
        ("Glock GmbH", "Glock"),
        ("GLOCK", "Glock"),
        ("Kalashnikov Concern", "Kalashnikov"),
        ("Izhmash", "Kalashnikov"),
        ("S&W", "Smith & Wesson"),
        ("Smith and Wesson", "Smith & Wesson"),
        ("H&K", "Heckler & Koch"),
        ("Beretta S.p.A.", "Beretta"),
        ("Sturm, Ruger & Co.", "Ruger"),
        ("Acme Arms Ltd", "Acme Arms Ltd"),
    ],
)
def test_make(raw: str, make: str) -> None:
    assert get("make").clean(raw) == make


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021", "2021"),
        ("2021-3", "2021-03"),
        ("2021-03-04", "2021-03-04"),
        ("04/03/2021", "2021-03-04"),
        ("4.3.2021", "2021-03-04"),
        ("2020-05-10 00:00:00", "2020-05-10"),
        ("2021-03-04T10:00:00Z", "2021-03-04"),
        ("March 2021", "2021-03"),
        ("12 Mar 2021", "2021-03-12"),
        ("20210304", "2021-03-04"),
    ],
)
def test_date(raw: str, iso: str) -> None:
    assert get("date").clean(raw) == iso


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
    ("kind", "raw", "value"),
    [
        ("firearm type", "Assault Rifle", "rifle"),
        ("firearm type", "SMG", "sub-machine gun"),
        ("firearm type", "Pistolet", "pistol"),
        ("firearm type", "ray gun", "ray gun"),
        ("marking status", "ground off", "obliterated"),
        ("marking status", "Intact", "intact"),
        ("marking status", "no markings", "unmarked"),
        ("manufacture mode", "3D printed", "3D-printed"),
        ("manufacture mode", "home-made", "craft"),
        ("manufacture mode", "converted blank", "converted"),
        ("boolean", "Yes", "true"),
        ("boolean", "0", "false"),
    ],
)
def test_vocabularies(kind: str, raw: str, value: str) -> None:
    assert get(kind).clean(raw) == value


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
