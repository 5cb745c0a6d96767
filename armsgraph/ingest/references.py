"""Cross-record checks before resolution: every id a record names must exist in the bundle.

A link row (involvement, association, identifier, firearm, trace, transfer, ballistic) whose
endpoint is unknown is rejected with a reason; an unknown id inside a list
(a case's incidents, a person's organisations) drops that one link and is
reported as a rejected link, the record itself is kept.
"""

from __future__ import annotations

from collections.abc import Container

from armsgraph.ingest.report import RowError, problem
from armsgraph.ingest.validate import Record

#: (record type, column, id set name, whether the column is a list)
REFERENCES: tuple[tuple[str, str, str, bool], ...] = (
    ("firearms", "incident_id", "incidents", False),
    ("involvements", "incident_id", "incidents", False),
    ("involvements", "party_id", "parties", False),
    ("associations", "from_id", "parties", False),
    ("associations", "to_id", "parties", False),
    ("identifiers", "owner_id", "owners", False),
    ("traces", "firearm_record_id", "firearms", False),
    ("transfers", "firearm_record_id", "firearms", False),
    ("transfers", "from_party", "parties", False),
    ("transfers", "to_party", "parties", False),
    ("ballistics", "incident_id", "incidents", False),
    ("persons", "organisation_ids", "organisations", True),
    ("cases", "incident_ids", "incidents", True),
    ("cases", "defendant_ids", "parties", True),
)

_NAMES = {
    "incidents": "incident",
    "firearms": "firearm record",
    "parties": "person or organisation",
    "organisations": "organisation",
    "owners": "person, organisation or incident",
}


class _Either:
    """Membership in any of several sets (a union without copying them)."""

    def __init__(self, *sets: Container[str]) -> None:
        self.sets = sets

    def __contains__(self, value: object) -> bool:
        return any(value in s for s in self.sets)


class References:
    """Each record's references checked against the ids of a bundle (see the module docstring).

    ``firearms`` holds only firearms whose incident exists, so traces and transfers naming a
    firearm rejected for its incident are rejected too.
    """

    def __init__(
        self,
        incidents: Container[str],
        firearms: Container[str],
        persons: Container[str],
        organisations: Container[str],
    ) -> None:
        parties = _Either(persons, organisations)
        self.sets: dict[str, Container[str]] = {
            "incidents": incidents,
            "firearms": firearms,
            "parties": parties,
            "organisations": organisations,
            "owners": _Either(persons, organisations, incidents),
        }
        #: Links named in a list that were dropped so far.
        self.dropped = 0

    def check(self, record: Record, problems: list[RowError]) -> bool:
        """True when ``record`` is kept; unknown ids are reported and dropped from its lists."""
        ok = True
        for column, target, is_list in _BY_TYPE.get(record.record_type, ()):
            value = record.get(column)
            if value is None:
                continue
            known = self.sets[target]
            if is_list:
                missing = [v for v in value if v not in known]
                for v in missing:
                    problems.append(
                        problem(
                            record.file,
                            record.row,
                            column,
                            v,
                            f"names no {_NAMES[target]} in the bundle; this link is dropped",
                            record.record_type,
                            "link",
                        )
                    )
                self.dropped += len(missing)
                record.values[column] = [v for v in value if v in known]
            elif str(value) not in known:
                problems.append(
                    problem(
                        record.file,
                        record.row,
                        column,
                        value,
                        f"names no {_NAMES[target]} in the bundle",
                        record.record_type,
                    )
                )
                ok = False
        return ok


#: REFERENCES by record type: (column, id set name, whether the column is a list).
_BY_TYPE = {kind: [(c, t, is_list) for k, c, t, is_list in REFERENCES if k == kind] for kind, *_ in REFERENCES}
