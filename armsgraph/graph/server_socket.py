"""Where the embedded server's unix socket lives, and the check that it is ours before we talk to it.

The socket sits in the server's folder inside the data directory (mode 0700) unless that path is
too long for a unix socket (about 107 bytes). Then it goes into a private folder made by
:func:`tempfile.mkdtemp` (mode 0700, an unpredictable name) under ``$XDG_RUNTIME_DIR`` or the
temporary folder; the folder's path is recorded in the data directory (``socket-dir``) so that
every process of that data directory finds the same socket, and nobody else can guess it or
plant a server there. A socket, or a folder holding it, that belongs to another user is refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from armsgraph import private
from armsgraph.errors import StoreUnavailableError

#: Longest socket path used as is (unix socket paths are limited to ~107 bytes).
SOCKET_MAX = 100
SOCKET_NAME = "falkordb.sock"
POINTER = "socket-dir"


def _runtime_base() -> Path:
    """``$XDG_RUNTIME_DIR`` when it is a private folder of ours, else the temporary folder."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        try:
            info = os.lstat(runtime)
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            return Path(runtime)
    return Path(tempfile.gettempdir())


def _is_private_dir(path: Path) -> bool:
    """True for a real folder (not a link) owned by this user that nobody else can enter."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def socket_path(server_dir: Path) -> Path:
    """The socket of the server kept in ``server_dir`` (the caller holds that folder's lock when it may
    create the private folder, i.e. the first time a long path is used)."""
    plain = server_dir / SOCKET_NAME
    if len(str(plain)) <= SOCKET_MAX:
        return plain
    pointer = server_dir / POINTER
    try:
        recorded = Path(pointer.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        recorded = None
    if recorded is not None and _is_private_dir(recorded) and len(str(recorded / SOCKET_NAME)) <= SOCKET_MAX:
        return recorded / SOCKET_NAME
    made = Path(tempfile.mkdtemp(prefix="armsgraph-", dir=_runtime_base()))  # 0700, unpredictable name
    private.write_private(pointer, f"{made}\n")
    return made / SOCKET_NAME


def check_owned(socket: Path) -> None:
    """Refuse (StoreUnavailableError) a socket, or the folder holding it, that is not this user's own."""
    uid = os.getuid()
    folder = os.lstat(socket.parent)
    if folder.st_uid != uid or not stat.S_ISDIR(folder.st_mode):
        raise StoreUnavailableError(
            f"refusing the embedded server's folder {socket.parent}: it belongs to uid {folder.st_uid}, not {uid}"
        )
    if folder.st_mode & 0o022:
        raise StoreUnavailableError(
            f"refusing the embedded server's folder {socket.parent}: others may write to it "
            f"(mode {stat.S_IMODE(folder.st_mode):o}; make it 0700)"
        )
    try:
        info = os.lstat(socket)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise StoreUnavailableError(f"refusing {socket}: it is not a unix socket")
    if info.st_uid != uid:
        raise StoreUnavailableError(
            f"refusing the embedded server's socket {socket}: it belongs to uid {info.st_uid}, not {uid}"
        )
