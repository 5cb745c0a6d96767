"""Cross-record checks before resolution: every id a record names must exist in the bundle.

A link row (involvement, identifier, firearm, trace, transfer, ballistic) whose
endpoint is unknown is rejected with a reason; an unknown id inside a list
(a case's incidents, a person's organisations) drops that one link and is
reported as a rejected link, the record itself is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def check_references(records: list[Record]) -> tuple[list[Record], list[RowError], int]:
    """Records whose references resolve, the problems, and how many list links were dropped."""
    incidents = {str(r.get("incident_id")) for r in records if r.record_type == "incidents"}
    # firearms first, so traces and transfers naming a rejected firearm are rejected too
    ids = Ids.of(r for r in records if r.record_type != "firearms" or str(r.get("incident_id")) in incidents)
    sets = {
        "incidents": ids.incidents,
        "firearms": ids.firearms,
        "parties": ids.parties,
        "organisations": ids.organisations,
        "owners": ids.parties | ids.incidents,
    }
    kept: list[Record] = []
    problems: list[RowError] = []
    dropped = 0
    for record in records:
        ok = True
        for kind, column, target, is_list in REFERENCES:
            value = record.get(column)
            if kind != record.record_type or value is None:
                continue
            known = sets[target]
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
                dropped += len(missing)
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
        if ok:
            kept.append(record)
    return kept, problems, dropped
