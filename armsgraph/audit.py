"""Append-only, tamper-evident audit log (JSON Lines with a SHA-256 hash chain).

Every entry records who did what, when, with which parameters, and the hash of
the previous entry; its own hash covers all of that. Editing, deleting or
reordering any entry breaks the chain from that point on, which
:func:`verify` reports. Several processes may append at once (a file lock
serialises them).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
#: Actions written to the OS at once but made durable (fsync) in one go by :func:`sync`: the
#: dashboard reads many times per page, and an fsync per read made pages wait on the disk.
DEFERRED = frozenset({"view", "query"})
_UNSYNCED: set[Path] = set()
_UNSYNCED_LOCK = threading.Lock()


def audit_path(data_dir: Path) -> Path:
    """Where the audit log of a data directory lives."""
    return Path(data_dir) / "audit" / "audit.jsonl"


def _digest(entry: Mapping[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _last(path: Path) -> tuple[int, str]:
    """Sequence number and hash of the last readable entry (reads the tail only).

    Lines after it that are not entries (a tampered tail) are stepped over, so auditing goes on;
    :func:`verify` still reports the break at the first of them.
    """
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        return 0, GENESIS
    # An entry is usually a few hundred bytes; look further back only for a long entry or a damaged tail.
    for tail in (4096, 65536, 1 << 20, size):
        with path.open("rb") as handle:
            handle.seek(max(0, size - tail))
            lines = handle.read().split(b"\n")
        for line in reversed(lines):
            try:
                entry = json.loads(line)
            except ValueError:  # blank, not JSON, not UTF-8, or a line cut by the seek
                continue
            if isinstance(entry, dict) and type(entry.get("seq")) is int and isinstance(entry.get("hash"), str):
                return entry["seq"], entry["hash"]
        if size <= tail:
            break
    return 0, GENESIS


def record(
    data_dir: Path, user: str, role: str, action: str, target: str = "", params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Append one entry and return it. ``params`` are stored as given (keep secrets out)."""
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            seq, prev = _last(path)
            entry: dict[str, Any] = {
                "seq": seq + 1,
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "user": user,
                "role": role,
                "action": action,
                "target": target,
                "params": dict(params or {}),
                "prev": prev,
            }
            entry["hash"] = _digest(entry)
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            handle.flush()  # in the OS: survives the process, whatever happens to it next
            if action in DEFERRED:
                with _UNSYNCED_LOCK:
                    _UNSYNCED.add(path)
            else:
                os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return entry


def sync() -> int:
    """Make every deferred entry of this process durable (one fsync per log); how many logs were synced.

    The dashboard calls it at the end of each page run; views and queries written before it are
    already in the file for every reader, and only an operating-system crash could lose them.
    """
    with _UNSYNCED_LOCK:
        paths = sorted(_UNSYNCED)
        _UNSYNCED.clear()
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # the data directory went away (a test's, a reset)
            continue
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return len(paths)


def entries(data_dir: Path) -> Iterator[dict[str, Any]]:
    """Every entry, oldest first; a damaged line (not UTF-8, not a JSON object) comes as
    ``{"line": n, "unreadable": <text>}`` so that showing the log never fails on it."""
    path = audit_path(data_dir)
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                entry = None
            yield entry if isinstance(entry, dict) else {"line": number, "unreadable": raw.decode("utf-8", "replace")}


@dataclass(frozen=True)
class Verdict:
    """Outcome of :func:`verify`: ok, how many entries were checked, and the first broken one."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify(data_dir: Path) -> Verdict:
    """Walk the chain; report the first entry whose hash, link or sequence is wrong."""
    prev, expected_seq, checked = GENESIS, 1, 0
    path = audit_path(data_dir)
    if not path.exists():
        return Verdict(True, 0)
    with path.open("rb") as handle:  # bytes: a tampered line need not even be UTF-8
        for line_no, line in enumerate(handle, start=1):
            try:
                entry = json.loads(line)
            except ValueError:  # JSONDecodeError or UnicodeDecodeError
                return Verdict(False, checked, line_no, f"line {line_no} is not JSON")
            if not isinstance(entry, dict):
                return Verdict(False, checked, line_no, f"line {line_no} is not a JSON object")
            if entry.get("seq") != expected_seq:
                return Verdict(
                    False, checked, line_no, f"line {line_no}: sequence {entry.get('seq')} != {expected_seq}"
                )
            if entry.get("prev") != prev:
                return Verdict(False, checked, line_no, f"line {line_no}: does not follow the previous entry")
            if entry.get("hash") != _digest(entry):
                return Verdict(False, checked, line_no, f"line {line_no}: content changed after it was written")
            prev, expected_seq, checked = entry["hash"], expected_seq + 1, checked + 1
    return Verdict(True, checked)
