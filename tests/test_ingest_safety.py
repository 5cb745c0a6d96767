"""Safe reading: symlinks refused, Excel read within a budget, formula cells without values reported, one ingest
per data directory at a time."""

from __future__ import annotations

import io
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from armsgraph.errors import IngestError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest import readers
from armsgraph.ingest.pipeline import ingest_bundle, ingest_lock
from armsgraph.ingest.readers import open_file, read_xlsx

INCIDENTS = "incident_id,date,country\nI-1,2021-01-01,France\n"


def test_a_symlink_in_a_bundle_is_refused_and_its_target_never_read(store: GraphStore, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("person_record_id,name\nroot,root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    (bundle / "persons.csv").symlink_to(secret)
    report = ingest_bundle(store, bundle, progress=False)
    assert [(p.file, p.severity) for p in report.problems if "symbolic link" in p.reason] == [("persons.csv", "error")]
    assert report.failed  # said, and the exit code says so
    assert store.counts().get("Person") is None and store.counts().get("Incident") == 1
    saved = Path(report.rejects_path).read_text(encoding="utf-8") + Path(report.report_path).read_text(encoding="utf-8")
    assert "root:x" not in saved
    with pytest.raises(IngestError, match=r"persons\.csv: a symbolic link; not read"):
        open_file(bundle / "persons.csv", "persons.csv")


def _stray_cell_workbook() -> bytes:
    """A 5 KB workbook: a small table and one cell at XFD1048576 (the last cell a sheet has)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "incidents"
    sheet.append(["incident_id", "date", "country"])
    sheet.append(["X-1", "2021-01-01", "France"])
    sheet["XFD1048576"] = "stray"
    good = book.create_sheet("persons")
    good.append(["person_record_id", "name"])
    good.append(["P-1", "Ana Gomez"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_spanning_the_whole_grid_is_refused_quickly_without_memory_growth(
    store: GraphStore, tmp_path: Path
) -> None:
    data = _stray_cell_workbook()
    assert len(data) < 8_000
    bundle = tmp_path / "xl"
    bundle.mkdir()
    (bundle / "book.xlsx").write_bytes(data)
    tracemalloc.start()
    started = time.perf_counter()
    tables = read_xlsx(bundle / "book.xlsx", "book.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - started < 10 and peak < 50_000_000, peak
    refused, persons = tables
    assert refused.rows == [] and [p.reason for p in refused.problems] == [
        "sheet spans A1:XFD1048576 (17,179,869,184 cells), over the 50,000,000-cell budget; not read "
        "(delete the stray cells far from the table, or save the sheet as CSV)"
    ]
    assert persons.rows == [(1, {"person_record_id": "P-1", "name": "Ana Gomez"})]
    report = ingest_bundle(store, bundle, progress=False)
    assert report.failed and any("book.xlsx#incidents" in f and "cell budget" in f for f in report.failures)
    assert store.counts().get("Person") == 1


def test_a_huge_merged_range_and_an_oversized_package_are_refused_before_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.merge_cells("A2:B3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    source = zipfile.ZipFile(path)
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'ref="A2:B3"', b'ref="A2:XFD1048576"')
            target.writestr(info, content)
    with pytest.raises(IngestError, match=r"bomb.xlsx: merged range .* spans 17,179,852,800 cells, over the"):
        read_xlsx(out, "bomb.xlsx")
    monkeypatch.setattr(readers, "XLSX_BYTES", 1_000)
    with pytest.raises(IngestError, match=r"merged.xlsx: the workbook unpacks to [\d,]+ bytes, over the 1,000-byte"):
        read_xlsx(path, "merged.xlsx")


def _with_formulas(tmp_path: Path, cached: bool) -> Path:
    """A workbook whose D column is a formula; saved by openpyxl, which writes no cached values."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "incidents"
    sheet.append(["incident_id", "date", "country", "ammunition_qty"])
    sheet.append(["F-1", "2021-01-01", "France", 12])
    sheet.append(["F-2", "2021-01-02", "France", "=D2*2"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    if cached:  # the value a spreadsheet program saves next to the formula
        source = zipfile.ZipFile(path)
        fixed = tmp_path / "cached.xlsx"
        with zipfile.ZipFile(fixed, "w") as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    content = content.replace(b"<f>D2*2</f><v />", b"<f>D2*2</f><v>24</v>")
                target.writestr(info, content)
        return fixed
    return path


def test_a_formula_cell_without_a_saved_value_rejects_its_row_and_says_why(tmp_path: Path) -> None:
    [table] = read_xlsx(_with_formulas(tmp_path, cached=False), "formulas.xlsx")
    assert [n for n, _ in table.rows] == [1]
    [problem] = table.problems
    assert (problem.row, problem.column, problem.value, problem.severity) == (2, "ammunition_qty", "=D2*2", "error")
    assert problem.reason.startswith("formula cell D3 has no saved value")
    [cached] = read_xlsx(_with_formulas(tmp_path, cached=True), "cached.xlsx")
    assert cached.problems == [] and cached.rows[1][1]["ammunition_qty"] == 24


def test_a_second_ingest_into_the_same_data_directory_stops_or_waits(store: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    data_dir = store.settings.data_dir
    with ingest_lock(data_dir):
        with pytest.raises(IngestError, match=r"another ingest is writing into .* \(pid \d+, since .*\); wait"):
            ingest_bundle(store, bundle, progress=False)
        assert store.counts().get("Incident") is None
        done: list[int] = []
        waiting = threading.Thread(
            target=lambda: done.append(ingest_bundle(store, bundle, progress=False, wait=True).accepted)
        )
        waiting.start()
        time.sleep(1.0)
        assert done == [] and waiting.is_alive()  # it waits for the first to finish
    waiting.join(timeout=60)
    assert done == [1] and store.counts().get("Incident") == 1
    assert ingest_bundle(store, bundle, progress=False).accepted == 1  # the lock went with the first
