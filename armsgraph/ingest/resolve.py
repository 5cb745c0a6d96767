"""The *resolve* stage: which records describe the same firearm, person or organisation.

Rules (each merge records its rule and score in ``resolution``; every record id is
kept in ``record_ids``; uncertain pairs become POSSIBLY_SAME candidates, never merges):

- **Firearm** — blocked on the normalised serial (never all pairs). Same usable
  serial + compatible make, calibre and year (equal or one missing) + compatible
  type → one firearm; a record without make that fits several firearms stays apart.
  Same serial with a similar but different make (rapidfuzz ≥ ``make_candidate``)
  or a different type (same calibre), or a make-less record fitting several
  firearms → candidate. uid ``firearm:<serial>:<make>:<type>`` (``:<calibre>``
  added for a second firearm with the same serial, make and type); a
  firearm already in the graph with the same serial and compatible make/type keeps
  its uid. Without a usable serial: ``firearm:<source>:<record id>``.
- **Person** — blocked on each name token's phonetic skeleton + birth year. Same
  date of birth and name similarity ≥ ``person_merge`` (token-set ratio on
  transliterated, folded names and aliases) and compatible nationality → one person.
  Token-sort similarity ≥ ``person_candidate`` with the same birth year or a missing
  date of birth → candidate (a common name without a date of birth is never merged).
  uid ``person:<hash of name key + date of birth>`` (stable across bundles) or
  ``person:<source>:<record id>`` when no date of birth is known.
- **Organisation** — normalised name (legal forms dropped) + country → one
  organisation, uid ``org:<country>:<name key>``; similar names in one country →
  candidate.

Everything is sorted before it is compared, so the same input gives the same uids.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, islice
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import get, skeleton, usable_serial
from armsgraph.ingest.records import CLASSIFICATIONS
from armsgraph.ingest.validate import AnyRecord

_SLUG_RE = re.compile(r"[^0-9a-z]+")
_HANDGUNS = {"pistol", "revolver", "handgun"}


def slug(text: str) -> str:
    """Lower-case letters and digits joined by '-' (for uids)."""
    return _SLUG_RE.sub("-", text.lower()).strip("-") or "_"


def digest(*parts: str) -> str:
    """A short stable hash of text parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Thresholds:
    """Similarity thresholds (0-100) and the largest block compared pairwise."""

    person_merge: float = 90.0
    person_candidate: float = 85.0
    organisation_candidate: float = 90.0
    make_candidate: float = 80.0
    block_limit: int = 500
    #: Candidate pairs kept per person or organisation (its best-scored); a common name without a
    #: date of birth would otherwise pair with every namesake (quadratic growth of the review queue).
    max_candidates: int = 5


@dataclass(slots=True)
class Entity:
    """One resolved node: its uid, the records it came from, and why they were merged."""

    uid: str
    label: str
    records: list[AnyRecord]
    resolution: str | None = None

    @property
    def classification(self) -> str | None:
        """The most restrictive classification among its records."""
        found = [r.get("classification") for r in self.records if r.get("classification")]
        return max(found, key=CLASSIFICATIONS.index) if found else None

    def first(self, name: str) -> Any:
        """The first non-empty value of ``name`` among its records."""
        for record in self.records:
            value = record.get(name)
            if value not in (None, "", []):
                return value
        return None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An uncertain pair for an analyst: POSSIBLY_SAME with rule and score."""

    label: str
    left: str
    right: str
    rule: str
    score: float


@dataclass
class Resolution:
    """Resolved entities by label and the uid of every record id."""

    entities: dict[str, dict[str, Entity]] = field(default_factory=lambda: defaultdict(dict))
    uid_of: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    candidates: list[Candidate] = field(default_factory=list)
    #: Candidate pairs not listed because both entities already had ``max_candidates`` better ones.
    capped: int = 0

    @property
    def merged(self) -> int:
        """Records merged into another record's entity."""
        return sum(len(e.records) - 1 for by_uid in self.entities.values() for e in by_uid.values())

    def add(self, entity: Entity, id_column: str) -> None:
        """Register an entity (merging with an existing one of the same uid)."""
        existing = self.entities[entity.label].get(entity.uid)
        if existing is not None:
            existing.records.extend(entity.records)
            existing.resolution = existing.resolution or f"same uid {entity.uid} (score 1.00)"
        else:
            self.entities[entity.label][entity.uid] = entity
        for record in entity.records:
            self.uid_of[entity.label][str(record.get(id_column))] = entity.uid


class _Groups:
    """Union-find over record indexes, remembering the rule that joined them."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.why: dict[int, str] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, why: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = min(ra, rb), max(ra, rb)
            self.parent[high] = low
            self.why[low] = self.why.get(low) or why

    def groups(self) -> list[tuple[list[int], str | None]]:
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            found[self.find(i)].append(i)
        return [(members, self.why.get(root)) for root, members in sorted(found.items())]


def _pairs(count: int, keys: Callable[[int], Iterable[str]], limit: int) -> Iterator[tuple[int, int]]:
    """Pairs (a, b), a <= b, of records 0..count-1 sharing a block key, each once, sorted; blocks of
    more than ``limit`` records are skipped (a token too common to tell records apart).

    The pairs are made record by record from the blocks each record is in, never held all at once:
    a large bundle has many times more pairs than records. A record named twice in one block (two
    of its names give one key) pairs with itself, as ``combinations`` of the block would give.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(count):
        for key in keys(i):
            blocks[key].append(i)
    small = [members for members in blocks.values() if 1 < len(members) <= limit]
    blocks.clear()
    member_of: list[list[int]] = [[] for _ in range(count)]
    for number, members in enumerate(small):
        for i in members:
            member_of[i].append(number)
    for a in range(count):
        if not member_of[a]:
            continue
        following: set[int] = set()
        for number in member_of[a]:
            members = small[number]  # ascending: records join their blocks in order
            low, high = bisect_left(members, a), bisect_right(members, a)
            if high - low > 1:
                following.add(a)
            following.update(islice(members, high, None))
        member_of[a] = []
        for b in sorted(following):
            yield a, b


def _type_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b or ({a, b} <= _HANDGUNS and "handgun" in {a, b})


def _firearms_compatible(a: AnyRecord, b: AnyRecord) -> bool:
    """Same make, calibre and year of manufacture where both records give them; compatible types."""
    for name in ("make", "calibre", "year"):
        if a.get(name) is not None and b.get(name) is not None and a.get(name) != b.get(name):
            return False
    return _type_compatible(a.get("type"), b.get("type"))


def _rid(record: AnyRecord) -> str:
    return str(record.get("firearm_record_id"))


def resolve_firearms(
    records: Sequence[AnyRecord],
    source: str,
    resolution: Resolution,
    thresholds: Thresholds,
    known: Mapping[str, list[tuple[str, str | None, str | None]]] | None = None,
) -> None:
    """Group firearm records (see module docstring) into ``resolution``."""
    known = known or {}
    by_serial: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        key = record.get("serial_normalised")
        if usable_serial(key):
            by_serial[key].append(i)
        else:
            resolution.add(
                Entity(f"firearm:{slug(source)}:{record.get('firearm_record_id')}", "Firearm", [record]),
                "firearm_record_id",
            )
    for serial in sorted(by_serial):
        members = sorted(by_serial[serial], key=lambda i: (records[i].get("make") is None, _rid(records[i])))
        grouped: list[list[AnyRecord]] = []
        ambiguous: list[tuple[AnyRecord, list[list[AnyRecord]]]] = []
        for i in members:
            record = records[i]
            fits = [g for g in grouped if all(_firearms_compatible(record, other) for other in g)]
            if len(fits) == 1:
                fits[0].append(record)
            else:  # no group, or several (a record without make fits more than one firearm): its own node
                grouped.append([record])
                if fits:
                    ambiguous.append((record, fits))
        entities: list[Entity] = []
        for recs in grouped:
            why = "firearm: same serial + compatible make, calibre, year, type (score 1.00)" if len(recs) > 1 else None
            make = next((r.get("make") for r in recs if r.get("make")), None)
            kind = next((r.get("type") for r in recs if r.get("type") and r.get("type") != "handgun"), None) or next(
                (r.get("type") for r in recs if r.get("type")), None
            )
            uid = f"firearm:{serial}:{slug(make or '_')}:{slug(kind or '_')}"
            if any(e.uid == uid for e in entities):  # a second firearm with this serial, make and type
                calibre = next((r.get("calibre") for r in recs if r.get("calibre")), None)
                uid = f"{uid}:{slug(str(calibre or recs[0].get('year') or _rid(recs[0])))}"
            matches = sorted(
                u
                for u, m, t in known.get(serial, [])
                if (m is None or make is None or m == make) and _type_compatible(t, kind)
            )
            if matches and uid not in matches:
                uid, why = matches[0], why or "firearm: same serial + compatible make and type as a loaded firearm"
            entities.append(Entity(uid, "Firearm", recs, why))
            resolution.add(entities[-1], "firearm_record_id")
        entity_of = {id(e.records[0]): e for e in entities}
        ambiguous_pairs = {
            (entity_of[id(record)].uid, entity_of[id(fit[0])].uid) for record, fits in ambiguous for fit in fits
        }
        for ea, eb in combinations(entities, 2):
            make_a, make_b = ea.first("make") or "", eb.first("make") or ""
            score = fuzz.ratio(make_a.lower(), make_b.lower())
            calibres = {ea.first("calibre"), eb.first("calibre")} - {None}
            if (ea.uid, eb.uid) in ambiguous_pairs or (eb.uid, ea.uid) in ambiguous_pairs:
                rule, score = "firearm: same serial, make unknown, fits several firearms", 60.0
            elif make_a and make_b and make_a != make_b and score >= thresholds.make_candidate:
                rule = "firearm: same serial, similar make"
            elif make_a == make_b and len(calibres) < 2 and not _type_compatible(ea.first("type"), eb.first("type")):
                rule, score = "firearm: same serial, make and calibre, different type", 50.0
            else:
                continue
            left, right = sorted((ea.uid, eb.uid))
            if left != right:
                resolution.candidates.append(Candidate("Firearm", left, right, rule, round(score / 100, 3)))


def person_key(text: str) -> str:
    """The matching key of a person's name ('' when it has none)."""
    try:
        return get("person name").clean(text)
    except InvalidValueError:
        return ""


def resolve_persons(records: Sequence[AnyRecord], source: str, resolution: Resolution, thresholds: Thresholds) -> None:
    """Group person records (see module docstring) into ``resolution``."""
    names = [
        sorted({k for k in (person_key(n) for n in [r.get("name"), *(r.get("aliases") or [])]) if k}) for r in records
    ]
    primary = [person_key(str(r.get("name"))) for r in records]
    dobs = [r.get("date_of_birth") for r in records]
    nationality = [r.get("nationality") for r in records]
    digits = [tuple(sorted({t for t in p.split() if t.isdigit()})) for p in primary]

    def keys(i: int) -> Iterable[str]:
        # every pair of name parts (order-free, so swapped or dropped middle names still meet) + birth year
        year = (dobs[i] or "?")[:4]
        for name in names[i]:
            parts = sorted({skeleton(token) for token in name.split()})
            for combo in combinations(parts, 2) if len(parts) > 1 else [tuple(parts)]:
                key = "+".join(combo)
                yield f"{key}|{year}"
                if year != "?":
                    yield f"{key}|?"

    def score(a: int, b: int) -> float:
        # with the same date of birth a repeated or dropped name part is no evidence against: token-set ratio
        ratio = fuzz.token_set_ratio if dobs[a] and dobs[a] == dobs[b] else fuzz.token_sort_ratio
        return max((ratio(x, y) for x in names[a] for y in names[b]), default=0.0)

    groups = _Groups(len(records))
    uncertain = _Uncertain()
    for a, b in _pairs(len(records), keys, thresholds.block_limit):
        nat_a, nat_b = nationality[a], nationality[b]
        if nat_a and nat_b and nat_a != nat_b:
            continue
        if digits[a] != digits[b]:  # names carrying different numbers are ids of different people
            continue
        similarity = score(a, b)
        if dobs[a] and dobs[a] == dobs[b] and similarity >= thresholds.person_merge:
            groups.union(a, b, f"person: name + date of birth (score {similarity / 100:.2f})")
        elif similarity >= thresholds.person_candidate and (not dobs[a] or not dobs[b] or dobs[a][:4] == dobs[b][:4]):
            rule = (
                "person: similar name, same birth year"
                if dobs[a] and dobs[b]
                else "person: similar name, no date of birth"
            )
            uncertain.add(a, b, rule, similarity)
    for group, why in groups.groups():
        recs = [records[i] for i in group]
        dated = sorted(digest(primary[i], dobs[i] or "") for i in group if dobs[i])
        uid = (
            f"person:{dated[0]}"
            if dated
            else f"person:{slug(source)}:{min(str(r.get('person_record_id')) for r in recs)}"
        )
        resolution.add(Entity(uid, "Person", recs, why if len(recs) > 1 else None), "person_record_id")
    _candidates(resolution, "Person", records, "person_record_id", uncertain, thresholds.max_candidates)


class _Uncertain:
    """Uncertain record pairs (a, b, rule, score) in arrays: a large bundle has millions of them."""

    def __init__(self) -> None:
        self.a, self.b = array("q"), array("q")
        self.rule = array("B")
        self.score = array("d")
        self.rules: list[str] = []

    def add(self, a: int, b: int, rule: str, score: float) -> None:
        if rule not in self.rules:
            self.rules.append(rule)
        self.a.append(a)
        self.b.append(b)
        self.rule.append(self.rules.index(rule))
        self.score.append(score)


def _candidates(
    resolution: Resolution,
    label: str,
    records: Sequence[AnyRecord],
    id_column: str,
    pairs: _Uncertain,
    limit: int,
) -> None:
    """Candidate pairs between entities, best scores first, while both entities have fewer than
    ``limit``; then each entity left with none keeps its best (at most ``limit`` × entities pairs).

    Each pair of entities keeps the best score of its record pairs (the first of equal ones). Uids
    are numbered in sorted order, so ordering by number orders by uid.
    """
    uid_of = resolution.uid_of[label]
    record_uids = [uid_of[str(r.get(id_column))] for r in records]
    uids = sorted(set(record_uids))
    number = {uid: n for n, uid in enumerate(uids)}
    entity = np.fromiter((number[u] for u in record_uids), dtype=np.int64, count=len(record_uids))
    del record_uids, number
    ua = entity[np.frombuffer(pairs.a, dtype=np.int64)] if pairs.a else np.empty(0, dtype=np.int64)
    ub = entity[np.frombuffer(pairs.b, dtype=np.int64)] if pairs.b else np.empty(0, dtype=np.int64)
    score = np.frombuffer(pairs.score, dtype=np.float64) if pairs.score else np.empty(0)
    rule = np.frombuffer(pairs.rule, dtype=np.uint8) if pairs.rule else np.empty(0, dtype=np.uint8)
    differ = np.flatnonzero(ua != ub)
    left, right = np.minimum(ua, ub)[differ], np.maximum(ua, ub)[differ]
    key = left * len(uids) + right
    order = np.lexsort((differ, -score[differ], key))  # per entity pair: best score, then first seen
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    best = order[first]
    left, right, rule, score = left[best], right[best], rule[differ][best], score[differ][best]
    ranked = np.lexsort((right, left, -score))
    left, right, rule, score = left[ranked], right[ranked], rule[ranked], score[ranked]

    def in_rank_order() -> Iterator[tuple[int, int, int]]:
        for start in range(0, len(left), 65_536):
            lefts, rights = left[start : start + 65_536].tolist(), right[start : start + 65_536].tolist()
            yield from zip(range(start, start + len(lefts)), lefts, rights, strict=True)

    kept = [0] * len(uids)
    chosen: list[int] = []
    for i, x, y in in_rank_order():
        if kept[x] < limit and kept[y] < limit:
            chosen.append(i)
            kept[x] += 1
            kept[y] += 1
    for i, x, y in in_rank_order():
        if kept[x] == 0 or kept[y] == 0:
            chosen.append(i)
            kept[x] += 1
            kept[y] += 1
    resolution.capped += len(best) - len(chosen)
    picked = np.array(chosen, dtype=np.int64)
    for x, y, r, s in zip(
        left[picked].tolist(), right[picked].tolist(), rule[picked].tolist(), score[picked].tolist(), strict=True
    ):
        resolution.candidates.append(Candidate(label, uids[x], uids[y], pairs.rules[r], round(s / 100, 3)))


def org_key(name: str) -> str:
    """The matching key of an organisation name ('' when it has none)."""
    try:
        return get("organisation name").clean(name)
    except InvalidValueError:
        return ""


def resolve_organisations(records: Sequence[AnyRecord], resolution: Resolution, thresholds: Thresholds) -> None:
    """Group organisation records by name key + country; similar names in one country are candidates."""
    keys = [org_key(str(r.get("name"))) for r in records]
    for i, record in enumerate(records):
        uid = f"org:{(record.get('country') or '_').lower()}:{slug(keys[i])}"
        existing = resolution.entities["Organisation"].get(uid)
        entity = Entity(
            uid, "Organisation", [record], "organisation: same name + country (score 1.00)" if existing else None
        )
        resolution.add(entity, "org_id")

    def block(i: int) -> Iterable[str]:
        country = records[i].get("country") or "_"
        return (f"{skeleton(t)}|{country}" for t in keys[i].split()[:2])

    uncertain = _Uncertain()
    for a, b in _pairs(len(records), block, thresholds.block_limit):
        if records[a].get("country") != records[b].get("country"):
            continue
        similarity = fuzz.token_sort_ratio(keys[a], keys[b])
        if similarity >= thresholds.organisation_candidate:
            uncertain.add(a, b, "organisation: similar name, same country", similarity)
    _candidates(resolution, "Organisation", records, "org_id", uncertain, thresholds.max_candidates)


def resolve(
    records: Sequence[AnyRecord],
    source: str,
    thresholds: Thresholds | None = None,
    known_firearms: Mapping[str, list[tuple[str, str | None, str | None]]] | None = None,
) -> Resolution:
    """Resolve firearms, persons and organisations of a bundle's accepted records."""
    thresholds = thresholds or Thresholds()
    out = Resolution()
    by_type: dict[str, list[AnyRecord]] = defaultdict(list)
    for record in records:
        by_type[record.record_type].append(record)
    resolve_firearms(by_type["firearms"], source, out, thresholds, known_firearms)
    resolve_persons(by_type["persons"], source, out, thresholds)
    resolve_organisations(by_type["organisations"], out, thresholds)
    out.candidates.sort(key=lambda c: (c.label, c.left, c.right, c.rule))
    return out
