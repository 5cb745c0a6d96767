"""Normalisers as small registered types, each with ``clean()`` (see :mod:`.base` for the contract).

>>> get("country").clean("Allemagne")
'DEU'
>>> get("calibre").clean("11.43x23mm")
'.45 ACP'
"""

from __future__ import annotations

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise.base import ValueType, fold, text_of
from armsgraph.ingest.normalise.calibres import CalibreType
from armsgraph.ingest.normalise.countries import CountryType, SubdivisionType, country_name, subdivision_country
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.normalise.makes import MakeType
from armsgraph.ingest.normalise.names import (
    IdentifierValueType,
    OrganisationNameType,
    PersonNameType,
    latin,
    skeleton,
)
from armsgraph.ingest.normalise.serials import SerialType, usable_serial
from armsgraph.ingest.normalise.vocabularies import (
    BooleanType,
    FirearmTypeType,
    ManufactureModeType,
    MarkingStatusType,
)

__all__ = [
    "REGISTRY",
    "InvalidValueError",
    "ValueType",
    "country_name",
    "fold",
    "get",
    "latin",
    "skeleton",
    "subdivision_country",
    "text_of",
    "usable_serial",
]

#: Every registered type by name.
REGISTRY: dict[str, ValueType] = {
    t.name: t
    for t in (
        CountryType(),
        SubdivisionType(),
        DateType(),
        SerialType(),
        CalibreType(),
        MakeType(),
        FirearmTypeType(),
        MarkingStatusType(),
        ManufactureModeType(),
        BooleanType(),
        PersonNameType(),
        OrganisationNameType(),
        IdentifierValueType(),
    )
}


def get(name: str) -> ValueType:
    """The registered type ``name``."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no normaliser {name!r}; known: {sorted(REGISTRY)}") from None
