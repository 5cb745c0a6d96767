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

Each rule is one function with its own known-answer tests (``tests/test_resolve_rules.py``):
firearms — :func:`group_same_serial`, :func:`firearm_uid`, :func:`loaded_firearm`,
:func:`firearm_candidate`; persons — :meth:`PersonKeys.blocks`, :func:`person_rule`,
:func:`person_uid`. Merges are kept in networkx's union-find.

Everything is sorted before it is compared, so the same input gives the same uids.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, combinations, islice
from typing import Any

import numpy as np
import pandas as pd
from networkx.utils import UnionFind
from rapidfuzz import fuzz, process

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import get, skeleton, usable_serial
from armsgraph.ingest.records import CLASSIFICATIONS
from armsgraph.ingest.validate import AnyRecord
from armsgraph.settings import Thresholds

_SLUG_RE = re.compile(r"[^0-9a-z]+")
_HANDGUNS = {"pistol", "revolver", "handgun"}


@lru_cache(maxsize=65_536)
def slug(text: str) -> str:
    """Lower-case letters and digits joined by '-' (for uids)."""
    return _SLUG_RE.sub("-", text.lower()).strip("-") or "_"


def digest(*parts: str) -> str:
    """A short stable hash of text parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


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
    """Union-find over record indexes (networkx's), remembering the rule of each group's first join."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.sets = UnionFind(range(n))
        self.joins: list[tuple[int, str]] = []

    def union(self, a: int, b: int, why: str) -> None:
        if self.sets[a] != self.sets[b]:
            self.joins.append((a, why))
            self.sets.union(a, b)

    def groups(self) -> list[tuple[list[int], str | None]]:
        """Each group's members (ascending) and the rule of its first join, ordered by lowest member."""
        why: dict[int, str] = {}
        for a, rule in self.joins:
            why.setdefault(self.sets[a], rule)
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(self.n):
            found[self.sets[i]].append(i)
        return sorted(((members, why.get(root)) for root, members in found.items()), key=lambda g: g[0][0])


def _blocks(count: int, keys: Callable[[int], Iterable[str]], limit: int) -> list[list[int]]:
    """The members (ascending) of each block key shared by 2 to ``limit`` of the records 0..count-1."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(count):
        for key in keys(i):
            blocks[key].append(i)
    return [members for members in blocks.values() if 1 < len(members) <= limit]


def _partners(count: int, keys: Callable[[int], Iterable[str]], limit: int) -> Iterator[tuple[int, list[int]]]:
    """Each record ``a`` of 0..count-1 with the records ``b >= a`` it shares a block key with (ascending);
    blocks of more than ``limit`` records are skipped (a token too common to tell records apart).

    The pairs are made record by record from the blocks each record is in, never held all at once:
    a large bundle has many times more pairs than records. A record named twice in one block (two
    of its names give one key) pairs with itself, as ``combinations`` of the block would give.
    """
    small = _blocks(count, keys, limit)
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
        if following:
            yield a, sorted(following)


def _pairs(count: int, keys: Callable[[int], Iterable[str]], limit: int) -> Iterator[tuple[int, int]]:
    """Pairs (a, b), a <= b, of records sharing a block key, each once, sorted (see :func:`_partners`)."""
    for a, following in _partners(count, keys, limit):
        for b in following:
            yield a, b


#: Record pairs (before repeats are dropped) made and judged at once by the column-wise person rule.
PAIR_BATCH = 262_144


def _pair_batches(
    count: int, keys: Callable[[int], Iterable[str]], limit: int, size: int = PAIR_BATCH
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pairs of :func:`_pairs` in the same order, as (a, b) index arrays, made column-wise.

    Each block's members (ascending) pair with the members after them; the pairs of the records
    ``a`` of one batch (about ``size`` pairs, all of one ``a`` in one batch) are sorted and their
    repeats dropped (two records sharing several blocks).
    """
    small = _blocks(count, keys, limit)
    lengths = np.fromiter(map(len, small), dtype=np.int64, count=len(small))
    members = np.fromiter(chain.from_iterable(small), dtype=np.int64, count=int(lengths.sum()))
    del small
    after = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(members)) - 1  # block members after each entry
    order = np.argsort(members, kind="stable")
    firsts, total = members[order], np.cumsum(after[order])
    low = 0
    while low < len(order):
        high = int(np.searchsorted(total, total[low] - after[order[low]] + size, side="right"))
        high = int(np.searchsorted(firsts, firsts[max(high, low + 1) - 1], side="right"))  # all of the last a
        entries = order[low:high]
        n = after[entries]
        offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        codes = pd.unique(np.repeat(members[entries], n) * count + members[np.repeat(entries + 1, n) + offset])
        codes.sort()  # pandas' hash table drops the repeats: several times faster than np.unique's sort of all
        yield codes // count, codes % count
        low = high


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


FIREARM_SAME = "firearm: same serial + compatible make, calibre, year, type (score 1.00)"
FIREARM_SAME_AS_LOADED = "firearm: same serial + compatible make and type as a loaded firearm"
FIREARM_MAKE_UNKNOWN = "firearm: same serial, make unknown, fits several firearms"
FIREARM_SIMILAR_MAKE = "firearm: same serial, similar make"
FIREARM_OTHER_TYPE = "firearm: same serial, make and calibre, different type"

#: Firearms already in the graph by serial: (uid, make, type) each.
Known = Mapping[str, list[tuple[str, str | None, str | None]]]


def group_same_serial(records: Sequence[AnyRecord]) -> tuple[list[list[AnyRecord]], list[tuple[int, int]]]:
    """Rule *same serial*: records of one serial (make-less last) join the one group they are all
    compatible with; a record that fits none or several starts its own group.

    Returns the groups and the (record's group, group it also fits) pairs of the ambiguous ones.
    """
    ordered = sorted(records, key=lambda r: (r.get("make") is None, _rid(r)))
    grouped: list[list[AnyRecord]] = []
    ambiguous: list[tuple[int, int]] = []
    for record in ordered:
        fits = [n for n, g in enumerate(grouped) if all(_firearms_compatible(record, other) for other in g)]
        if len(fits) == 1:
            grouped[fits[0]].append(record)
            continue
        grouped.append([record])
        ambiguous.extend((len(grouped) - 1, n) for n in fits)
    return grouped, ambiguous


def _first(records: Sequence[AnyRecord], name: str) -> Any:
    return next((r.get(name) for r in records if r.get(name)), None)


def _kind(records: Sequence[AnyRecord]) -> str | None:
    """The most specific recorded type ('pistol' before 'handgun')."""
    return next((r.get("type") for r in records if r.get("type") and r.get("type") != "handgun"), None) or _first(
        records, "type"
    )


def firearm_uid(serial: str, records: Sequence[AnyRecord], taken: Iterable[str]) -> str:
    """Rule *firearm uid*: ``firearm:<serial>:<make>:<type>`` (a specific type before 'handgun'),
    with ``:<calibre>`` (or year, or record id) added when another firearm of the group took it."""
    make, kind = _first(records, "make"), _kind(records)
    uid = f"firearm:{serial}:{slug(make or '_')}:{slug(kind or '_')}"
    if uid in set(taken):
        extra = _first(records, "calibre") or records[0].get("year") or _rid(records[0])
        uid = f"{uid}:{slug(str(extra))}"
    return uid


def loaded_firearm(serial: str, records: Sequence[AnyRecord], known: Known, own: str | None = None) -> str | None:
    """Rule *same as loaded*: the first (by uid) firearm already in the graph with this serial and a
    compatible make and type, if any; ``own`` (the uid these records give) first when the graph has it,
    so that loading the same records again finds the firearm they made (re-ingests change nothing)."""
    make, kind = _first(records, "make"), _kind(records)
    matches = sorted(
        u for u, m, t in known.get(serial, []) if (m is None or make is None or m == make) and _type_compatible(t, kind)
    )
    if own is not None and own in matches:
        return own
    return matches[0] if matches else None


def firearm_candidate(a: Entity, b: Entity, ambiguous: bool, thresholds: Thresholds) -> tuple[str, float] | None:
    """Rule *firearm candidate*: the POSSIBLY_SAME rule and score (0-100) of two firearms of one
    serial, or None when they are plainly different."""
    make_a, make_b = a.first("make") or "", b.first("make") or ""
    if ambiguous:
        return FIREARM_MAKE_UNKNOWN, 60.0
    score = fuzz.ratio(make_a.lower(), make_b.lower())
    if make_a and make_b and make_a != make_b and score >= thresholds.make_candidate:
        return FIREARM_SIMILAR_MAKE, score
    calibres = {a.first("calibre"), b.first("calibre")} - {None}
    if make_a == make_b and len(calibres) < 2 and not _type_compatible(a.first("type"), b.first("type")):
        return FIREARM_OTHER_TYPE, 50.0
    return None


def _resolve_serial(
    serial: str, records: Sequence[AnyRecord], resolution: Resolution, thresholds: Thresholds, known: Known
) -> None:
    """One serial's records into firearms and candidate pairs."""
    grouped, ambiguous = group_same_serial(records)
    entities: list[Entity] = []
    for recs in grouped:
        why = FIREARM_SAME if len(recs) > 1 else None
        uid = firearm_uid(serial, recs, (e.uid for e in entities))
        loaded = loaded_firearm(serial, recs, known, uid)
        if loaded is not None and loaded != uid:
            uid, why = loaded, why or FIREARM_SAME_AS_LOADED
        entities.append(Entity(uid, "Firearm", recs, why))
        resolution.add(entities[-1], "firearm_record_id")
    unsure = {frozenset(pair) for pair in ambiguous}
    for (na, ea), (nb, eb) in combinations(enumerate(entities), 2):
        found = firearm_candidate(ea, eb, frozenset((na, nb)) in unsure, thresholds)
        left, right = sorted((ea.uid, eb.uid))
        if found is not None and left != right:
            resolution.candidates.append(Candidate("Firearm", left, right, found[0], round(found[1] / 100, 3)))


def resolve_firearms(
    records: Sequence[AnyRecord],
    source: str,
    resolution: Resolution,
    thresholds: Thresholds,
    known: Known | None = None,
) -> None:
    """Group firearm records (see module docstring) into ``resolution``."""
    by_serial: dict[str, list[AnyRecord]] = defaultdict(list)
    for record in records:
        key = record.get("serial_normalised")
        if usable_serial(key):
            by_serial[key].append(record)
        else:
            uid = f"firearm:{slug(source)}:{record.get('firearm_record_id')}"
            resolution.add(Entity(uid, "Firearm", [record]), "firearm_record_id")
    for serial in sorted(by_serial):
        _resolve_serial(serial, by_serial[serial], resolution, thresholds, known or {})


@lru_cache(maxsize=65_536)
def person_key(text: str) -> str:
    """The matching key of a person's name ('' when it has none; remembered: resolution and the build both ask)."""
    try:
        return get("person name").clean(text)
    except InvalidValueError:
        return ""


PERSON_SAME = "person: name + date of birth (score {score:.2f})"
PERSON_SIMILAR_DATED = "person: similar name, same birth year"
PERSON_SIMILAR_UNDATED = "person: similar name, no date of birth"


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """What the person rules compare of one record: its name keys (name and aliases), the primary
    name's key, date of birth, nationality and the numbers its name carries."""

    names: tuple[str, ...]
    primary: str
    dob: str | None
    nationality: str | None
    digits: tuple[str, ...]

    @classmethod
    def of(cls, record: AnyRecord) -> PersonKeys:
        names = sorted({k for k in (person_key(n) for n in [record.get("name"), *(record.get("aliases") or [])]) if k})
        primary = person_key(str(record.get("name")))
        digits = tuple(sorted({t for t in primary.split() if t.isdigit()}))
        return cls(tuple(names), primary, record.get("date_of_birth"), record.get("nationality"), digits)

    def blocks(self) -> Iterator[str]:
        """Rule *person blocking*: every pair of name parts' phonetic skeletons (order-free, so
        swapped or dropped middle names still meet) with the birth year, and with '?'."""
        year = (self.dob or "?")[:4]
        for name in self.names:
            parts = sorted({skeleton(token) for token in name.split()})
            for combo in combinations(parts, 2) if len(parts) > 1 else [tuple(parts)]:
                key = "+".join(combo)
                yield f"{key}|{year}"
                if year != "?":
                    yield f"{key}|?"


def name_similarity(a: PersonKeys, b: PersonKeys) -> float:
    """The best similarity (0-100) of any name of ``a`` with any of ``b``: token-set ratio when both
    have the same date of birth (a repeated or dropped name part is then no evidence against),
    token-sort ratio otherwise."""
    ratio = fuzz.token_set_ratio if a.dob and a.dob == b.dob else fuzz.token_sort_ratio
    if len(a.names) == 1 == len(b.names):  # the usual case: one name each
        return ratio(a.names[0], b.names[0])
    return max((ratio(x, y) for x in a.names for y in b.names), default=0.0)


def person_rule(a: PersonKeys, b: PersonKeys, thresholds: Thresholds) -> tuple[bool, str, float] | None:
    """Rule *person match*: (merge?, rule, score 0-100) for two person records, or None.

    Different nationalities or different numbers in the names never match. Same date of birth and
    similarity >= ``person_merge`` merge; similarity >= ``person_candidate`` with the same birth year
    or a missing date of birth is a candidate.
    """
    if (a.nationality and b.nationality and a.nationality != b.nationality) or a.digits != b.digits:
        return None
    similarity = name_similarity(a, b)
    if a.dob and a.dob == b.dob and similarity >= thresholds.person_merge:
        return True, PERSON_SAME.format(score=similarity / 100), similarity
    if similarity < thresholds.person_candidate:
        return None
    if a.dob and b.dob:
        return (False, PERSON_SIMILAR_DATED, similarity) if a.dob[:4] == b.dob[:4] else None
    return False, PERSON_SIMILAR_UNDATED, similarity


def person_uid(keys: Sequence[PersonKeys], records: Sequence[AnyRecord], source: str) -> str:
    """Rule *person uid*: a hash of the lowest (name key, date of birth) of the dated records, stable
    across bundles; ``person:<source>:<lowest record id>`` when none has a date of birth."""
    dated = sorted(digest(k.primary, k.dob or "") for k in keys if k.dob)
    if dated:
        return f"person:{dated[0]}"
    return f"person:{slug(source)}:{min(str(r.get('person_record_id')) for r in records)}"


class PersonTable:
    """:func:`person_rule` for many record pairs at once: the records' keys as integer columns (equal
    text, equal code; 0 for none) and the name similarities computed by rapidfuzz a batch at a time.

    :meth:`judge` gives the same merges and candidates, scores and rules as :func:`person_rule`
    pair by pair (``tests/test_resolve_rules.py`` compares them).
    """

    def __init__(self, keys: Sequence[PersonKeys]) -> None:
        self.keys = keys

        def codes(values: Iterable[Hashable]) -> np.ndarray:
            seen: dict[Hashable, int] = {}
            return np.fromiter((seen.setdefault(v, len(seen) + 1) if v else 0 for v in values), dtype=np.int64)

        self.nationality = codes(k.nationality for k in keys)
        self.digits = codes((k.digits,) for k in keys)  # a tuple of one: an empty tuple is a value too
        self.dob = codes(k.dob for k in keys)
        self.year = codes((k.dob or "")[:4] for k in keys)
        self.count = np.fromiter((len(k.names) for k in keys), dtype=np.int64, count=len(keys))
        self.start = np.cumsum(self.count) - self.count
        self.names = np.array([name for k in keys for name in k.names], dtype=object)

    def similarity(self, a: np.ndarray, b: np.ndarray, same_dob: np.ndarray) -> np.ndarray:
        """:func:`name_similarity` of each pair (a[i], b[i]): the best score of any name of one with any of
        the other's (0 when one has none), every name pair scored by rapidfuzz in one call per ratio."""
        across = self.count[b]
        sizes = self.count[a] * across
        pair = np.repeat(np.arange(len(a)), sizes)  # the pair each name pair belongs to, pair by pair
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        x = self.start[a][pair] + offset // across[pair]
        y = self.start[b][pair] + offset % across[pair]
        scores = np.empty(len(pair), dtype=np.float64)
        set_ratio = same_dob[pair]
        for scorer, where in ((fuzz.token_set_ratio, set_ratio), (fuzz.token_sort_ratio, ~set_ratio)):
            if where.any():
                scores[where] = process.cpdist(self.names[x[where]], self.names[y[where]], scorer=scorer, dtype=float)
        out = np.zeros(len(a), dtype=np.float64)
        named = np.flatnonzero(sizes)
        if len(named):
            out[named] = np.maximum.reduceat(scores, (np.cumsum(sizes) - sizes)[named])
        return out

    def judge(
        self, a: np.ndarray, b: np.ndarray, thresholds: Thresholds, groups: _Groups, uncertain: _Uncertain
    ) -> None:
        """The person rule over pairs (a[i], b[i]) in order: merges joined in ``groups``, candidates kept in
        ``uncertain`` (each in pair order)."""
        nat_a, nat_b = self.nationality[a], self.nationality[b]
        keep = ~((nat_a != 0) & (nat_b != 0) & (nat_a != nat_b)) & (self.digits[a] == self.digits[b])
        a, b = a[keep], b[keep]
        dob_a, dob_b = self.dob[a], self.dob[b]
        same_dob = (dob_a != 0) & (dob_a == dob_b)
        similarity = self.similarity(a, b, same_dob)
        merge = same_dob & (similarity >= thresholds.person_merge)
        dated = (dob_a != 0) & (dob_b != 0)
        unsure = ~merge & (similarity >= thresholds.person_candidate) & ~(dated & (self.year[a] != self.year[b]))
        for x, y, score in zip(a[merge].tolist(), b[merge].tolist(), similarity[merge].tolist(), strict=True):
            groups.union(x, y, PERSON_SAME.format(score=score / 100))
        rule = np.where(dated, uncertain.code(PERSON_SIMILAR_DATED), uncertain.code(PERSON_SIMILAR_UNDATED))
        uncertain.extend(a[unsure], b[unsure], rule[unsure], similarity[unsure])


def resolve_persons(records: Sequence[AnyRecord], source: str, resolution: Resolution, thresholds: Thresholds) -> None:
    """Group person records (see module docstring) into ``resolution``."""
    keys = [PersonKeys.of(r) for r in records]
    groups = _Groups(len(records))
    uncertain = _Uncertain()
    table = PersonTable(keys)
    for a, b in _pair_batches(len(records), lambda i: keys[i].blocks(), thresholds.block_limit):
        table.judge(a, b, thresholds, groups, uncertain)
    for group, why in groups.groups():
        recs = [records[i] for i in group]
        uid = person_uid([keys[i] for i in group], recs, source)
        resolution.add(Entity(uid, "Person", recs, why if len(recs) > 1 else None), "person_record_id")
    _candidates(resolution, "Person", records, "person_record_id", uncertain, thresholds.max_candidates)


class _Uncertain:
    """Uncertain record pairs (a, b, rule, score) in arrays: a large bundle has millions of them."""

    def __init__(self) -> None:
        self.a, self.b = array("q"), array("q")
        self.rule = array("B")
        self.score = array("d")
        self.rules: list[str] = []

    def code(self, rule: str) -> int:
        """The number a rule is kept as."""
        if rule not in self.rules:
            self.rules.append(rule)
        return self.rules.index(rule)

    def add(self, a: int, b: int, rule: str, score: float) -> None:
        self.a.append(a)
        self.b.append(b)
        self.rule.append(self.code(rule))
        self.score.append(score)

    def extend(self, a: np.ndarray, b: np.ndarray, rule: np.ndarray, score: np.ndarray) -> None:
        """Add pairs given as arrays, in order."""
        self.a.frombytes(a.astype(np.int64).tobytes())
        self.b.frombytes(b.astype(np.int64).tobytes())
        self.rule.frombytes(rule.astype(np.uint8).tobytes())
        self.score.frombytes(score.astype(np.float64).tobytes())


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


@lru_cache(maxsize=65_536)
def org_key(name: str) -> str:
    """The matching key of an organisation name ('' when it has none; remembered as :func:`person_key`)."""
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
