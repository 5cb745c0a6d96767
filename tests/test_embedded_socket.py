"""The embedded server's socket: no predictable shared path, and another user's socket is refused."""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from armsgraph.errors import StoreUnavailableError
from armsgraph.graph import server_socket
from armsgraph.graph.embedded import EmbeddedStore
from armsgraph.graph.embedded_server import EmbeddedServer
from tests.conftest import settings_for

OTHER_UID = 65534  # nobody


def _deep(tmp_path: Path) -> Path:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    assert len(str(deep / "falkordb" / server_socket.SOCKET_NAME)) > server_socket.SOCKET_MAX
    return deep


@pytest.fixture
def listening() -> Iterator[list[socket.socket]]:
    held: list[socket.socket] = []
    yield held
    for sock in held:
        sock.close()


def _listen(path: Path, held: list[socket.socket]) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(1)
    held.append(sock)


def test_a_long_data_dir_gets_a_private_unpredictable_socket_folder(tmp_path: Path) -> None:
    deep = _deep(tmp_path)
    server = EmbeddedServer(deep)
    folder = server.socket.parent
    assert len(str(server.socket)) <= server_socket.SOCKET_MAX
    assert folder != server.dir and folder.name.startswith("armsgraph-")
    info = folder.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    old_digest = hashlib.sha256(str(server.dir).encode()).hexdigest()[:16]
    assert old_digest not in str(server.socket)  # not derived from the data directory's path
    # every process of the data directory finds the same socket; another data directory gets another
    assert EmbeddedServer(deep).socket == server.socket
    assert EmbeddedServer(_deep(tmp_path / "x")).socket.parent != folder
    assert stat.S_IMODE((server.dir / server_socket.POINTER).stat().st_mode) == 0o600


def test_the_old_predictable_path_is_never_used(tmp_path: Path, listening: list[socket.socket]) -> None:
    deep = _deep(tmp_path)
    resolved = deep.resolve() / "falkordb"
    planted = Path(tempfile.gettempdir()) / f"armsgraph-{hashlib.sha256(str(resolved).encode()).hexdigest()[:16]}.sock"
    _listen(planted, listening)
    try:
        assert EmbeddedServer(deep).socket != planted
    finally:
        planted.unlink()


def test_a_recorded_folder_that_is_not_private_is_replaced(tmp_path: Path) -> None:
    deep = _deep(tmp_path)
    server = EmbeddedServer(deep)
    shared = server.socket.parent
    shared.chmod(0o755)
    assert EmbeddedServer(deep).socket.parent != shared


def test_another_users_socket_is_refused(tmp_path: Path, listening: list[socket.socket]) -> None:
    if os.getuid() != 0:
        pytest.skip("making a socket owned by another user needs root")
    data = tmp_path / "data"
    server = EmbeddedServer(data)
    server.dir.mkdir(parents=True, mode=0o700)
    _listen(server.socket, listening)
    os.chown(server.socket, OTHER_UID, OTHER_UID)
    with pytest.raises(StoreUnavailableError, match=f"socket {server.socket}: it belongs to uid {OTHER_UID}, not 0"):
        server.alive()
    with pytest.raises(StoreUnavailableError, match="belongs to uid 65534"):
        EmbeddedStore(settings_for("embedded", data))  # nothing is sent to it


def test_a_socket_folder_of_another_user_or_open_to_others_is_refused(
    tmp_path: Path, listening: list[socket.socket]
) -> None:
    folder = tmp_path / "sock"
    folder.mkdir(mode=0o700)
    sock = folder / server_socket.SOCKET_NAME
    _listen(sock, listening)
    server_socket.check_owned(sock)  # ours: accepted
    folder.chmod(0o777)
    with pytest.raises(StoreUnavailableError, match="others may write to it"):
        server_socket.check_owned(sock)
    if os.getuid() == 0:
        folder.chmod(0o700)
        os.chown(folder, OTHER_UID, OTHER_UID)
        with pytest.raises(StoreUnavailableError, match=f"folder {folder}: it belongs to uid {OTHER_UID}"):
            server_socket.check_owned(sock)


def test_a_file_that_is_not_a_socket_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "sock"
    folder.mkdir(mode=0o700)
    (folder / server_socket.SOCKET_NAME).write_text("")
    with pytest.raises(StoreUnavailableError, match="not a unix socket"):
        server_socket.check_owned(folder / server_socket.SOCKET_NAME)


def test_a_long_data_dir_serves_through_its_private_socket(tmp_path: Path) -> None:
    store = EmbeddedStore(settings_for("embedded", _deep(tmp_path)))
    try:
        assert store.server.alive()
        assert stat.S_ISSOCK(os.lstat(store.server.socket).st_mode)
        assert stat.S_IMODE(store.server.socket.parent.stat().st_mode) == 0o700
    finally:
        store.close()


def test_the_data_directory_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    with EmbeddedServer(data).locked():
        pass
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "falkordb").stat().st_mode) == 0o700
