"""Private files and folders (0700 / 0600) and the keys kept in the secrets folder.

Everything armsgraph writes about people — the data directory, ingest reports with rejected
values, briefs, exports, the audit log, users — is readable by its owner only. The secrets folder
(``<data_dir>/secrets``, or ``$ARMSGRAPH_SECRETS_DIR/<data-dir-id>`` when a deployment keeps keys
apart from the data) holds the keys that sign the audit log and dashboard sessions.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from typing import IO, Any

DIR_MODE = 0o700
FILE_MODE = 0o600
SECRETS_ENV = "ARMSGRAPH_SECRETS_DIR"
KEY_BYTES = 32


def private_dir(path: Path) -> Path:
    """Create ``path`` readable by its owner only (missing parents too); an existing folder is made 0700."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=DIR_MODE)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def data_folder(data_dir: Path, *parts: str) -> Path:
    """A folder inside the data directory, the data directory and every folder on the way made 0700."""
    folder = private_dir(Path(data_dir))
    for part in parts:
        folder = private_dir(folder / part)
    return folder


def open_private(
    path: Path, mode: str = "w", encoding: str | None = None, newline: str | None = None, make_folder: bool = True
) -> IO[Any]:
    """``open()`` for a new or replaced file made 0600 (text or binary ``mode``); its folder is made 0700
    unless ``make_folder`` is false (a file the user names in a folder of theirs)."""
    path = Path(path)
    if make_folder:
        private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a file that existed with wider rights is narrowed too
    return os.fdopen(fd, mode, encoding=encoding, newline=newline)


def write_private(path: Path, content: str | bytes, make_folder: bool = True) -> Path:
    """Write ``content`` to ``path`` (0600; its folder 0700 unless ``make_folder`` is false) through a
    temporary file and a rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open_private(tmp, "wb", make_folder=make_folder) as handle:
        handle.write(data)
    tmp.replace(path)
    return path


def secrets_dir(data_dir: Path) -> Path:
    """Where the keys and the audit checkpoint of ``data_dir`` live (not created here)."""
    base = os.environ.get(SECRETS_ENV)
    if not base:
        return Path(data_dir) / "secrets"
    ident = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(base) / ident


def key_path(data_dir: Path, name: str) -> Path:
    """The file of the key called ``name``."""
    return secrets_dir(data_dir) / f"{name}.key"


def read_key(data_dir: Path, name: str) -> bytes | None:
    """The key called ``name``, or None when it was never made."""
    path = key_path(data_dir, name)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return bytes.fromhex(text)


def key(data_dir: Path, name: str) -> bytes:
    """The key called ``name``, made (32 random bytes, file 0600) the first time it is asked for.

    Several processes may ask at once: the key is written to a temporary file and linked into
    place, so every process ends up with the one that won.
    """
    found = read_key(data_dir, name)
    if found is not None:
        return found
    path = key_path(data_dir, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    with open_private(tmp, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    made = read_key(data_dir, name)
    assert made is not None
    return made
