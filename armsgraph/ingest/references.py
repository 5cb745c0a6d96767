"""Cross-record checks before resolution: every id a record names must exist in the bundle.

A link row (involvement, association, identifier, firearm, trace, transfer, ballistic) whose
endpoint is unknown is rejected with a reason; an unknown id inside a list
(a case's incidents, a person's organisations) drops that one link and is
reported as a rejected link, the record itself is kept.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from armsgraph.ingest.report import RowError, problem
from armsgraph.ingest.validate import Record


@dataclass
class Ids:
    """The record ids present in a bundle, by kind."""

    incidents: set[str] = field(default_factory=set)
    firearms: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, records: Iterable[Record]) -> Ids:
        """Collect ids from accepted records."""
        ids = cls()
        columns = {
            "incidents": "incident_id",
            "firearms": "firearm_record_id",
            "persons": "person_record_id",
            "organisations": "org_id",
        }
        for record in records:
            column = columns.get(record.record_type)
            if column:
                getattr(ids, record.record_type).add(str(record.get(column)))
        return ids

    @property
    def parties(self) -> set[str]:
        """Person and organisation ids."""
        return self.persons | self.organisations


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


def check_references(records: list[Record]) -> tuple[list[Record], list[RowError], int]:
    """Records whose references resolve, the problems, and how many list links were dropped."""
    incidents = {str(r.get("incident_id")) for r in records if r.record_type == "incidents"}
    # firearms first, so traces and transfers naming a rejected firearm are rejected too
    ids = Ids.of(r for r in records if r.record_type != "firearms" or str(r.get("incident_id")) in incidents)
    references = References(ids.incidents, ids.firearms, ids.persons, ids.organisations)
    problems: list[RowError] = []
    kept = [record for record in records if references.check(record, problems)]
    return kept, problems, references.dropped
