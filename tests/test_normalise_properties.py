"""Property tests: every normaliser raises only InvalidValueError and is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import REGISTRY, ValueType
from armsgraph.ingest.normalise.calibres import CALIBRES
from armsgraph.ingest.normalise.countries import SubdivisionType
from armsgraph.ingest.normalise.makes import MAKES
from armsgraph.ingest.normalise.names import IdentifierValueType

#: Text that looks like what each type meets, mixed with arbitrary text.
_HINTS = [
    *CALIBRES,
    *MAKES,
    "Côte d'Ivoire",
    "US-IL",
    "Illinois",
    "2021-03",
    "04/03/2021",
    "AB-12O3",
    "pistol",
    "ground off",
    "3D printed",
    "yes",
    "Иван Иванов",
    "+381 64 123",
    "Glock GmbH",
    "12 ga",
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(_HINTS),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(_HINTS), st.text(max_size=8)),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
)

TYPES: list[ValueType] = [
    *REGISTRY.values(),
    SubdivisionType("USA"),
    IdentifierValueType("phone"),
    IdentifierValueType("email"),
    IdentifierValueType("vehicle"),
]


@pytest.mark.parametrize(
    "vtype", TYPES, ids=lambda t: f"{t.name}-{getattr(t, 'country', '') or getattr(t, 'kind', '')}"
)
@settings(max_examples=150, deadline=None)
@given(value=values)
def test_clean_raises_only_invalid_value_and_is_idempotent(vtype: ValueType, value: object) -> None:
    try:
        once = vtype.clean(value)
    except InvalidValueError:
        return
    assert isinstance(once, str) and once
    assert vtype.clean(once) == once
