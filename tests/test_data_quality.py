"""The Data quality page: rejected values for admins only, every read audited, report files private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from armsgraph import audit, private
from armsgraph.access import Principal
from armsgraph.dashboard import quality
from armsgraph.ingest.report import IngestReport, problem
from armsgraph.ingest.spill import SpillFolder

DASHBOARD = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard"
ADMIN = Principal("ada", "admin", "secret")
OTHERS = [
    Principal("ana", "analyst", "secret"),
    Principal("pam", "prosecutor", "secret", frozenset({"CASE-1"})),
    Principal("pat", "programme", "public"),
]
SECRET_NAME = "Juan Perez-Ochoa"
SECRET_BIRTH = "31/02/1980"


def _ingested(data_dir: Path) -> IngestReport:
    report = IngestReport(bundle="bundle", batch_id="b1", source="test", finished_at="2026-12-03T10:00:00Z")
    report.rows_in, report.rejected = 3, 2
    report.problems = [
        problem("persons.csv", 2, "date_of_birth", SECRET_BIRTH, f"{SECRET_BIRTH!r} is not a date", "person"),
        problem(
            "persons.csv",
            3,
            "name",
            SECRET_NAME,
            f"name {SECRET_NAME} repeats row 2 with another 'date_of_birth'",
            "person",
        ),
        problem("persons.csv", None, "alias", None, "unknown column 'alias' ignored", "person", "warning"),
    ]
    report.save(data_dir)
    return report


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_admins_see_rejected_values(tmp_path: Path) -> None:
    _ingested(tmp_path)
    table = quality.problems(tmp_path, ADMIN)
    assert {v for v in table["value"] if v} == {SECRET_BIRTH, SECRET_NAME}
    assert f"{SECRET_BIRTH!r} is not a date" in set(table["reason"])


@pytest.mark.parametrize("who", OTHERS, ids=lambda p: p.role)
def test_other_roles_see_counts_and_reasons_with_values_redacted(tmp_path: Path, who: Principal) -> None:
    _ingested(tmp_path)
    table = quality.problems(tmp_path, who)
    text = table.to_csv()
    assert SECRET_BIRTH not in text and SECRET_NAME not in text and "Perez" not in text
    assert list(table["value"].fillna("")) == [quality.REDACTED, quality.REDACTED, ""]
    assert list(table["reason"]) == [
        "'…' is not a date",
        "name (redacted) repeats row 2 with another 'date_of_birth'",  # a quoted column name stays
        "unknown column 'alias' ignored",
    ]
    assert list(table["severity"]) == ["error", "error", "warning"]  # counts by severity, file, column stay
    assert list(table["column"]) == ["date_of_birth", "name", "alias"]
    assert quality.runs(tmp_path, who)["rejected"].tolist() == [2]


def test_every_read_is_audited_with_whether_it_was_redacted(tmp_path: Path) -> None:
    _ingested(tmp_path)
    quality.runs(tmp_path, OTHERS[0])
    quality.problems(tmp_path, OTHERS[0])
    quality.problems(tmp_path, ADMIN)
    views = [(e["user"], e["action"], e["target"], e["params"]) for e in audit.entries(tmp_path)]
    assert views == [
        ("ana", "view", "quality.runs", {}),
        ("ana", "view", "quality.problems", {"redacted": True}),
        ("ada", "view", "quality.problems", {"redacted": False}),
    ]
    assert audit.verify(tmp_path).ok


def test_reports_and_the_data_directory_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)  # an older data directory, readable by everyone
    report = _ingested(data)
    assert _mode(data) == 0o700 and _mode(data / "reports") == 0o700
    assert _mode(Path(report.report_path)) == 0o600 and _mode(Path(report.rejects_path)) == 0o600
    fresh = tmp_path / "new" / "data"
    _ingested(fresh)
    assert _mode(fresh) == 0o700 and _mode(fresh.parent) == 0o700


def test_a_report_file_left_wider_is_narrowed_when_rewritten(tmp_path: Path) -> None:
    report = _ingested(tmp_path)
    Path(report.rejects_path).chmod(0o644)
    _ingested(tmp_path)
    assert _mode(Path(report.rejects_path)) == 0o600


def test_briefs_and_exports_are_written_0600_without_touching_the_users_folder(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    brief = private.write_private(tmp_path / "brief-case.md", "# Case brief\n", make_folder=False)
    assert _mode(brief) == 0o600 and _mode(tmp_path) == 0o755
    assert brief.read_text(encoding="utf-8") == "# Case brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief-case.md"]  # no temporary file left


def test_ingest_spill_folders_are_private(tmp_path: Path) -> None:
    with SpillFolder(tmp_path / "data" / "ingest" / "spill", "b1") as folder:
        assert _mode(folder.parent) == 0o700 and _mode(folder.path) == 0o700


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()  # the dashboard's settings are cached
    st.cache_data.clear()
    _ingested(tmp_path)
    return tmp_path


def _page(who: Principal) -> AppTest:
    app = AppTest.from_file(str(DASHBOARD / "views" / "data_quality.py"), default_timeout=60)
    app.session_state["armsgraph_principal"] = who
    return app.run()


def _shown(app: AppTest) -> str:
    tables = " ".join(frame.value.to_csv() for frame in app.dataframe)
    texts = " ".join(str(e.value) for e in [*app.markdown, *app.caption, *app.error, *app.info, *app.success])
    return tables + texts


def test_page_shows_values_to_an_admin_only(served: Path) -> None:
    admin = _page(ADMIN)
    assert not admin.exception, [e.value for e in admin.exception]
    assert SECRET_BIRTH in _shown(admin)
    analyst = _page(OTHERS[0])
    assert not analyst.exception, [e.value for e in analyst.exception]
    shown = _shown(analyst)
    assert SECRET_BIRTH not in shown and "Perez" not in shown and quality.REDACTED in shown
    assert any("admins only" in c.value for c in analyst.caption)
    targets = [(e["user"], e["target"]) for e in audit.entries(served) if e["action"] == "view"]
    assert targets == [("ada", "quality.runs"), ("ada", "quality.problems"),
                       ("ana", "quality.runs"), ("ana", "quality.problems")]  # fmt: skip
