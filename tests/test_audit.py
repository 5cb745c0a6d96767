"""The audit log is append-only and tamper-evident."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph import audit, private


def _key(data: Path) -> bytes:
    found = private.read_key(data, audit.KEY_NAME)
    assert found is not None
    return found


def _fill(data: Path, n: int = 5) -> None:
    for i in range(n):
        audit.record(data, "ana", "analyst", "query", f"neighbours-{i}", {"uid": f"p-{i}"})


def test_chain_verifies_and_links(tmp_path: Path) -> None:
    _fill(tmp_path)
    entries = list(audit.entries(tmp_path))
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == audit.GENESIS
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(entries))
    assert entries[2]["params"] == {"uid": "p-2"}
    assert audit.verify(tmp_path) == audit.Verdict(True, 5)


def _rewrite(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = audit.audit_path(tmp_path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(change(lines)) + "\n")


def test_edited_entry_is_detected(tmp_path: Path) -> None:
    _fill(tmp_path)

    def edit(lines: list[str]) -> list[str]:
        entry = json.loads(lines[2])
        entry["user"] = "someone-else"
        lines[2] = json.dumps(entry)
        return lines

    _rewrite(tmp_path, edit)
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, 2, 3)
    assert "content changed" in verdict.reason


def test_deleted_and_reordered_entries_are_detected(tmp_path: Path) -> None:
    _fill(tmp_path)
    _rewrite(tmp_path, lambda lines: lines[:1] + lines[2:])
    assert audit.verify(tmp_path).broken_at == 2
    other = tmp_path / "other"
    _fill(other)
    _rewrite(other, lambda lines: [lines[1], lines[0], *lines[2:]])
    assert audit.verify(other).broken_at == 1


def test_rehashing_one_entry_still_breaks_the_next_link(tmp_path: Path) -> None:
    _fill(tmp_path)

    def forge(lines: list[str]) -> list[str]:
        entry = json.loads(lines[1])
        entry["action"] = "nothing"
        entry["hash"] = audit._digest(entry, _key(tmp_path))  # even with the key: the next link breaks
        lines[1] = json.dumps(entry)
        return lines

    _rewrite(tmp_path, forge)
    verdict = audit.verify(tmp_path)
    assert (verdict.ok, verdict.broken_at) == (False, 3)


def _append_many(data: str) -> None:
    for i in range(20):
        audit.record(Path(data), "p", "admin", "export", str(i))


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    with ProcessPoolExecutor(max_workers=3) as pool:
        list(pool.map(_append_many, [str(tmp_path)] * 3))
    assert audit.verify(tmp_path) == audit.Verdict(True, 60)


def test_cli_verify_exit_codes(tmp_path: Path) -> None:
    _fill(tmp_path)
    cmd = [sys.executable, "-m", "armsgraph", "--data-dir", str(tmp_path), "audit", "verify"]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "intact: 5 entries" in ok.stdout
    _rewrite(tmp_path, lambda lines: [*lines[:-2], lines[-1]])
    broken = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1 and "broken" in broken.stdout


def test_lines_that_are_not_utf8_json_objects_break_the_chain_without_crashing(tmp_path: Path) -> None:
    for i, bad in enumerate([b"\xff\xfe not utf-8\n", b"[1, 2]\n", b"7\n", b'"text"\n', b"\n", b'{"seq": 3}\n']):
        data = tmp_path / str(i)
        _fill(data, 2)
        last_good = list(audit.entries(data))[-1]
        with audit.audit_path(data).open("ab") as handle:
            handle.write(bad)
        after = audit.record(data, "ana", "analyst", "query")  # auditing goes on after a tampered tail
        assert (after["seq"], after["prev"]) == (3, last_good["hash"])
        verdict = audit.verify(data)
        assert (verdict.ok, verdict.checked, verdict.broken_at) == (False, 2, 3), bad
        assert verdict.reason.startswith("line 3"), verdict.reason


def test_cli_show_lists_a_damaged_line_instead_of_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from armsgraph.cli import app
    from armsgraph.commands.common import console

    monkeypatch.setattr(console, "width", 240)  # no wrapping inside cells

    _fill(tmp_path, 2)
    with audit.audit_path(tmp_path).open("ab") as handle:
        handle.write(b"\xff garbage\n")
    assert [e.get("unreadable", "")[:2] for e in audit.entries(tmp_path)] == ["", "", "\ufffd "]
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "audit", "show"])
    assert result.exit_code == 0, result.output
    assert "(unreadable)" in result.output and "line 3" in result.output


def test_views_and_queries_are_synced_once_per_page_run_other_actions_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit.sync()  # nothing left over from other tests
    audit.record(tmp_path, "ana", "analyst", "login")  # the first entry makes (and syncs) the key
    synced: list[int] = []
    real_fsync = audit.os.fsync
    monkeypatch.setattr(audit.os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    for target in ("data.overview", "data.clusters", "data.hotspots"):
        audit.record(tmp_path, "ana", "analyst", "view", target)
    audit.record(tmp_path, "ana", "analyst", "query", "dashboard_counts")
    assert synced == []
    assert [e["target"] for e in audit.entries(tmp_path)][-1] == "dashboard_counts"  # readable before the sync
    assert audit.sync() == 2 and len(synced) == 2  # the log and its checkpoint, once each
    assert audit.sync() == 0 and len(synced) == 2
    audit.record(tmp_path, "ana", "analyst", "export", "incidents.csv")
    assert len(synced) == 4
    assert audit.verify(tmp_path) == audit.Verdict(True, 6)


def test_an_entry_longer_than_the_tail_read_still_links_the_next(tmp_path: Path) -> None:
    audit.record(tmp_path, "ana", "analyst", "query", "explorer", {"uids": [f"person:{i:06d}" for i in range(9_000)]})
    audit.record(tmp_path, "ana", "analyst", "view", "data.overview")
    assert audit.audit_path(tmp_path).stat().st_size > 65_536 + 4_096
    assert audit.verify(tmp_path) == audit.Verdict(True, 2)
