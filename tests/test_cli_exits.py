"""Exit codes and one-line errors of the command line (docs/cli.md): each class of failure, end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph import errors
from armsgraph.cli import app
from armsgraph.commands import store as store_commands
from armsgraph.commands.exits import ExitCode

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _invoke(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _one_error_line(stderr: str, *fragments: str) -> str:
    """The single ``error: ... (hint: ...)`` line of ``stderr``, holding every fragment."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("error: ") and "(hint: " in line and line.endswith(")"), line
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in line, line
    return line


def test_ok_is_0(tmp_path: Path) -> None:
    code, out, err = _invoke(tmp_path, "queries")
    assert code == ExitCode.OK == 0 and "node_counts" in out and err == ""
    code, out, _ = _invoke(tmp_path, "--version")
    assert code == 0 and out.startswith("armsgraph ")


def test_info_on_a_fresh_data_directory_is_0_and_says_the_graph_is_empty(tmp_path: Path) -> None:
    """A graph nobody has written yet reads as empty (FalkorDB's read-only query refuses a missing key)."""
    code, out, err = _invoke(tmp_path, "info")
    assert code == 0 and "the graph is empty" in out and err == ""


def test_declined_prompt_is_1_and_changes_nothing(tmp_path: Path) -> None:
    code, _, err = _invoke(tmp_path, "reset", stdin="n\n")
    assert code == ExitCode.INCOMPLETE == 1
    assert err.strip() == "error: aborted: nothing was changed"  # no hint: there is nothing to fix


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["no-such-command"], ["No such command 'no-such-command'", "`armsgraph --help`"]),
        (["brief", "case:x:1", "--format", "docx"], ["'docx' is not one of 'md', 'html', 'pdf'", "brief --help"]),
        (["export", "case:x:1", "--format", "svg"], ["'svg' is not one of 'gexf', 'graphml', 'ftm'"]),
        (["analyse", "--only", "gossip"], ["'gossip' is not one of 'linking', 'networks'"]),
        (["review", "list", "--status", "maybe"], ["'maybe' is not one of 'pending', 'accepted', 'rejected', 'all'"]),
        (["users", "add", "al", "--role", "boss"], ["'boss' is not one of 'admin', 'analyst'"]),
        (["users", "add", "al", "--role", "analyst", "--clearance", "ultra"], ["'ultra' is not one of 'public'"]),
        (["--store", "oracle", "info"], ["'oracle' is not one of 'embedded', 'neo4j'"]),
        (["users", "add"], ["Missing argument 'name'", "users add --help"]),
        (["query", "node_counts", "--limit", "many"], ["Invalid value for '--limit': Input should be a valid integer"]),
        (["evaluate", "--network", "edges.csv"], ["--network and --labels go together"]),
        (["ingest", "/no/such/bundle"], ["'/no/such/bundle' does not exist"]),
    ],
)
def test_usage_errors_are_2_with_a_help_hint(tmp_path: Path, args: list[str], fragments: list[str]) -> None:
    code, out, err = _invoke(tmp_path, *args)
    assert code == ExitCode.USAGE == 2, err
    _one_error_line(err, *fragments, "--help` lists the options")
    assert out == ""


def test_no_arguments_prints_the_help_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2 and "Commands" in result.stdout and "error:" not in result.output


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["query", "nosuch"], ["no Cypher statement named 'nosuch'", "`armsgraph queries` lists"]),
        (["query", "node_counts", "-p", "noequals"], ["expected -p NAME=VALUE", "-p NAME=VALUE"]),
        (["users", "remove", "nobody"], ["no dashboard user 'nobody'"]),
        (["generate", "/dev/null/bundle", "--incidents", "10"], ["Not a directory: /dev/null/bundle", "permissions"]),
    ],
)
def test_armsgraph_errors_are_3_not_2(tmp_path: Path, args: list[str], fragments: list[str]) -> None:
    code, _, err = _invoke(tmp_path, *args)
    assert code == ExitCode.DATA == 3, err
    _one_error_line(err, *fragments)


def test_a_broken_settings_file_is_3_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "armsgraph.toml"
    bad.write_text("store = [\n", encoding="utf-8")
    code, _, err = _invoke(tmp_path, "--config", str(bad), "info")
    assert code == 3
    _one_error_line(err, f"settings file {bad}", "docs/settings.md")


@pytest.mark.parametrize(
    ("error", "code", "hint"),
    [
        (errors.AccessDeniedError("role analyst may not export"), ExitCode.ACCESS, "armsgraph users change"),
        (errors.StoreUnavailableError("Neo4j at bolt://x cannot be reached"), ExitCode.STORE, "armsgraph info"),
        (errors.StoreError("the store refused the write"), ExitCode.STORE, "armsgraph info"),
        (errors.QueryTimeoutError("FalkorDB read failed: Query timed out"), ExitCode.STORE, "query_timeout_s"),
        (errors.ModelViolationError("label 'Spy' is not in the model"), ExitCode.DATA, "armsgraph/model"),
        (errors.MappingError("m.yaml: files: missing"), ExitCode.DATA, "docs/mappings.md"),
        (errors.IngestError("bundle has no files"), ExitCode.DATA, "docs/formats.md"),
        (errors.SchemaError("nodes/x.yaml: key: missing"), ExitCode.DATA, "graph model"),
        (errors.AnalyticsError("no projection"), ExitCode.DATA, "docs/analytics.md"),
        (errors.ArmsgraphError("something armsgraph refused"), ExitCode.DATA, "docs/cli.md"),
        (PermissionError(13, "Permission denied", "/root/x"), ExitCode.DATA, "permissions"),
        (ValueError("could not convert string to float: 'x'"), ExitCode.INTERNAL, "ARMSGRAPH_DEBUG=1"),
        (KeyError("uid"), ExitCode.INTERNAL, "report it"),
        (RuntimeError("event loop is closed"), ExitCode.INTERNAL, "ARMSGRAPH_DEBUG=1"),
    ],
)
def test_each_error_class_has_its_exit_code_and_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, code: ExitCode, hint: str
) -> None:
    def fail() -> list[str]:
        raise error

    monkeypatch.setattr(store_commands.queries, "names", fail)  # `armsgraph queries` raises it
    monkeypatch.delenv("ARMSGRAPH_DEBUG", raising=False)
    got, _, err = _invoke(tmp_path, "queries")
    assert got == code, err
    line = _one_error_line(err, hint)
    if code == ExitCode.INTERNAL:
        assert line.startswith(f"error: unexpected {type(error).__name__}: ")
    elif isinstance(error, OSError):
        assert line.startswith("error: Permission denied: /root/x ")
    else:
        assert line.startswith(f"error: {error} (hint: ")


def test_a_message_with_line_breaks_and_markup_stays_one_literal_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> list[str]:
        raise errors.IngestError("row 3: name '[bold]x[/]\nMATCH (n) DETACH DELETE n' is odd")

    monkeypatch.setattr(store_commands.queries, "names", fail)
    _, _, err = _invoke(tmp_path, "queries")
    _one_error_line(err, "'[bold]x[/] MATCH (n) DETACH DELETE n'")


def test_debug_shows_the_traceback_of_a_bug_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug() -> list[str]:
        raise KeyError("uid")

    monkeypatch.setattr(store_commands.queries, "names", bug)
    monkeypatch.setenv("ARMSGRAPH_DEBUG", "1")
    result = CliRunner().invoke(app, ["queries"])
    assert isinstance(result.exception, KeyError)  # raised, so Python prints its traceback
    code, _, err = _invoke(tmp_path, "query", "nosuch")  # an armsgraph error stays one line
    assert code == 3
    _one_error_line(err, "no Cypher statement named 'nosuch'")


def test_ctrl_c_is_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_commands.queries, "names", interrupted)
    code, _, _ = _invoke(tmp_path, "queries")
    assert code == ExitCode.INTERRUPTED == 130


def test_the_console_script_exits_with_the_code_and_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("ARMSGRAPH_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "armsgraph", "--data-dir", str(tmp_path / "d"), "query", "nosuch"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 3 and done.stdout == ""
    _one_error_line(done.stderr, "no Cypher statement named 'nosuch'")


def test_docs_list_every_exit_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {code.value} " in text and f"`{code.name}`" in text, code
