"""Settings: defaults < TOML file < environment < explicit options; secrets never from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from armsgraph.errors import SettingsError
from armsgraph.settings import load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in [
        "ARMSGRAPH_STORE",
        "ARMSGRAPH_BATCH_SIZE",
        "ARMSGRAPH_CONFIG",
        "NEO4J_URI",
        "NEO4J_PASSWORD",
        "ARMSGRAPH_NEO4J_PASSWORD",
        "ARMSGRAPH_NEO4J_PASSWORD_FILE",
        "ARMSGRAPH_DATA_DIR",
    ]:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "a.toml"
    config.write_text('[armsgraph]\nbatch_size = 700\nstore = "neo4j"\nneo4j_uri = "bolt://db:7687"\n')
    assert load_settings(config).batch_size == 700
    monkeypatch.setenv("ARMSGRAPH_BATCH_SIZE", "900")
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster:7687")
    settings = load_settings(config)
    assert (settings.batch_size, settings.store, settings.neo4j_uri) == (900, "neo4j", "neo4j://cluster:7687")
    assert load_settings(config, batch_size=5).batch_size == 5


def test_password_from_env_or_file_never_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('neo4j_password = "hunter2"\n')
    with pytest.raises(SettingsError, match="not in the TOML file"):
        load_settings(bad)
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("ARMSGRAPH_NEO4J_PASSWORD_FILE", str(secret))
    settings = load_settings()
    assert settings.neo4j_password == "s3cret"
    assert "s3cret" not in repr(settings)
    assert "neo4j_password" not in settings.to_toml_dict()


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
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_local_toml_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "armsgraph.toml").write_text(f'data_dir = "{tmp_path / "d"}"\n')
    assert load_settings().data_dir == tmp_path / "d"


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
    assert result.returncode == 2
    assert "cannot be reached" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
