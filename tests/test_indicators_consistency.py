"""One definition per result: Overview, Tracing, Indicators and `armsgraph analyse` report the same SDG 16.4.2."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from armsgraph.analytics import indicators
from armsgraph.cli import app as cli
from armsgraph.graph.store import open_store
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.scenario.generate import generate_scenario
from tests.conftest import settings_for

VIEWS = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard" / "views"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A 600-incident scenario ingested, then `armsgraph analyse --only indicators` run by the CLI (its output)."""
    folder = tmp_path_factory.mktemp("sdg")
    generate_scenario(folder / "bundle", incidents=600, seed=11, progress=False)
    store = open_store(settings_for("embedded", folder / "data"))
    store.apply_schema()
    ingest_bundle(store, folder / "bundle", progress=False)
    store.close()
    result = CliRunner().invoke(
        cli, ["--data-dir", str(folder / "data"), "analyse", "--only", "indicators", "--top", "50"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    yield folder / "data", result.output


def _page(name: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    app = AppTest.from_file(str(VIEWS / name), default_timeout=90).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_every_screen_and_the_cli_report_the_same_sdg_16_4_2(
    analysed: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, output = analysed
    total = re.search(r"sdg_16_4_2_total \(1 rows\).*?│\s*(\d+)\s*│\s*(\d+)\s*│\s*([\d.]+)\s*│", output, re.S)
    assert total, output[-3000:]
    seized, established, share = int(total[1]), int(total[2]), float(total[3])
    assert seized > 100 and 0 < established < seized and share == round(established / seized, 4)
    by_country = re.search(r"sdg_16_4_2 \((\d+) rows\)", output)
    assert by_country and int(by_country[1]) > 1  # by country and year

    percent = f"{100 * established / seized:.1f}%"
    caption = f"{established:,} of {seized:,} seized firearms"
    overview = _page("overview.py", data_dir, monkeypatch)
    assert {m.label: m.value for m in overview.metric}["Share of seized firearms traced"] == percent
    assert any(c.value == caption for c in overview.caption)
    tracing = _page("tracing.py", data_dir, monkeypatch)
    assert {m.label: m.value for m in tracing.metric}["Origin established (SDG 16.4.2)"] == f"{established:,}"
    page = _page("indicators.py", data_dir, monkeypatch)
    assert {m.label: m.value for m in page.metric}["Share of seized firearms traced"] == percent
    assert any(c.value == caption for c in page.caption)
    assert any(indicators.DEFINITION in m.value for m in page.markdown)
    table = page.dataframe[0].value
    assert int(table["seized"].sum()) == seized and int(table["origin established"].sum()) == established
    assert [d.label for d in page.get("download_button")][:2] == ["Download SDG 16.4.2 (CSV)", "Download by type (CSV)"]
