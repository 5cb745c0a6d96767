"""The embedded FalkorDB store: its own server, persistence across kills, several processes at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.graph.store import open_store
from tests.conftest import settings_for

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from armsgraph.graph.store import open_store
    from armsgraph.settings import load_settings
    store = open_store(load_settings(data_dir=sys.argv[1]))
    store.upsert_nodes("Incident", [{"uid": f"inc-{i}", "date": "2021-01-01"} for i in range(int(sys.argv[2]))])
    print("written", flush=True)
    time.sleep(120)
    """
)


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)


def test_data_survives_killing_client_and_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _spawn(WRITER, str(data), "250")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "written"
    server = EmbeddedServer(data)
    pid = server.pid()
    assert pid is not None and server.alive()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    os.kill(pid, signal.SIGKILL)  # the server too: nothing was shut down cleanly
    deadline = time.monotonic() + 60
    while server.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not server.alive()
    store = open_store(settings_for("embedded", data))
    try:
        assert store.counts() == {"Incident": 250}
        assert store.server.pid() != pid  # a fresh server replayed the append-only file
    finally:
        store.close()
    assert not server.alive()  # the last process out stopped the server


def test_two_processes_share_one_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _spawn(WRITER, str(data), "10")
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    try:
        store = open_store(settings_for("embedded", data))
        pid = store.server.pid()
        store.upsert_nodes("Incident", [{"uid": "from-second-process"}])
        assert store.counts() == {"Incident": 11}
        store.close()
        assert EmbeddedServer(data).alive(), "server stopped while another process still used it"
        assert EmbeddedServer(data).pid() == pid
    finally:
        proc.kill()
        proc.wait(timeout=30)
    reopened = open_store(settings_for("embedded", data))
    try:
        assert reopened.counts() == {"Incident": 11}
    finally:
        reopened.close()
    assert not EmbeddedServer(data).alive()


def test_socket_is_private(embedded) -> None:  # type: ignore[no-untyped-def]
    mode = embedded.server.socket.stat().st_mode & 0o777
    assert mode & 0o077 == 0
    assert (embedded.server.dir.stat().st_mode & 0o077) == 0


def test_long_data_dir_uses_short_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    server = EmbeddedServer(deep)
    assert len(str(server.socket)) < 108
    assert str(server.socket) != str(server.dir / "falkordb.sock")


def test_params_header_quotes_only_map_keys() -> None:
    from armsgraph.graph.embedded import params_header

    header = params_header({"rows": [{"uid": 'a"b": c', "props": {"y": [1, '"k":', "\\"]}}], "n": 3})
    assert header == 'CYPHER rows=[{`uid`:"a\\"b\\": c",`props`:{`y`:[1,"\\"k\\":","\\\\"]}}] n=3 '
    # a key that is not an identifier, or a control character, takes the client's own serializer
    assert params_header({"m": {"x y": 1}}) == "CYPHER m={`x y`:1} "
    assert params_header({"s": "a\x01"}) == 'CYPHER s="a\x01" '
    # values orjson refuses (an integer beyond 64 bits, a non-string key) take the standard library's encoder
    assert params_header({"big": [2**70], "m": {1: "é"}}) == 'CYPHER big=[1180591620717411303424] m={`1`:"é"} '


def test_odd_map_keys_and_control_characters_round_trip(embedded) -> None:  # type: ignore[no-untyped-def]
    frame = embedded.read("entity", uid="none")
    assert frame.empty
    _columns, rows = embedded._read("RETURN $m AS m, $s AS s", {"m": {"x y": 'v":'}, "s": "a\x01b"})
    assert rows == [[{"x y": 'v":'}, "a\x01b"]]


def test_schema_is_snapshotted_before_bulk_loads(embedded) -> None:  # type: ignore[no-untyped-def]
    """Indexes live in the snapshot, so a restart never replays bulk MERGEs without them."""
    aof = embedded.server.dir / "appendonlydir"
    logged = b"".join(p.read_bytes() for p in aof.glob("*.incr.aof"))
    assert logged == b""
    indexes, constraints = embedded._schema_state()
    assert set(constraints.values()) == {"OPERATIONAL"} and set(indexes.values()) == {"OPERATIONAL"}
    assert any(p.stat().st_size > 0 for p in aof.glob("*.base.rdb"))


def test_compact_waits_for_a_rewrite_the_server_already_runs(embedded) -> None:  # type: ignore[no-untyped-def]
    """The server rewrites its log by itself once it has grown; a compaction then must wait, not fail."""
    embedded.upsert_nodes("Person", [{"uid": f"p{i}", "name": "x" * 200, "src_row": i} for i in range(20_000)])
    client = embedded.server._client()
    manifest = embedded.server.dir / "appendonlydir" / "appendonly.aof.manifest"
    for round_ in range(3):
        embedded.upsert_nodes("Person", [{"uid": f"q{round_}-{i}", "src_row": i} for i in range(2_000)])
        before = manifest.stat().st_mtime_ns
        client.bgrewriteaof()  # as the server does when its log grows
        assert (
            client.info("persistence")["aof_rewrite_in_progress"] or client.info("persistence")["aof_rewrite_scheduled"]
        )
        embedded.server.compact(
            min_bytes=0
        )  # used to fail: "Background append only file rewriting already in progress"
        info = client.info("persistence")
        assert not info["aof_rewrite_in_progress"] and manifest.stat().st_mtime_ns != before
