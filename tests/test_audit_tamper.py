"""The audit log under attack: each claim SECURITY.md makes about what `audit verify` detects, and does not.

An attacker here can rewrite the log file at will. Without the key (kept in the secrets folder,
apart from the log) an entry cannot be re-sealed; the checkpoint beside the key records the last
entry written, so entries removed from the end, an emptied or deleted log are seen.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph import audit, private


def _fill(data: Path, n: int) -> None:
    for i in range(n):
        audit.record(data, "ana", "analyst", "export", f"brief-{i}", {"case": f"CASE-{i}"})


def _lines(data: Path) -> list[str]:
    return audit.audit_path(data).read_text(encoding="utf-8").splitlines()


def _write(data: Path, lines: list[str]) -> None:
    audit.audit_path(data).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _plain_sha256(entry: dict[str, object]) -> str:
    """How the chain was sealed before it had a key (and how anyone without the key might try)."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _guessed_key(entry: dict[str, object]) -> str:
    return audit._digest(entry, b"\0" * 32)


def _stolen_key(data: Path) -> Callable[[dict[str, object]], str]:
    key = private.read_key(data, audit.KEY_NAME)
    assert key is not None
    return lambda entry: audit._digest(entry, key)


@pytest.mark.parametrize("line", [1, 3, 5], ids=["entry-1", "middle", "last"])
@pytest.mark.parametrize("reseal", [_plain_sha256, _guessed_key], ids=["sha256", "guessed-key"])
def test_an_edited_entry_resealed_without_the_key_is_detected_where_it_is(
    tmp_path: Path, line: int, reseal: Callable[[dict[str, object]], str]
) -> None:
    _fill(tmp_path, 5)
    lines = _lines(tmp_path)
    entry = json.loads(lines[line - 1])
    entry["user"] = "someone-else"
    entry["hash"] = reseal(entry)
    lines[line - 1] = json.dumps(entry)
    _write(tmp_path, lines)
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, line - 1, line)
    assert verdict.reason == f"line {line}: content changed after it was written"


def test_entry_1_must_start_the_chain(tmp_path: Path) -> None:
    _fill(tmp_path, 3)
    lines = _lines(tmp_path)
    entry = json.loads(lines[0])
    entry["prev"] = "1" * 64
    entry["hash"] = _stolen_key(tmp_path)(entry)  # sealed with the real key, still not a first entry
    _write(tmp_path, [json.dumps(entry), *lines[1:]])
    assert audit.verify(tmp_path) == audit.Verdict(False, 0, 1, "line 1: does not follow the previous entry")


@pytest.mark.parametrize("removed", [1, 50])
def test_entries_removed_from_the_end_are_detected(tmp_path: Path, removed: int) -> None:
    _fill(tmp_path, 60)
    _write(tmp_path, _lines(tmp_path)[:-removed])
    kept = 60 - removed
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, kept, kept + 1)
    assert verdict.reason == f"the log ends at entry {kept} but 60 were written: {removed} removed from the end"


def test_an_emptied_or_deleted_log_is_detected(tmp_path: Path) -> None:
    _fill(tmp_path, 5)
    _write(tmp_path, [])
    assert audit.verify(tmp_path) == audit.Verdict(
        False, 0, 1, "the log is empty but 5 were written: 5 removed from the end"
    )
    audit.audit_path(tmp_path).unlink()
    assert not audit.verify(tmp_path).ok


def test_a_shortened_log_stays_broken_after_new_entries(tmp_path: Path) -> None:
    _fill(tmp_path, 10)
    _write(tmp_path, _lines(tmp_path)[:-3])
    after = audit.record(tmp_path, "ada", "admin", "login")
    assert after["seq"] == 11  # follows the checkpoint, not the shortened log
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, 7, 8)
    assert verdict.reason == "line 8: sequence 11 != 8"


@pytest.mark.parametrize("reseal", [_plain_sha256, _guessed_key], ids=["sha256", "guessed-key"])
def test_a_forged_append_with_a_recomputed_hash_is_detected(
    tmp_path: Path, reseal: Callable[[dict[str, object]], str]
) -> None:
    _fill(tmp_path, 5)
    lines = _lines(tmp_path)
    last = json.loads(lines[-1])
    forged = {**last, "seq": 6, "prev": last["hash"], "user": "ada", "action": "login", "params": {}}
    forged["hash"] = reseal(forged)
    _write(tmp_path, [*lines, json.dumps(forged)])
    assert audit.verify(tmp_path) == audit.Verdict(False, 5, 6, "line 6: content changed after it was written")


def test_an_append_sealed_with_a_stolen_key_is_still_detected_by_the_checkpoint(tmp_path: Path) -> None:
    _fill(tmp_path, 5)
    lines = _lines(tmp_path)
    last = json.loads(lines[-1])
    forged = {**last, "seq": 6, "prev": last["hash"], "action": "login"}
    forged["hash"] = _stolen_key(tmp_path)(forged)
    _write(tmp_path, [*lines, json.dumps(forged)])
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, 6, 7)
    assert verdict.reason == "the log goes on after entry 5, the last one written"


def test_the_last_entry_edited_and_resealed_with_a_stolen_key_is_detected_by_the_checkpoint(tmp_path: Path) -> None:
    _fill(tmp_path, 5)
    lines = _lines(tmp_path)
    last = json.loads(lines[-1])
    last["target"] = "nothing-to-see"
    last["hash"] = _stolen_key(tmp_path)(last)
    _write(tmp_path, [*lines[:-1], json.dumps(last)])
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked) == (False, 5)
    assert verdict.reason == "entry 5 is not the one written (changed and sealed again)"


def test_a_deleted_or_edited_checkpoint_is_detected_and_stays_reported(tmp_path: Path) -> None:
    _fill(tmp_path, 3)
    head = audit.head_path(tmp_path)
    original = head.read_bytes()
    head.unlink()
    assert audit.verify(tmp_path).reason == f"the checkpoint {head} is missing"
    audit.record(tmp_path, "ada", "admin", "login")  # recording goes on; the loss is written into the new checkpoint
    assert audit.verify(tmp_path).reason == "the checkpoint was missing when entry 4 was written"

    other = tmp_path / "other"
    _fill(other, 3)
    edited = json.loads(audit.head_path(other).read_bytes())
    edited["seq"] = 2
    audit.head_path(other).write_text(json.dumps(edited))
    assert audit.verify(other).reason == f"the checkpoint {audit.head_path(other)} is changed (its MAC does not match)"
    audit.record(other, "ada", "admin", "login")
    assert audit.verify(other).reason == "the checkpoint was changed (its MAC does not match) when entry 4 was written"
    assert original  # the first checkpoint was there before it was deleted


def test_log_and_checkpoint_deleted_while_the_key_remains_is_detected(tmp_path: Path) -> None:
    _fill(tmp_path, 3)
    audit.audit_path(tmp_path).unlink()
    audit.head_path(tmp_path).unlink()
    assert not audit.verify(tmp_path).ok
    audit.record(tmp_path, "ada", "admin", "login")
    verdict = audit.verify(tmp_path)
    assert not verdict.ok and verdict.reason == "the checkpoint was missing when entry 1 was written"


def test_a_deleted_key_is_detected_and_a_new_key_does_not_seal_old_entries(tmp_path: Path) -> None:
    _fill(tmp_path, 3)
    key = private.key_path(tmp_path, audit.KEY_NAME)
    key.unlink()
    assert audit.verify(tmp_path) == audit.Verdict(False, 0, 1, f"the audit key {key} is missing")
    audit.record(tmp_path, "ada", "admin", "login")  # a fresh key
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.broken_at) == (False, 1)


def test_not_detected_a_rewrite_by_someone_holding_the_key_and_the_checkpoint(tmp_path: Path) -> None:
    """SECURITY.md: whoever can write the secrets folder can rewrite the log and the checkpoint alike."""
    _fill(tmp_path, 5)
    saved_log = audit.audit_path(tmp_path).read_bytes()
    saved_head = audit.head_path(tmp_path).read_bytes()
    _fill(tmp_path, 5)
    audit.audit_path(tmp_path).write_bytes(saved_log)  # rolled back to an earlier copy of both files
    audit.head_path(tmp_path).write_bytes(saved_head)
    assert audit.verify(tmp_path) == audit.Verdict(True, 5)


def test_not_detected_deleting_the_data_directorys_audit_and_secrets_together(tmp_path: Path) -> None:
    _fill(tmp_path, 5)
    shutil.rmtree(tmp_path / "audit")
    shutil.rmtree(private.secrets_dir(tmp_path))
    assert audit.verify(tmp_path) == audit.Verdict(True, 0)


def test_secrets_kept_apart_catch_a_deleted_audit_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(private.SECRETS_ENV, str(tmp_path / "vault"))
    data = tmp_path / "data"
    _fill(data, 5)
    assert audit.head_path(data).is_relative_to(tmp_path / "vault")
    assert not (data / "secrets").exists()
    shutil.rmtree(data / "audit")
    verdict = audit.verify(data)
    assert not verdict.ok and "5 removed from the end" in verdict.reason


def test_log_key_and_checkpoint_are_private(tmp_path: Path) -> None:
    _fill(tmp_path, 1)
    for path in (audit.audit_path(tmp_path), audit.head_path(tmp_path), private.key_path(tmp_path, audit.KEY_NAME)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent


def test_verify_makes_no_key_and_a_fresh_directory_is_intact(tmp_path: Path) -> None:
    assert audit.verify(tmp_path) == audit.Verdict(True, 0)
    assert not private.secrets_dir(tmp_path).exists()


def test_cli_reports_truncation_with_exit_code_1(tmp_path: Path) -> None:
    from armsgraph.cli import app

    _fill(tmp_path, 5)
    runner = CliRunner()
    ok = runner.invoke(app, ["--data-dir", str(tmp_path), "audit", "verify"])
    assert ok.exit_code == 0 and "intact: 5 entries" in ok.output
    _write(tmp_path, _lines(tmp_path)[:-1])
    broken = runner.invoke(app, ["--data-dir", str(tmp_path), "audit", "verify"])
    assert broken.exit_code == 1 and "1 removed from the end" in " ".join(broken.output.split())
