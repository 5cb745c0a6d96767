"""Append-only, tamper-evident audit log (JSON Lines with an HMAC-SHA256 chain and a checkpoint).

Every entry records who did what, when, with which parameters, and the MAC of the previous
entry; its own MAC (``hash``) covers all of that and is keyed by a secret kept apart from the
log (``<secrets>/audit.key``, see :mod:`armsgraph.private`), so an entry cannot be forged or
re-sealed without the key. A checkpoint beside the key (``<secrets>/audit-head.json``, itself
MAC'd) holds the sequence number and MAC of the last entry written, so removing entries from the
end, emptying or deleting the log is seen too. :func:`verify` reports the first break; what it
does and does not detect is stated in SECURITY.md. Several processes may append at once (a file
lock serialises them).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armsgraph import private

GENESIS = "0" * 64
KEY_NAME = "audit"
#: Actions written to the OS at once but made durable (fsync) in one go by :func:`sync`: the
#: dashboard reads many times per page, and an fsync per read made pages wait on the disk.
DEFERRED = frozenset({"view", "query"})
_UNSYNCED: set[Path] = set()
_UNSYNCED_LOCK = threading.Lock()


def audit_path(data_dir: Path) -> Path:
    """Where the audit log of a data directory lives."""
    return Path(data_dir) / "audit" / "audit.jsonl"


def head_path(data_dir: Path) -> Path:
    """Where the checkpoint (sequence number and MAC of the last entry written) lives: apart from the log."""
    return private.secrets_dir(data_dir) / "audit-head.json"


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def _digest(entry: Mapping[str, Any], key: bytes) -> str:
    """The MAC of an entry (every field but ``hash``) under ``key``."""
    return hmac.new(key, _canonical({k: v for k, v in entry.items() if k != "hash"}), hashlib.sha256).hexdigest()


def _head_mac(head: Mapping[str, Any], key: bytes) -> str:
    return hmac.new(
        key, b"head:" + _canonical({k: v for k, v in head.items() if k != "mac"}), hashlib.sha256
    ).hexdigest()


def _read_head(data_dir: Path, key: bytes | None) -> tuple[dict[str, Any] | None, str]:
    """The checkpoint and "" when it is there and sealed by ``key``; (None, why) otherwise."""
    path = head_path(data_dir)
    try:
        head = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None, "missing"
    except ValueError:
        return None, "unreadable"
    if not isinstance(head, dict) or key is None or not isinstance(head.get("mac"), str):
        return None, "unreadable"
    if not hmac.compare_digest(head["mac"], _head_mac(head, key)):
        return None, "changed (its MAC does not match)"
    if type(head.get("seq")) is not int or not isinstance(head.get("hash"), str):
        return None, "unreadable"
    return head, ""


def _write_head(data_dir: Path, head: dict[str, Any], key: bytes, durable: bool) -> Path:
    head = {k: v for k, v in head.items() if k != "mac"}
    head["mac"] = _head_mac(head, key)
    path = head_path(data_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with private.open_private(tmp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(head, sort_keys=True) + "\n")
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    tmp.replace(path)
    return path


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
    """Append one entry and return it. ``params`` are stored as given (keep secrets out).

    The entry follows the checkpoint's last entry, not the log's last line: after entries were
    removed from the end the new one does not fit the shortened log, so the break stays reported.
    A missing or changed checkpoint is written down in the new checkpoint (``alarms``), which
    :func:`verify` reports from then on.
    """
    path = audit_path(data_dir)
    private.data_folder(data_dir, "audit")
    started = private.read_key(data_dir, KEY_NAME) is not None  # recording has begun: a checkpoint must exist
    key = private.key(data_dir, KEY_NAME)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, private.FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            head, why = _read_head(data_dir, key)
            if head is not None:
                seq, prev, alarms = head["seq"], head["hash"], list(head.get("alarms", []))
            else:
                seq, prev = _last(path)
                lost = seq or started or why != "missing"
                alarms = [f"the checkpoint was {why} when entry {seq + 1} was written"] if lost else []
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
            entry["hash"] = _digest(entry, key)
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            handle.flush()  # in the OS: survives the process, whatever happens to it next
            durable = action not in DEFERRED
            if durable:
                os.fsync(handle.fileno())
            written = _write_head(
                data_dir, {"seq": entry["seq"], "hash": entry["hash"], "alarms": alarms}, key, durable
            )
            if not durable:
                with _UNSYNCED_LOCK:
                    _UNSYNCED.update((path, written))
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return entry


def sync() -> int:
    """Make every deferred entry of this process durable (one fsync per log and per checkpoint); how many
    files were synced.

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


def _verdict_from_head(data_dir: Path, key: bytes, checked: int, last: tuple[int, str], lines: int) -> Verdict:
    """Compare the end of an intact chain with the checkpoint."""
    end = lines + 1  # where the missing entries would be
    head, why = _read_head(data_dir, key)
    if head is None:
        return Verdict(False, checked, end, f"the checkpoint {head_path(data_dir)} is {why}")
    if head.get("alarms"):
        return Verdict(False, checked, end, "; ".join(str(a) for a in head["alarms"]))
    if (head["seq"], head["hash"]) == last:
        return Verdict(True, checked)
    if head["seq"] > last[0]:
        gone = head["seq"] - last[0]
        where = "the log is empty" if last[0] == 0 else f"the log ends at entry {last[0]}"
        return Verdict(False, checked, end, f"{where} but {head['seq']} were written: {gone} removed from the end")
    if head["seq"] == last[0]:
        return Verdict(False, checked, end, f"entry {last[0]} is not the one written (changed and sealed again)")
    return Verdict(False, checked, end, f"the log goes on after entry {head['seq']}, the last one written")


def verify(data_dir: Path) -> Verdict:
    """Walk the chain; report the first entry whose MAC, link or sequence is wrong, then compare the end of
    the log with the checkpoint (entries removed from the end, an emptied or deleted log)."""
    prev, expected_seq, checked, line_no = GENESIS, 1, 0, 0
    path = audit_path(data_dir)
    key = private.read_key(data_dir, KEY_NAME)
    if key is None:
        if path.exists() and path.stat().st_size:
            return Verdict(False, 0, 1, f"the audit key {private.key_path(data_dir, KEY_NAME)} is missing")
        return Verdict(True, 0)  # nothing was ever recorded (recording makes the key first)
    handle = path.open("rb") if path.exists() else None
    try:
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_SH)  # no entry half-written, log and checkpoint in step
        for line_no, line in enumerate(handle or (), start=1):  # bytes: a tampered line need not be UTF-8
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
            if not isinstance(entry.get("hash"), str) or not hmac.compare_digest(entry["hash"], _digest(entry, key)):
                return Verdict(False, checked, line_no, f"line {line_no}: content changed after it was written")
            prev, expected_seq, checked = entry["hash"], expected_seq + 1, checked + 1
        return _verdict_from_head(data_dir, key, checked, (checked, prev), line_no)
    finally:
        if handle is not None:
            handle.close()
