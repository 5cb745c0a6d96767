"""Settings: defaults < TOML file < secrets folder < environment < explicit options; secrets never from TOML.

One object, four sections (store, ingest, analytics, dashboard); a value set in the TOML file reaches
the ingest pipeline and the linking analysis.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from armsgraph.analytics.linkage_settings import linking_settings
from armsgraph.analytics.linking import link_incidents
from armsgraph.errors import SettingsError
from armsgraph.graph.store import open_store
from armsgraph.ingest.pipeline import ingest_bundle, settings_from_file
from armsgraph.settings import IngestSettings, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "bundle"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in list(os.environ):
        if var.startswith(("ARMSGRAPH_", "NEO4J_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("ARMSGRAPH_SECRETS_DIR", str(tmp_path / "no-secrets"))
    monkeypatch.chdir(tmp_path)


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "a.toml"
    config.write_text('[armsgraph]\nbatch_size = 700\nstore = "neo4j"\nneo4j_uri = "bolt://db:7687"\n')
    assert load_settings(config).batch_size == 700
    monkeypatch.setenv("ARMSGRAPH_BATCH_SIZE", "900")
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster:7687")
    settings = load_settings(config)
    assert (settings.batch_size, settings.store.kind, settings.neo4j_uri) == (900, "neo4j", "neo4j://cluster:7687")
    assert load_settings(config, batch_size=5).batch_size == 5


def test_sections_from_toml_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "a.toml"
    config.write_text(
        '[store]\nkind = "neo4j"\ngraph_name = "g"\n'
        '[ingest]\nclassification = "secret"\n[ingest.thresholds]\nperson_merge = 97.5\n'
        "[analytics.linking]\nthreshold = 0.8\n[analytics.linking.train]\nmin_incidents = 50\n"
        "[dashboard]\nport = 9000\nsignin_lockout_failures = 4\n"
    )
    settings = load_settings(config)
    assert (settings.store.kind, settings.graph_name, settings.ingest.classification) == ("neo4j", "g", "secret")
    assert settings.ingest.thresholds.person_merge == 97.5
    assert settings.ingest.thresholds.person_candidate == 85.0  # the rest of the table keeps its default
    linking = settings.analytics.linking
    assert (linking.threshold, linking.train.min_incidents, linking.train.recall) == (0.8, 50, 0.5)
    assert (settings.dashboard.port, settings.dashboard.signin_lockout_failures) == (9000, 4)
    monkeypatch.setenv("ARMSGRAPH_INGEST__THRESHOLDS__PERSON_MERGE", "93")
    monkeypatch.setenv("ARMSGRAPH_ANALYTICS__LINKING__BLOCKING", '[["date", "country"]]')
    monkeypatch.setenv("ARMSGRAPH_DASHBOARD_PORT", "9100")
    settings = load_settings(config)
    assert settings.ingest.thresholds.person_merge == 93.0
    assert settings.analytics.linking.blocking == [["date", "country"]]
    assert settings.analytics.linking.threshold == 0.8  # the environment changed only what it names
    assert settings.dashboard.port == 9100


def test_earlier_flat_names_and_linking_table_still_read(tmp_path: Path) -> None:
    config = tmp_path / "a.toml"
    config.write_text('batch_size = 600\ndashboard_port = 8600\n[linking]\ncomparisons = ["date", "distance"]\n')
    settings = load_settings(config)
    assert (settings.store.batch_size, settings.dashboard.port) == (600, 8600)
    assert settings.analytics.linking.comparisons == ["date", "distance"]
    assert Settings(store="neo4j", batch_size=3).store.kind == "neo4j"
    assert settings.replace(store="neo4j", data_dir=tmp_path).store.data_dir == tmp_path
    assert settings.replace(store="neo4j").store.batch_size == 600  # the rest is kept


def test_password_from_env_file_or_secrets_folder_never_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('neo4j_password = "hunter2"\n')
    with pytest.raises(SettingsError, match="not in the TOML file"):
        load_settings(bad)
    bad.write_text('[store]\nneo4j_password = "hunter2"\n')
    with pytest.raises(SettingsError, match="not in the TOML file"):
        load_settings(bad)
    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "neo4j_password").write_text("from-folder\n")
    monkeypatch.setenv("ARMSGRAPH_SECRETS_DIR", str(folder))
    assert load_settings().neo4j_password == "from-folder"
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("ARMSGRAPH_NEO4J_PASSWORD_FILE", str(secret))
    settings = load_settings()
    assert settings.neo4j_password == "s3cret"  # the named file wins over the folder
    assert "s3cret" not in repr(settings)
    assert "neo4j_password" not in settings.to_toml_dict()["store"]
    assert not any("PASSWORD" in name for name in settings.to_env())
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env")
    assert load_settings().neo4j_password == "from-env"  # the environment wins over files


def test_to_env_rebuilds_every_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changed = {"ingest": {"thresholds": {"max_candidates": 2}, "date_formats": ["%m/%d/%Y"]}}
    settings = load_settings(data_dir=tmp_path / "d", **changed, analytics={"linking": {"blocking": [["traces"]]}})
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)
    assert load_settings() == settings
    monkeypatch.setenv("ARMSGRAPH_STORE__DATA_DIR", str(tmp_path / "elsewhere"))  # the parent's environment
    moved = load_settings(data_dir=tmp_path / "moved")  # a command-line option over it
    for name, value in moved.to_env().items():
        monkeypatch.setenv(name, value)
    assert load_settings() == moved


def test_bad_values_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSGRAPH_BATCH_SIZE", "lots")
    with pytest.raises(SettingsError, match="batch_size='lots'"):
        load_settings()
    monkeypatch.delenv("ARMSGRAPH_BATCH_SIZE")
    with pytest.raises(SettingsError, match="store must be one of"):
        load_settings(store="sqlite")
    unknown = tmp_path / "u.toml"
    unknown.write_text("colour = 1\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(unknown)
    unknown.write_text("[ingest.thresholds]\nperson_marge = 1\n")
    with pytest.raises(SettingsError, match=r"u\.toml: unknown setting 'ingest\.thresholds\.person_marge'"):
        load_settings(unknown)
    unknown.write_text("[analytics.linking]\nthreshold = 1.5\n")
    with pytest.raises(SettingsError, match=r"u\.toml: setting analytics\.linking\.threshold=1\.5: .*less than 1"):
        load_settings(unknown)
    with pytest.raises(SettingsError, match="signin_free_failures must be below"):
        load_settings(signin_free_failures=10)
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_local_toml_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "armsgraph.toml").write_text(f'data_dir = "{tmp_path / "d"}"\n')
    assert load_settings().data_dir == tmp_path / "d"


def test_ingest_yaml_lays_over_the_ingest_section(tmp_path: Path) -> None:
    settings = IngestSettings(source="x", classification="confidential", batch_size=10, date_formats=("%m/%d/%Y",))
    assert IngestSettings.from_yaml(settings.to_yaml()) == settings
    old_style = tmp_path / "ingest.yaml"
    old_style.write_text("person_merge: 99\nsource: y\n")  # thresholds at top level, as earlier versions wrote them
    base = IngestSettings(classification="secret")
    read = settings_from_file(old_style, base)
    assert (read.thresholds.person_merge, read.source, read.classification) == (99.0, "y", "secret")
    old_style.write_text("person_merge: 99\ncolour: red\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        settings_from_file(old_style)


def test_a_threshold_in_the_toml_file_reaches_the_ingest_pipeline(tmp_path: Path) -> None:
    """Strict thresholds in [ingest.thresholds]: a pair of near-identical records is no longer a candidate."""
    config = tmp_path / "strict.toml"
    config.write_text(
        f'[store]\ndata_dir = "{tmp_path / "data"}"\ngraph_name = "strict"\n'
        "[ingest.thresholds]\nperson_candidate = 100.0\norganisation_candidate = 100.0\nmake_candidate = 100.0\n"
    )
    reports = {}
    for name, settings in (("default", load_settings(data_dir=tmp_path / "data")), ("strict", load_settings(config))):
        with open_store(settings) as store:
            store.apply_schema()
            reports[name] = ingest_bundle(store, EXAMPLE, progress=False)  # no settings given: the store's
    assert (reports["default"].merged, reports["default"].possibly_same) == (3, 2)
    assert (reports["strict"].merged, reports["strict"].possibly_same) == (3, 1)


def test_a_linking_value_in_the_toml_file_reaches_the_analysis(tmp_path: Path) -> None:
    """Two incidents three months apart in one country are compared only under the TOML file's blocking rule."""
    incidents = pd.DataFrame(
        [
            {"uid": "i1", "date": "2021-03-01", "country": "NGA", "lat": None, "lon": None},
            {"uid": "i2", "date": "2021-06-01", "country": "NGA", "lat": None, "lon": None},
        ]
    )
    entities = pd.DataFrame(columns=["incident", "entity", "rule", "sources"])
    organisations = pd.DataFrame(columns=["incident", "organisation", "name"])
    assert link_incidents(incidents, entities, organisations).pairs.empty  # shipped defaults: not a candidate pair
    (tmp_path / "armsgraph.toml").write_text(
        '[analytics.linking]\nthreshold = 1e-12\nblocking = [["country"]]\n'
        "[analytics.linking.train]\nmin_incidents = 1000\n"
    )
    assert linking_settings()["blocking"] == [["country"]]
    given = Settings(analytics={"linking": {"threshold": 0.5}})  # e.g. a store's settings
    assert (linking_settings(given)["threshold"], linking_settings(given, threshold=0.7)["threshold"]) == (0.5, 0.7)
    pairs = link_incidents(incidents, entities, organisations).pairs
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("i1", "i2")]


def test_linking_names_are_checked_by_the_analysis(tmp_path: Path) -> None:
    (tmp_path / "armsgraph.toml").write_text('[analytics.linking]\ncomparisons = ["date", "shoe_size"]\n')
    with pytest.raises(SettingsError, match="comparisons: unknown 'shoe_size'"):
        linking_settings()
    (tmp_path / "armsgraph.toml").write_text('[analytics.linking]\nblocking = [["date", "colour"]]\n')
    with pytest.raises(SettingsError, match="blocking: unknown column 'colour'"):
        linking_settings()


def test_unreachable_neo4j_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "armsgraph", "--store", "neo4j", "info"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "NEO4J_URI": "bolt://127.0.0.1:1",
            "NEO4J_PASSWORD": "x",
            "ARMSGRAPH_CONNECT_TIMEOUT_S": "2",
        },
    )
    assert result.returncode not in (0, 1)  # a failure, not an incomplete result (docs/cli.md lists the codes)
    out = result.stdout + result.stderr
    assert "cannot be reached" in out and "Traceback" not in out
