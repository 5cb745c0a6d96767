"""Linked-case briefs: every citation checked against the bundle's rows, names not uids, three formats."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from armsgraph import audit
from armsgraph.access import Principal, SecureStore
from armsgraph.analytics import run_all
from armsgraph.errors import AccessDeniedError, ArmsgraphError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.reports import briefs, figures
from armsgraph.reports.brief import Brief, build_brief
from armsgraph.scenario.generate import generate_scenario

EVIL = "<script>alert(1)</script> '); MATCH (n) DETACH DELETE n //"


def _case(store: GraphStore) -> None:
    prov = {"src_file": "cases.csv", "batch_id": "b1"}
    store.upsert_nodes("Case", [{"uid": "case:s:CASE-1", "title": "Operation Kite", "jurisdiction": "AUT",
                                 "offences": ["illicit trafficking"], "src_row": 1, **prov}])  # fmt: skip
    store.upsert_nodes("Incident", [
        {"uid": "incident:s:I1", "date": "2021-02-01", "context": "illicit trafficking", "country": "AUT", "lat": 48.2,
         "lon": 16.4, "src_file": "incidents.csv", "src_row": 1},
        {"uid": "incident:s:I2", "date": "2021-03-01", "context": "terrorism", "country": "FRA",
         "src_file": "incidents.csv", "src_row": 2},
        {"uid": "incident:s:I3", "date": "2021-04-01", "src_file": "incidents.csv", "src_row": 3},
    ])  # fmt: skip
    store.upsert_nodes("Firearm", [{"uid": "firearm:z1:zastava:rifle", "make": "Zastava", "type": "rifle",
                                    "serial": "Z-1", "serial_normalised": "Z1", "record_ids": ["s/F1"],
                                    "src_file": "firearms.csv", "src_row": 1}])  # fmt: skip
    store.upsert_nodes("Person", [{"uid": "person:abc123", "name": EVIL, "classification": "confidential",
                                   "date_of_birth": "1980-01-02", "nationality": "AUT",
                                   "src_file": "persons.csv", "src_row": 1}])  # fmt: skip
    store.upsert_nodes("Transfer", [{"uid": "transfer:firearm:z1:zastava:rifle:1", "kind": "sale", "date": "2019-01-01",
                                     "last_legal": True, "src_file": "transfers.csv", "src_row": 1}])  # fmt: skip
    store.upsert_relationships(
        "CONCERNS", "Case", "Incident", [{"from": "case:s:CASE-1", "to": "incident:s:I1", "src_row": 2, **prov}]
    )
    store.upsert_relationships(
        "CHARGES", "Case", "Person", [{"from": "case:s:CASE-1", "to": "person:abc123", "src_row": 3, **prov}]
    )
    gun = "firearm:z1:zastava:rifle"
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [
        {"from": "incident:s:I1", "to": gun, "src_file": "firearms.csv", "src_row": 1},
        {"from": "incident:s:I2", "to": gun, "src_file": "firearms.csv", "src_row": 2}])  # fmt: skip
    store.upsert_relationships("INVOLVED_IN", "Person", "Incident", [
        {"from": "person:abc123", "to": "incident:s:I1", "role": "courier", "src_file": "inv.csv", "src_row": 1}
    ])  # fmt: skip
    store.upsert_relationships("HISTORY", "Firearm", "Transfer", [
        {"from": "firearm:z1:zastava:rifle", "to": "transfer:firearm:z1:zastava:rifle:1", "order": 1}])  # fmt: skip


def test_a_link_names_what_is_shared_and_cites_both_sides(store: GraphStore) -> None:
    _case(store)
    brief = build_brief(store, "case:s:CASE-1")
    assert brief.incidents == ["incident:s:I1"] and brief.linked == ["incident:s:I2"]
    links = next(s for s in brief.sections if s.title == "Linked incidents and why").items
    [link] = links
    assert link.text.startswith("I2 — 2021-03-01, terrorism incident in FRA — linked to I1")
    [reason] = link.children
    assert (
        reason.text == "both incidents seized the same firearm, Zastava rifle, serial Z-1 (firearms.csv rows 1 and 2)"
    )
    cited = {(s.file, s.row) for s in brief.sources if s.number in reason.cites}
    assert cited == {("firearms.csv", 1), ("firearms.csv", 2)}  # the firearm's own row and both seizures, once each
    assert not re.search(r"\bI3\b", brief.html())
    assert brief.classification == "confidential"  # the highest level among the records cited
    history = [c.text for s in brief.statements for c in s.children if "sale" in c.text]
    assert history == ["2019-01-01 sale — last legal transfer"]  # no "nan", no empty parentheses
    person = next(s for s in brief.statements if s.text.startswith(EVIL))
    assert person.text == f"{EVIL} (born 1980-01-02, AUT) — charged; courier in I1"
    text = brief.markdown + brief.html()
    assert not re.search(r"\bnan\b|person:abc|firearm:z1|incident:s:|case:s:|\bZ1\b", text)


def test_untrusted_text_is_escaped_everywhere(store: GraphStore) -> None:
    _case(store)
    brief = build_brief(store, "case:s:CASE-1")
    page = brief.html()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # self-contained: nothing fetched
    assert "<script>" not in brief.markdown and r"\<script\>" in brief.markdown
    pdf = brief.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert store.counts()["Incident"] == 3  # the injection string did nothing


def test_a_download_is_audited_and_a_refused_export_renders_nothing(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _case(store)
    brief = build_brief(store, "case:s:CASE-1")
    analyst = SecureStore(store, Principal("ana", "analyst", clearance="secret"), tmp_path)
    assert briefs.download(analyst, brief, "md") == brief.markdown.encode("utf-8")
    assert briefs.download(analyst, brief, "pdf").startswith(b"%PDF")
    exports = [
        (e["user"], e["target"], e["params"]["uids"]) for e in audit.entries(tmp_path) if e["action"] == "export"
    ]
    assert exports == [("ana", "brief.md", ["case:s:CASE-1"]), ("ana", "brief.pdf", ["case:s:CASE-1"])]
    rendered: list[str] = []
    monkeypatch.setattr(brief, "pdf", lambda: rendered.append("pdf") or b"%PDF")
    with pytest.raises(AccessDeniedError, match="aggregates only"):
        briefs.download(SecureStore(store, Principal("pat", "programme"), tmp_path), brief, "pdf")
    assert rendered == []  # refused before rendering: nothing reaches the browser


def test_a_figure_is_drawn_once_per_name_and_font(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    _case(store)
    brief = build_brief(store, "case:s:CASE-1")
    drawn: list[str] = []
    monkeypatch.setattr(figures, "network_svg", lambda graph, font: drawn.append(font) or f"<svg>{font}</svg>")
    assert [brief.figure("network"), brief.figure("network"), brief.figure("network", font="Serif")] == [
        "<svg>DejaVu Sans</svg>", "<svg>DejaVu Sans</svg>", "<svg>Serif</svg>"
    ]  # fmt: skip
    assert drawn == ["DejaVu Sans", "Serif"]
    with pytest.raises(ArmsgraphError, match="no figure 'chart'"):
        brief.figure("chart")


def test_unknown_case_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(ArmsgraphError, match="no case"):
        build_brief(store, "case-404")


# -- a planted case, checked against the bundle ---------------------------------------------------
def _bundle_rows(bundle: Path) -> dict[str, list[dict[str, str]]]:
    """Every bundle file's data rows (row N of a citation is rows[N - 1])."""
    out = {}
    for path in bundle.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            out[path.name] = list(csv.DictReader(handle))
    return out


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def check_citations(brief: Brief, rows: dict[str, list[dict[str, str]]]) -> int:
    """Every cited record exists and every value a statement quotes is in one of the rows it cites."""
    numbers = [s.number for s in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({(s.file, s.row) for s in brief.sources}) == len(numbers)  # each record numbered once
    by_number = {s.number: s for s in brief.sources}
    for source in brief.sources:
        assert source.file in rows, f"[{source.number}] cites {source.file}, no file of the bundle"
        assert 1 <= source.row <= len(rows[source.file]), f"[{source.number}] {source.text}: no such row"
    checked = 0
    for statement in brief.statements:
        assert set(statement.cites) <= set(by_number), statement.text
        cited = [rows[by_number[n].file][by_number[n].row - 1] for n in statement.cites]
        for value in statement.values:
            assert statement.cites, f"{statement.text!r} quotes {value!r} but cites nothing"
            held = [_fold(" | ".join(str(v) for v in row.values())) for row in cited]
            assert any(_fold(value) in text for text in held), (
                f"{statement.text!r}: {value!r} is in none of its rows {[by_number[n].text for n in statement.cites]}"
            )
            checked += 1
    assert set(numbers) == {n for s in brief.statements for n in s.cites}  # every source is cited somewhere
    return checked


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphStore]:
    from armsgraph.graph.store import open_store
    from tests.conftest import settings_for

    folder = tmp_path_factory.mktemp("planted-brief")
    bundle = folder / "planted"
    generate_scenario(bundle, incidents=800, seed=3, progress=False)
    store = open_store(settings_for("embedded", folder / "data"))
    store.apply_schema()
    ingest_bundle(store, bundle, progress=False)
    run_all(store, only=["linking", "networks", "diversion"], progress=False)
    yield bundle, store
    store.close()


def test_every_citation_of_planted_briefs_holds_what_it_is_cited_for(planted: tuple[Path, GraphStore]) -> None:
    bundle, store = planted
    truth = json.loads((bundle / "truth.json").read_text())
    rows = _bundle_rows(bundle)
    invalid = {r["id"] for r in truth["invalid_rows"] if r["file"] == "incidents.csv"}
    uids = {u for (u,) in store._read("MATCH (n) WHERE n.uid IS NOT NULL RETURN n.uid", {})[1]}
    normalised = {s for (s,) in store._read("MATCH (f:Firearm) RETURN f.serial_normalised", {})[1] if s}
    recorded = {r["serial"] for r in rows["firearms.csv"]}
    checked = links = players = 0
    for case_id, planted_case in list(truth["cases"].items())[:3]:
        brief = build_brief(store, f"case:planted:{case_id}")
        players += _check_key_players(brief, store)
        assert {u.rsplit(":", 1)[1] for u in brief.incidents} == set(planted_case["incident_ids"]) - invalid
        checked += check_citations(brief, rows)
        assert all(s.file != "analytics" for s in brief.sources)
        links += sum(len(s.children) for s in brief.sections[2].items)
        for text in (brief.markdown, brief.html()):
            assert not re.search(r"\bnan\b|\(\s*\)|\(, |, \)", text)
            words = set(re.findall(r"[\w:.+/#&'-]+", text))
            assert not words & uids, sorted(words & uids)[:5]
            assert not (words & normalised) - recorded, sorted((words & normalised) - recorded)[:5]
            assert text.count("<svg" if text.startswith("<!doctype") else "data:image/svg+xml") == 2  # network, map
    assert checked > 100 and links > 5 and players > 0


def _check_key_players(brief: Brief, store: GraphStore) -> int:
    """The brief lists exactly its persons and organisations that the stored rankings hold (per network and
    whole network), each with its rank and the reason the analysis stored, every line cited."""
    from armsgraph.analytics import results

    actors = {n for n, d in brief.graph.nodes(data=True) if d.get("label") in ("Person", "Organisation")}
    own = results.load(store, "network_key_players", entity=True)
    whole = results.load(store, "key_players", entity=True)
    own, whole = own[own["node"].isin(actors)], whole[whole["node"].isin(actors)]
    items = next(s for s in brief.sections if s.title == "Key players").items
    assert len(items) == len(set(own["node"]) | set(whole["node"])) and all(i.cites for i in items)
    text = "\n".join(i.text for i in items)
    for row in own.itertuples():
        line = f"{row.name} — key player {row.rank} of their network (community {row.community}): {row.reason}"
        assert line in text, line
    for row in whole.itertuples():
        assert f"{row.name} — " in text and f"key player {row.rank} of the whole actor network" in text
    return len(items)


def test_a_capped_network_keeps_the_case_and_says_how_many_are_left_out() -> None:
    import networkx as nx

    from armsgraph.reports import figures

    graph = nx.Graph()
    graph.add_node("case", label="Case", caption="Operation Kite")
    for n in range(5):
        graph.add_node(f"i{n}", label="Incident", caption=f"INC-{n}")
        graph.add_edge("case", f"i{n}")
    for n in range(80):
        graph.add_node(f"f{n}", label="Firearm", caption=f"Glock S{n:03d}")
        graph.add_edge(f"i{n % 5}", f"f{n}")
    graph.add_edge("i0", "f7")  # f7 is seized twice: the best connected firearm
    shown = figures.readable(graph)
    assert shown.number_of_nodes() == figures.NETWORK_NODES == 50
    assert {"case", "i0", "i4", "f7"} <= set(shown)
    svg = figures.network_svg(graph)
    assert "36 more not drawn" in svg and "Operation Kite" in svg and "S079" not in svg
    small = figures.network_svg(figures.readable(graph, 10))
    assert "more not drawn" not in small


def test_the_pdf_has_header_footer_and_page_numbers_on_every_page(
    planted: tuple[Path, GraphStore], tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    _, store = planted
    brief = build_brief(store, "case:planted:CASE-00004")
    path = tmp_path / "brief.pdf"
    path.write_bytes(brief.pdf())
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    texts = pages.stdout.split("\f")[:-1]
    assert len(texts) > 3
    banner = brief.classification.upper()
    for number, page in enumerate(texts, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == banner and lines[-2] == banner, (number, lines[:2], lines[-2:])
        assert lines[-1] == f"page {number} of {len(texts)}"
    whole = "\n".join(texts)
    assert "Network" in whole and "Map" in whole and "Sources" in whole


def test_exports_round_trip(store: GraphStore) -> None:
    import io

    import networkx as nx

    from armsgraph.reports import exports

    _case(store)
    graph = exports.subgraph(store, build_brief(store, "case:s:CASE-1").graph.nodes)
    assert set(graph.nodes) == {
        "case:s:CASE-1", "incident:s:I1", "incident:s:I2", "firearm:z1:zastava:rifle", "person:abc123"
    }  # fmt: skip
    assert graph.nodes["person:abc123"]["name"] == EVIL
    back = nx.read_gexf(io.BytesIO(exports.to_gexf(graph)))
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    assert nx.read_graphml(io.BytesIO(exports.to_graphml(graph))).number_of_nodes() == 5
    entities = [json.loads(line) for line in exports.to_ftm_jsonl(graph).decode().splitlines()]
    schemata = sorted(e["schema"] for e in entities)
    assert schemata == ["Asset", "Event", "Event", "Person", "Project", "UnknownLink", "UnknownLink"]
    event = next(e for e in entities if e["schema"] == "Event" and e["properties"]["date"] == ["2021-02-01"])
    person = next(e for e in entities if e["schema"] == "Person")
    assert event["properties"]["involved"] == [person["id"]] and person["properties"]["name"] == [EVIL]
    assert all(len(e["id"]) == 40 and all(isinstance(v, list) for v in e["properties"].values()) for e in entities)
    table = exports.to_csv(store.read("search_entities", text="", limit=10)).decode()
    assert table.splitlines()[0].startswith("label,uid,caption")
