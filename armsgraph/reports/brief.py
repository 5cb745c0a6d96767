"""Linked-case briefs for prosecutors: every statement cited to the source records it rests on.

``build_brief(store, case_uid)`` reads the case through named queries (so a
:class:`~armsgraph.access.SecureStore` applies the reader's rights) and returns a :class:`Brief`:
sections of :class:`Statement` (text, the numbers of its source records, the values it quotes from
them) and two figures. :mod:`armsgraph.reports.render` writes the very same sections as Markdown,
HTML and PDF.

What a brief says:

* records are named as the bundle names them (incident and case ids, names, recorded serials),
  never by armsgraph's uids or normalised keys; empty values are left out;
* each source record (file, row, batch) is numbered once, in order of first citation; analytics
  results are never cited — a link cites the evidence records on both sides (the two seizures'
  firearms.csv rows, the two diversions' transfers.csv rows, the identifier and involvement rows)
  and says in words what they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import networkx as nx
import pandas as pd

from armsgraph.access import LEVELS, level
from armsgraph.analytics import results
from armsgraph.errors import ArmsgraphError
from armsgraph.reports import figures

__all__ = ["Brief", "Section", "Source", "Statement", "build_brief"]

#: Reasons listed per linked incident and kind of evidence (the rest are counted: "and N more").
REASONS_SHOWN = 4
#: The case's own firearms named in one shared-diversion statement (the rest are counted).
OURS_SHOWN = 3
#: What a transfer's flags add to its line in a firearm's history.
_NOTES = (("last_legal", " — last legal transfer"), ("diversion", " — point of diversion"))
_DIVERSION_VERBS = {"sale": "sold by", "theft": "stolen from", "loss": "lost by", "export": "exported by"}


class Reader(Protocol):
    """Anything with named reads: a GraphStore or a SecureStore."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Source:
    """One cited source record: file, 1-based data row, ingest batch."""

    number: int
    file: str
    row: int
    batch: str | None = None

    @property
    def text(self) -> str:
        return f"{self.file}, row {self.row}" + (f" (batch {self.batch})" if self.batch else "")


@dataclass(frozen=True)
class Statement:
    """A line of the brief: its text, the source records it cites, the values it quotes, nested statements."""

    text: str
    cites: tuple[int, ...] = ()
    values: tuple[str, ...] = ()
    children: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of the brief: key/value fields, statements, or a figure (by name) with a caption."""

    title: str
    fields: tuple[tuple[str, Statement], ...] = ()
    items: tuple[Statement, ...] = ()
    figure: str = ""
    caption: str = ""
    empty: str = ""
    note: str = ""  # a line under the title: what the section lists and where it comes from


class Citations:
    """Source records numbered once each, in order of first citation."""

    def __init__(self) -> None:
        self._by_record: dict[tuple[str, int], Source] = {}

    def cite(self, sources: Any, batch: Any = None) -> tuple[int, ...]:
        """The numbers of ``sources`` ("file:row" strings), numbering records not seen before."""
        numbers = []
        for ref in sources if isinstance(sources, list | tuple) else []:
            file, _, row = str(ref).rpartition(":")
            if not file or not row.isdigit() or file == "analytics":
                continue
            key = (file, int(row))
            if key not in self._by_record:
                self._by_record[key] = Source(len(self._by_record) + 1, file, int(row), _text(batch) or None)
            numbers.append(self._by_record[key].number)
        return tuple(sorted(set(numbers)))

    @property
    def sources(self) -> list[Source]:
        return sorted(self._by_record.values(), key=lambda s: s.number)


@dataclass
class Brief:
    """A linked-case brief: sections of cited statements, the sources, the network and the map."""

    case_uid: str
    title: str
    classification: str
    sections: list[Section]
    sources: list[Source]
    incidents: list[str]
    linked: list[str]
    graph: nx.Graph = field(default_factory=nx.Graph)
    points: list[figures.MapPoint] = field(default_factory=list)
    _figures: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def statements(self) -> list[Statement]:
        """Every statement of the brief (fields, items and their children), in order."""
        out: list[Statement] = []

        def walk(items: Iterable[Statement]) -> None:
            for item in items:
                out.append(item)
                walk(item.children)

        for section in self.sections:
            walk(value for _, value in section.fields)
            walk(section.items)
        return out

    def figure(self, name: str, font: str = "DejaVu Sans") -> str:
        """The SVG of figure ``name`` ("network" or "map"), its text set in ``font``; '' when empty.

        Drawn once per name and font (the network's layout takes up to a second, and the dashboard
        shows a cached brief's figures on every visit).
        """
        draw = {
            "network": lambda: figures.network_svg(self.graph, font=font),
            "map": lambda: figures.map_svg(self.points, font=font),
        }
        if name not in draw:
            raise ArmsgraphError(f"no figure {name!r} in a brief (network, map)")
        if (name, font) not in self._figures:
            self._figures[name, font] = draw[name]()
        return self._figures[name, font]

    @cached_property
    def markdown(self) -> str:
        """The brief as Markdown (record text escaped; the figures as embedded SVG images)."""
        from armsgraph.reports import render

        return render.markdown(self)

    def html(self) -> str:
        """Self-contained HTML (no external resources), autoescaped."""
        from armsgraph.reports import render

        return render.html(self)

    def pdf(self) -> bytes:
        """PDF: classification header and footer, page numbers, the figures."""
        from armsgraph.reports import render

        return render.pdf(self)


# -- reading --------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """A value as display text; missing, NaN and empty values are ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return str(value).strip()


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def record_id(uid: str, props: Mapping[str, Any] | None = None) -> str:
    """The id the bundle gave a record (``INC-0000155``), not armsgraph's uid."""
    ids = [str(r).split("/", 1)[-1] for r in (props or {}).get("record_ids") or []]
    return sorted(ids)[0] if ids else uid.rsplit(":", 1)[-1]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _rows_in_words(*sources: Any) -> str:
    """ "transfers.csv rows 207 and 6924; firearms.csv row 12" from lists of "file:row"."""
    by_file: dict[str, list[int]] = {}
    for ref in (r for s in sources for r in (s or [])):
        file, _, row = str(ref).rpartition(":")
        if file and row.isdigit() and file != "analytics":
            by_file.setdefault(file, []).append(int(row))
    return "; ".join(
        f"{file} row{'s' if len(set(rows)) > 1 else ''} {_join([str(r) for r in sorted(set(rows))])}"
        for file, rows in by_file.items()
    )


def firearm_caption(props: Mapping[str, Any]) -> str:
    """ "Glock 19 pistol, 9x19mm, serial KQJA102" — the recorded serial, never the normalised one."""
    words = " ".join(_text(props.get(k)) for k in ("make", "model", "type") if _text(props.get(k))) or "firearm"
    calibre, serial = _text(props.get("calibre")), _text(props.get("serial"))
    return words + (f", {calibre}" if calibre else "") + (f", serial {serial}" if serial else ", no serial recorded")


def _firearm_values(props: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(v for v in (_text(props.get("serial")),) if v)


@dataclass
class _LinkEvidence:
    """What ties incidents outside the case (``own``) to it: per linked incident, the case's incidents it is
    linked to, the reasons by kind of evidence, and the linkage model's LINKED rows."""

    own: set[str]
    pairs: dict[str, set[str]] = field(default_factory=dict)
    reasons: dict[str, dict[str, list[Statement]]] = field(default_factory=dict)
    model: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def modelled(self, r: dict[str, Any]) -> None:
        """A LINKED edge from an incident of the case (``from_uid``) to ``uid``."""
        if r["uid"] not in self.own:
            self.pairs.setdefault(r["uid"], set()).add(r["from_uid"])
            self.model.setdefault(r["uid"], []).append(r)

    def add(self, uid: str, from_uid: str, kind: str, statement: Statement) -> None:
        """A reason of kind ``kind`` that ``uid`` shares with ``from_uid`` (once)."""
        if uid in self.own:
            return
        self.pairs.setdefault(uid, set()).add(from_uid)
        listed = self.reasons.setdefault(uid, {}).setdefault(kind, [])
        if statement not in listed:
            listed.append(statement)

    def reasons_of(self, uid: str) -> list[Statement]:
        """The reasons of ``uid``, :data:`REASONS_SHOWN` per kind, the rest counted (their rows still cited)."""
        out: list[Statement] = []
        for statements in self.reasons.get(uid, {}).values():
            out += statements[:REASONS_SHOWN]
            if len(statements) > REASONS_SHOWN:
                rest = tuple(sorted({n for st in statements[REASONS_SHOWN:] for n in st.cites}))
                out.append(Statement(f"and {len(statements) - REASONS_SHOWN} more of this kind", rest))
        return out


def _strength(links: list[dict[str, Any]]) -> str:
    """ "; match probability 0.97" (or "; link weight 3.00" for rule links) — the strongest link; '' when none."""
    weights = [float(m["weight"]) for m in links if isinstance(m.get("weight"), int | float)]
    if not weights:
        return ""
    probability = any("match_weight" in (m.get("link_props") or {}) for m in links)
    return f"; {'match probability' if probability else 'link weight'} {max(weights):.2f}"


class _Builder:
    """Reads one case and builds its statements, citing as it goes."""

    def __init__(self, store: Reader, case_uid: str) -> None:
        self.store, self.case_uid = store, case_uid
        self.cites = Citations()
        self.classes: list[Any] = []
        self.graph: nx.Graph = nx.Graph()
        self.incident_props: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, tuple[str, dict[str, Any]]] = {}  # uid -> name, props (persons and organisations)

    def cite(self, props: Mapping[str, Any] | None, *more: tuple[Any, Any]) -> tuple[int, ...]:
        """Cite a record's own sources (and more ``(sources, batch)`` pairs); note its classification."""
        numbers: list[int] = []
        if props:
            self.classes.append(props.get("classification"))
            numbers += self.cites.cite(props.get("sources"), props.get("batch_id"))
        for sources, batch in more:
            numbers += self.cites.cite(sources, batch)
        return tuple(sorted(set(numbers)))

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return _rows(self.store.read(name, case=self.case_uid, **params))

    def outside(self, name: str, own: set[str]) -> list[dict[str, Any]]:
        """Rows of ``name`` about incidents outside the case (``uid`` not in ``own``)."""
        return [r for r in self.read(name) if r["uid"] not in own]

    def ref(self, uid: str) -> str:
        return record_id(uid, self.incident_props.get(uid))

    def incident_line(self, uid: str) -> tuple[str, tuple[str, ...]]:
        """ "INC-0000155 — 2024-05-29, drug trafficking seizure in Montego Bay, JAM" and the values it quotes."""
        props = self.incident_props.get(uid, {})
        date, context, kind = (_text(props.get(k)) for k in ("date", "context", "kind"))
        place = ", ".join(v for v in (_text(props.get("city")), _text(props.get("country"))) if v)
        what = " ".join(v for v in (context, kind or "incident") if v) + (f" in {place}" if place else "")
        text = f"{self.ref(uid)} — " + ", ".join(v for v in (date, what) if v)
        return text, tuple(v for v in (self.ref(uid), date, context) if v)

    # -- sections -----------------------------------------------------------------------------------
    def summary(self, props: Mapping[str, Any]) -> tuple[tuple[str, Statement], ...]:
        numbers = self.cite(props)
        case_id = record_id(self.case_uid, props)
        fields = [("Case", Statement(case_id, numbers, (case_id,)))]
        for label, key in (("Title", "title"), ("Jurisdiction", "jurisdiction"), ("Offences", "offences"),
                           ("Status", "status"), ("Opened", "opened"), ("MLA requests", "mla_requests")):  # fmt: skip
            raw, value = props.get(key), _text(props.get(key))
            if value:
                quoted = tuple(_text(v) for v in raw if _text(v)) if isinstance(raw, list) else (value,)
                fields.append((label, Statement(value, numbers, quoted)))
        team = props.get("joint_investigation_team")
        if isinstance(team, bool):
            fields.append(("Joint investigation team", Statement("yes" if team else "no", numbers)))
        return tuple(fields)

    def case_incidents(self) -> list[Statement]:
        out = []
        for r in self.read("brief_case_incidents"):
            self.incident_props[r["uid"]] = r["props"]
            text, values = self.incident_line(r["uid"])
            out.append(Statement(text, self.cite(r["props"], (r["link_sources"], r["props"].get("batch_id"))), values))
            self.graph.add_node(r["uid"], label="Incident", caption=self.ref(r["uid"]))
            self.graph.add_edge(self.case_uid, r["uid"])
        return out

    def links(self) -> tuple[list[Statement], list[str]]:
        """Linked incidents, each with the reasons (shared records, both sides cited) it is linked."""
        found = _LinkEvidence(set(self.incident_props))
        for r in self.read("brief_linked_incidents"):
            found.modelled(r)
        shared = (("brief_shared_firearms", "firearm", self._shared_firearm),
                  ("brief_shared_parties", "party", self._shared_party),
                  ("brief_shared_identifiers", "identifier", self._shared_identifier))  # fmt: skip
        for query, kind, say in shared:
            for r in self.outside(query, found.own):
                found.add(r["uid"], r["from_uid"], kind, say(r))
        self._diversion_reasons(found)
        for r in self.outside("brief_shared_ballistics", found.own):
            found.add(r["uid"], r["from_uid"], "ballistic", self._shared_ballistic(r))
        linked = sorted(found.pairs)
        for r in _rows(self.store.read("brief_incidents", uids=linked)):
            self.incident_props[r["uid"]] = r["props"]
        visible = [u for u in linked if u in self.incident_props]  # the others are not visible to this reader
        order = sorted(visible, key=lambda u: (_text(self.incident_props[u].get("date")), self.ref(u)))
        return [self._link(uid, found) for uid in order], visible

    def _diversion_reasons(self, found: _LinkEvidence) -> None:
        """Firearms of a linked incident diverted by the same party as firearms of the case.

        A shared point of diversion is weak on its own (a busy dealer sold to many): it explains links the
        analysis made, it does not add incidents to the brief.
        """
        ours: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in self.read("brief_case_diversions"):
            ours.setdefault((r["from_uid"], r["party"]), []).append(r)
        diversions: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in self.outside("brief_shared_diversion", found.own):
            for mine in ours.get((r["from_uid"], r["party"]), []) if r["uid"] in found.model else []:
                diversions.setdefault((r["uid"], r["party"]), []).append(r | mine)
        for (uid, _), rows in diversions.items():
            found.add(uid, rows[0]["from_uid"], "diversion", self._shared_diversion(rows))

    def _link(self, uid: str, found: _LinkEvidence) -> Statement:
        """One linked incident: to which incidents of the case, how strongly, and every reason (nested)."""
        text, values = self.incident_line(uid)
        to = _join(sorted(self.ref(u) for u in found.pairs[uid]))
        children = found.reasons_of(uid)
        children += self._model_reasons(uid, found.model.get(uid, []), bool(children))
        self.graph.add_node(uid, label="Linked incident", caption=self.ref(uid))
        for from_uid in found.pairs[uid]:
            self.graph.add_edge(from_uid, uid)
        text = f"{text} — linked to {to}{_strength(found.model.get(uid, []))}"
        return Statement(text, self.cite(self.incident_props[uid]), values, tuple(children))

    def _model_reasons(self, uid: str, links: list[dict[str, Any]], explained: bool) -> list[Statement]:
        """The linkage model's own explanation (per-comparison words, when the analysis wrote them)."""
        out = []
        strongest = sorted(links, key=lambda m: -float(m["weight"]) if isinstance(m.get("weight"), int | float) else 0)
        for link in strongest[:1]:  # the strongest link's explanation; the others are counted in the parent line
            props = link.get("link_props") or {}
            words = props.get("explanation") or []  # per-comparison words and weights (#15's linkage model)
            numbers = self.cite(self.incident_props.get(uid), *[(s, None) for s in [self._sources(link["from_uid"])]])
            for word in words if isinstance(words, list) else [words]:
                if _text(word):
                    whom = f"{self.ref(link['from_uid'])} and {self.ref(uid)}"
                    out.append(Statement(f"linkage model, {whom}: {_text(word)}", numbers))
            if not words and not explained:
                rules = _text(link.get("rules")) or "its comparisons"
                out.append(Statement(f"linked by the linkage model ({rules}) to {self.ref(link['from_uid'])}", numbers))
        return out

    def _sources(self, uid: str) -> list[Any]:
        return list(self.incident_props.get(uid, {}).get("sources") or [])

    def _shared_firearm(self, r: dict[str, Any]) -> Statement:
        firearm = r["firearm_props"]
        rows = _rows_in_words(r["from_sources"], r["to_sources"])
        text = f"both incidents seized the same firearm, {firearm_caption(firearm)} ({rows})"
        numbers = self.cite(firearm, (r["from_sources"], r["from_batch"]), (r["to_sources"], r["to_batch"]))
        return Statement(text, numbers, (*_firearm_values(firearm), self.ref(r["from_uid"]), self.ref(r["uid"])))

    def _shared_party(self, r: dict[str, Any]) -> Statement:
        party = r["party_props"]
        name = _text(party.get("name")) or record_id(r["party"], party)
        roles = [f"{_text(r['from_role']) or 'involved'} in {self.ref(r['from_uid'])}",
                 f"{_text(r['to_role']) or 'involved'} in {self.ref(r['uid'])}"]  # fmt: skip
        rows = _rows_in_words(r["from_sources"], r["to_sources"])
        text = f"{name} was involved in both: {_join(roles)} ({rows})"
        numbers = self.cite(party, (r["from_sources"], r["from_batch"]), (r["to_sources"], r["to_batch"]))
        return Statement(text, numbers, (name, self.ref(r["from_uid"]), self.ref(r["uid"])))

    def _shared_identifier(self, r: dict[str, Any]) -> Statement:
        x = r["identifier_props"]
        value, kind = _text(x.get("value")), _text(x.get("kind")) or "identifier"
        users = [
            f"by {_text(r['from_user'])} in {self.ref(r['from_uid'])}" if _text(r["from_user"])
            else f"in {self.ref(r['from_uid'])}",
            f"by {_text(r['to_user'])} in {self.ref(r['uid'])}" if _text(r["to_user"]) else f"in {self.ref(r['uid'])}",
        ]  # fmt: skip
        rows = _rows_in_words(r["from_sources"], r["to_sources"])
        text = f"the same {kind} {value} was used {_join(users)} ({rows})"
        numbers = self.cite(
            x,
            (r["from_sources"], r["from_batch"]),
            (r["to_sources"], r["to_batch"]),
            (r["from_user_sources"] if _text(r["from_user"]) else None, r["from_user_batch"]),
            (r["to_user_sources"] if _text(r["to_user"]) else None, r["to_user_batch"]),
        )
        names = tuple(_text(r[k]) for k in ("from_user", "to_user") if _text(r[k]))
        return Statement(text, numbers, (value, *names))

    def _shared_diversion(self, rows: list[dict[str, Any]]) -> Statement:
        """One linked incident's firearm(s) and the case's firearms diverted from the same party."""
        first = rows[0]
        party = first["party_props"]
        name = _text(party.get("name")) or record_id(first["party"], party)
        verb = _DIVERSION_VERBS.get(_text(first["to_transfer"].get("kind")), "diverted from")
        theirs: dict[str, dict[str, Any]] = {}
        ours: dict[str, dict[str, Any]] = {}
        pairs: list[tuple[Any, Any]] = [(party.get("sources"), party.get("batch_id"))]
        for r in rows:
            theirs[_text(r["to_transfer"].get("uid"))] = r | {"side": "to"}
            ours[_text(r["from_transfer"].get("uid"))] = r | {"side": "from"}

        def seized(r: dict[str, Any], full: bool) -> str:
            side = r["side"]
            firearm, transfer = r[f"{side}_firearm"], r[f"{side}_transfer"]
            incident = r["uid"] if side == "to" else r["from_uid"]
            pairs.extend([(transfer.get("sources"), transfer.get("batch_id")),
                          (firearm.get("sources"), firearm.get("batch_id")),
                          (r[f"{side}_seized"], r[f"{side}_seized_batch"])])  # fmt: skip
            what = f"the {firearm_caption(firearm)}" if full else f"serial {_text(firearm.get('serial')) or 'unknown'}"
            return f"{what} seized in {self.ref(incident)} ({_rows_in_words(transfer.get('sources'))})"

        their = [seized(r, True) for r in sorted(theirs.values(), key=lambda x: firearm_caption(x["to_firearm"]))]
        mine = sorted(ours.values(), key=lambda x: firearm_caption(x["from_firearm"]))
        our = [seized(r, False) for r in mine[:OURS_SHOWN]]
        if len(mine) > OURS_SHOWN:
            our.append(f"{len(mine) - OURS_SHOWN} more listed under Firearms and their histories")
        was = "was" if len(their) == 1 else "were"
        like = f"{len(mine)} firearm{'s' if len(mine) > 1 else ''} of the case"
        text = f"{_join(their)} {was} {verb} {name}, like {like}: {_join(our)}"
        values = [name, *(v for r in theirs.values() for v in _firearm_values(r["to_firearm"]))]
        values += [v for r in mine[:OURS_SHOWN] for v in _firearm_values(r["from_firearm"])]
        return Statement(text, self.cite(None, *pairs), tuple(values))

    def _shared_ballistic(self, r: dict[str, Any]) -> Statement:
        e1, e2 = r["from_evidence"], r["to_evidence"]
        group = _text(e1.get("hit_group")) or _text(e2.get("hit_group"))
        kind = _text(e1.get("kind")) or "ballistic evidence"
        rows = _rows_in_words(e1.get("sources"), e2.get("sources"))
        text = (
            f"an examiner matched the {kind} recovered in {self.ref(r['from_uid'])} to evidence recovered in "
            f"{self.ref(r['uid'])}" + (f" (hit group {group})" if group else "") + f" ({rows})"
        )
        return Statement(text, self.cite(e1, (e2.get("sources"), e2.get("batch_id"))), (group,) if group else ())

    def firearms(self) -> list[Statement]:
        found: dict[str, dict[str, Any]] = {}
        for r in self.read("brief_firearms"):
            entry = found.setdefault(r["uid"], {"props": r["props"], "incidents": set(), "seized": [], "steps": {}})
            entry["incidents"].add(r["incident"])
            entry["seized"].append((r.get("seized_sources"), r.get("seized_batch")))
            transfer = r["transfer"] if isinstance(r["transfer"], dict) else None
            if transfer and transfer.get("uid") not in entry["steps"]:
                entry["steps"][transfer.get("uid")] = (r.get("order"), transfer, r)
        out = []
        for uid, entry in sorted(found.items(), key=lambda kv: firearm_caption(kv[1]["props"])):
            props = entry["props"]
            where = _join(sorted(self.ref(i) for i in entry["incidents"]))
            steps = [self._transfer(t, r) for _, t, r in sorted(entry["steps"].values(), key=_step_order)]
            numbers = self.cite(props, *entry["seized"])
            values = (*_firearm_values(props), *sorted(self.ref(i) for i in entry["incidents"]))
            out.append(Statement(f"{firearm_caption(props)} — seized in {where}", numbers, values, tuple(steps)))
            caption = " ".join(v for v in (_text(props.get("make")), _text(props.get("serial"))) if v)
            self.graph.add_node(uid, label="Firearm", caption=caption or "firearm")
            for incident in entry["incidents"]:
                self.graph.add_edge(incident, uid)
        return out

    def _transfer(self, t: dict[str, Any], r: dict[str, Any]) -> Statement:
        """ "2019-01-01 sale from A to B (USA) — last legal transfer", citing the transfer and both parties."""
        names = [(word, _text(r.get(f"{word}_name"))) for word in ("from", "to")]
        parties = [p for p in (r.get("from_props"), r.get("to_props")) if isinstance(p, dict)]
        numbers = self.cite(t, *[(p.get("sources"), p.get("batch_id")) for p in parties])
        date = _text(t.get("date"))
        return Statement(_transfer_text(t, names), numbers, tuple(v for v in (date, *(n for _, n in names)) if v))

    def persons(self) -> list[Statement]:
        found: dict[str, dict[str, Any]] = {}
        for r in self.read("brief_persons"):
            entry = found.setdefault(r["uid"], {"props": r["props"], "label": r["label"], "roles": set(), "links": []})
            role = _text(r["role"]) or "involved"
            entry["roles"].add(f"{role} in {self.ref(r['incident'])}" if _text(r["incident"]) else role)
            entry["links"].append((r["link_sources"], r.get("link_batch")))
            if _text(r["incident"]):
                self.graph.add_edge(r["uid"], r["incident"])
        out = []
        for uid, entry in found.items():
            props = entry["props"]
            name = _text(props.get("name")) or record_id(uid, props)
            facts = [f"born {_text(props.get('date_of_birth'))}" if _text(props.get("date_of_birth")) else "",
                     _text(props.get("nationality")) or _text(props.get("country")),
                     f"alias {_text(props.get('aliases'))}" if _text(props.get("aliases")) else "",
                     _text(props.get("kind"))]  # fmt: skip
            about = ", ".join(f for f in facts if f)
            roles = "; ".join(sorted(entry["roles"]))
            text = f"{name}" + (f" ({about})" if about else "") + f" — {roles}"
            out.append(Statement(text, self.cite(props, *entry["links"]), (name,)))
            self.graph.add_node(uid, label=entry["label"], caption=name)
            self.actors[uid] = (name, props)
        return sorted(out, key=lambda s: s.text)

    def key_players(self) -> list[Statement]:
        """The case's persons and organisations that ``armsgraph analyse`` ranked as key players (Borgatti's
        fragmentation) of their own network, or of the whole actor network, each with the reason in words.

        Ranks are those of the stored rankings (a reader who may not see some players sees gaps, not new ranks).
        """
        overall = results.load(self.store, "key_players", ["rank", "node", "reason"], entity=True)
        local = results.load(self.store, "network_key_players", ["community", "rank", "node", "reason"], entity=True)
        whole = {row["node"]: row for row in overall.to_dict("records") if row["node"] in self.actors}
        own = {row["node"]: row for row in local.to_dict("records") if row["node"] in self.actors}
        out = []
        for uid in sorted(set(whole) | set(own), key=lambda u: _player_order(own.get(u), whole.get(u))):
            name, props = self.actors[uid]
            out.append(Statement(f"{name} — {_player_text(own.get(uid), whole.get(uid))}", self.cite(props), (name,)))
        return out

    def timeline(self, linked: list[str]) -> list[Statement]:
        out = []
        for uid in [*(u for u in self.incident_props if u not in linked), *linked]:
            props = self.incident_props[uid]
            date, context = _text(props.get("date")) or "undated", _text(props.get("context"))
            whose = "linked incident" if uid in linked else "incident of the case"
            text = f"{date}: {self.ref(uid)}" + (f", {context}" if context else "") + f" ({whose})"
            out.append(Statement(text, self.cite(props), tuple(v for v in (self.ref(uid),) if v)))
        return sorted(out, key=lambda s: s.text)

    def points(self, linked: list[str]) -> list[figures.MapPoint]:
        out = []
        for uid, props in self.incident_props.items():
            lat, lon = props.get("lat"), props.get("lon")
            exact = isinstance(lat, int | float) and isinstance(lon, int | float) and lat == lat and lon == lon
            where = (float(lat), float(lon)) if exact else figures.country_centre(props.get("country"))  # type: ignore[arg-type]
            if where:
                out.append(figures.MapPoint(where[0], where[1], self.ref(uid), uid not in linked, exact))
        return out


def _transfer_text(t: Mapping[str, Any], names: list[tuple[str, str]]) -> str:
    """A transfer in words: date, kind, the parties by name, the country and what its flags mean."""
    kind, date, country = (_text(t.get(k)) for k in ("kind", "date", "country"))
    text = f"{date or 'undated'} {kind or 'transfer'}" + "".join(f" {w} {n}" for w, n in names if n)
    return text + (f" ({country})" if country else "") + "".join(note for flag, note in _NOTES if t.get(flag) is True)


def _player_order(own: Mapping[Any, Any] | None, whole: Mapping[Any, Any] | None) -> tuple[int, int]:
    return int(own["rank"]) if own else 99, int(whole["rank"]) if whole else 99


def _player_text(own: Mapping[Any, Any] | None, whole: Mapping[Any, Any] | None) -> str:
    """ "key player 1 of their network (community 12): removing them …; key player 7 of the whole actor network"."""
    parts = []
    if own:
        parts.append(f"key player {int(own['rank'])} of their network (community {int(own['community'])}): "
                     f"{_text(own['reason'])}")  # fmt: skip
    if whole:
        parts.append(
            f"key player {int(whole['rank'])} of the whole actor network"
            + ("" if own else f": {_text(whole['reason'])}")
        )
    return "; ".join(parts)


def _step_order(step: tuple[Any, dict[str, Any], dict[str, Any]]) -> tuple[float, str]:
    order, transfer, _ = step
    return (float(order) if isinstance(order, int | float) and order == order else 1e9, _text(transfer.get("date")))


def _highest(levels: list[Any]) -> str:
    return LEVELS[max([level(v) for v in levels] or [1])]


def _network_caption(graph: nx.Graph) -> str:
    """What the network figure draws, and how many of its nodes when it is capped."""
    drawn, total = figures.readable(graph).number_of_nodes(), graph.number_of_nodes()
    capped = (
        f" {drawn} of {total} drawn: the case and its incidents first, then persons and organisations, linked "
        "incidents and firearms, the best connected of each first; every one is listed above."
        if drawn < total
        else ""
    )
    return "The case, its incidents, linked incidents, firearms, persons and organisations." + capped


def build_brief(store: Reader, case_uid: str) -> Brief:
    """Read a case and everything linked to it; every statement carries the numbers of its source records.

    Examples
    --------
    >>> brief = build_brief(store, "case:planted:CASE-00001")  # doctest: +SKIP
    >>> brief.pdf()[:4]  # doctest: +SKIP
    b'%PDF'
    """
    case = store.read("brief_case", case=case_uid)
    if case.empty:
        raise ArmsgraphError(f"no case {case_uid!r} (or not visible to you)")
    props: dict[str, Any] = case.iloc[0]["props"]
    b = _Builder(store, case_uid)
    title = _text(props.get("title")) or record_id(case_uid, props)
    b.graph.add_node(case_uid, label="Case", caption=title)
    summary = b.summary(props)
    incidents = b.case_incidents()
    links, linked = b.links()
    firearms = b.firearms()
    persons = b.persons()
    players = b.key_players()
    timeline = b.timeline(linked)
    points = b.points(linked)
    brief = Brief(
        case_uid=case_uid,
        title=title,
        classification=_highest(b.classes),
        sections=[],
        sources=b.cites.sources,
        incidents=[u for u in b.incident_props if u not in linked],
        linked=linked,
        graph=b.graph,
        points=points,
    )
    brief.sections = [
        Section("Case", fields=summary),
        Section("Incidents in the case", items=tuple(incidents), empty="none visible to you"),
        Section("Linked incidents and why", items=tuple(links), empty="none found"),
        Section("Firearms and their histories", items=tuple(firearms), empty="none seized"),
        Section("Persons and organisations", items=tuple(persons), empty="none recorded"),
        Section(
            "Key players",
            items=tuple(players),
            note="Persons and organisations of this brief whose removal leaves the most pairs of actors unable "
            "to reach each other (Borgatti's fragmentation): the first three of each network (community) and the "
            "first 25 of the whole actor network, as armsgraph analyse ranked them.",
            empty="none of this brief's persons and organisations is among the key players armsgraph analyse "
            "ranked (run armsgraph analyse --only networks if it has not run)",
        ),
        Section("Network", figure="network", caption=_network_caption(b.graph)),
        Section(
            "Map",
            figure="map",
            caption="Filled: recorded coordinates; hollow: placed at the country's centre (no coordinates recorded).",
        ),
        Section("Timeline", items=tuple(timeline)),
    ]
    return brief
