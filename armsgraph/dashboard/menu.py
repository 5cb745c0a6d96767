"""Which pages each role's menu lists: only those whose reads the role may run.

Programme staff read aggregates only (:mod:`armsgraph.access`), so their menu holds the pages built
from aggregate queries alone; analysts, prosecutors and admins see every page they can open. A page
left out of a menu still answers by URL, with the access layer's refusal.
"""

from __future__ import annotations

__all__ = ["AGGREGATE_PAGES", "PAGES_BY_ROLE", "shows"]

#: Pages that read aggregate queries only (counts, shares, flows, hotspots, indicators).
AGGREGATE_PAGES = frozenset({"overview.py", "routes_flows.py", "hotspots.py", "indicators.py"})
#: Pages an analyst or prosecutor does not need (the review of duplicates is an analyst's job).
_PROSECUTOR_HIDDEN = frozenset({"review.py"})
PAGES_BY_ROLE: dict[str, frozenset[str] | None] = {
    "programme": AGGREGATE_PAGES,
    "prosecutor": None,  # every page but those in _PROSECUTOR_HIDDEN
    "analyst": None,
    "admin": None,
}


def shows(role: str, file: str) -> bool:
    """True when ``role``'s menu lists the page in ``file`` (e.g. ``"indicators.py"``)."""
    if file == "audit_log.py":  # the Administration group
        return role == "admin"
    if role == "prosecutor" and file in _PROSECUTOR_HIDDEN:
        return False
    allowed = PAGES_BY_ROLE.get(role, AGGREGATE_PAGES)
    return allowed is None or file in allowed
