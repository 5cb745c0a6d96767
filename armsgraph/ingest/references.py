"""Cross-record checks before resolution: every id a record names must exist in the bundle.

A link row (involvement, association, identifier, firearm, trace, transfer, ballistic) whose
endpoint is unknown is rejected with a reason; an unknown id inside a list
(a case's incidents, a person's organisations) drops that one link and is
reported as a rejected link, the record itself is kept.
"""

from __future__ import annotations

from collections.abc import Container

from armsgraph.ingest.records import RECORD_TYPES
from armsgraph.ingest.report import RowError, problem
from armsgraph.ingest.validate import Record


class _Either:
    """Membership in any of several sets (a union without copying them)."""

    def __init__(self, *sets: Container[str]) -> None:
        self.sets = sets

    def __contains__(self, value: object) -> bool:
        return any(value in s for s in self.sets)


class References:
    """Each record's references checked against the ids of a bundle (see the module docstring).

    Which columns name which record types is declared in the record schema (``references:`` in
    ``armsgraph/graph/model/records.yaml``). ``firearms`` holds only firearms whose incident exists,
    so traces and transfers naming a firearm rejected for its incident are rejected too.
    """

    def __init__(
        self,
        incidents: Container[str],
        firearms: Container[str],
        persons: Container[str],
        organisations: Container[str],
    ) -> None:
        ids = {"incidents": incidents, "firearms": firearms, "persons": persons, "organisations": organisations}
        self.sets: dict[tuple[str, ...], Container[str]] = {
            targets: ids[targets[0]] if len(targets) == 1 else _Either(*(ids[t] for t in targets))
            for checks in _BY_TYPE.values()
            for _, targets, _ in checks
        }
        #: Links named in a list that were dropped so far.
        self.dropped = 0

    def check(self, record: Record, problems: list[RowError]) -> bool:
        """True when ``record`` is kept; unknown ids are reported and dropped from its lists."""
        ok = True
        for column, targets, is_list in _BY_TYPE.get(record.record_type, ()):
            value = record.get(column)
            if value is None:
                continue
            known = self.sets[targets]
            if is_list:
                missing = [v for v in value if v not in known]
                for v in missing:
                    reason = f"names no {_name(targets)} in the bundle; this link is dropped"
                    problems.append(problem(record.file, record.row, column, v, reason, record.record_type, "link"))
                self.dropped += len(missing)
                record.values[column] = [v for v in value if v in known]
            elif str(value) not in known:
                reason = f"names no {_name(targets)} in the bundle"
                problems.append(problem(record.file, record.row, column, value, reason, record.record_type))
                ok = False
        return ok


def _name(targets: tuple[str, ...]) -> str:
    """How a report names a record of any of ``targets`` ('person, organisation or incident')."""
    nouns = [RECORD_TYPES[t].noun for t in targets]
    return nouns[0] if len(nouns) == 1 else f"{', '.join(nouns[:-1])} or {nouns[-1]}"


#: Per record type, the columns that name other records: (column, record types named, whether it is a list).
_BY_TYPE: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {
    name: [(c.name, c.references, c.kind in ("list", "country_list")) for c in spec.columns.values() if c.references]
    for name, spec in RECORD_TYPES.items()
}
