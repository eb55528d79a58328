"""Benchmark of reading and dry-running uploads (not a test): prints seconds and peak memory per hostile or large
file, best of a few runs.

Run from the repository root: ``python -m bench.bench_import [--runs 3]``. Targets (issue 21): a workbook whose
rows each have one cell in column XFD is refused in under 1 s; the largest accepted CSV (5,000 rows) is read and
dry-run in under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tracemalloc

from datastore import imports, uploads
from datastore.store import Store
from geo import dataset
from kita.errors import DataError

TARGET_REFUSE_S = 1.0
TARGET_LARGEST_S = 10.0


def wide_workbook(rows: int = 5000, declared: bool = True) -> bytes:
    """One cell in column XFD per row (22 KB zipped); without ``declared`` the sheet's <dimension> is removed."""
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    for row in range(1, rows + 1):
        book.active.cell(row=row, column=16384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    if declared:
        return buffer.getvalue()
    source, target = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            out.writestr(info, content)
    return target.getvalue()


def largest_csv(rows: int = uploads.MAX_ROWS) -> bytes:
    lines = ["Name;PLZ;Ort;Kinder;Plätze;Telefon"]
    lines += [f"Kita {n};55232;Alzey;{n % 90 + 10};{n % 90 + 20};06731 {n}" for n in range(rows)]
    return "\n".join(lines).encode("utf-8")


def timed(action, runs: int) -> tuple[float, float, str]:
    """(best seconds, peak MB, outcome) of ``runs`` calls."""
    best, peak, outcome = float("inf"), 0.0, ""
    for _ in range(runs):
        tracemalloc.start()
        start = time.perf_counter()
        try:
            outcome = action()
        except DataError as exc:
            outcome = f"refused: {exc.message}"
        best = min(best, time.perf_counter() - start)
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
    return best, peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reference = dataset.load_reference()
    folder = tempfile.mkdtemp()
    store = Store(f"sqlite:///{folder}/bench.sqlite", gemeinden=reference.gemeinden)
    places = imports.Places(reference.gemeinden, reference.areas, reference.plz, reference.ortsteile)

    def dry_run(name: str, data: bytes):
        def run():
            upload = uploads.read_file(name, data)
            rows, _ = imports.file_rows("kitas", upload.sheets[imports.choose_sheet(upload, "kitas")])
            result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check)
            return str(result.summary())
        return run

    cases = {
        "xlsx, XFD cell per row (declared size)": (dry_run("breit.xlsx", wide_workbook()), TARGET_REFUSE_S),
        "xlsx, XFD cell per row (no declared size)": (dry_run("breit.xlsx", wide_workbook(declared=False)),
                                                      TARGET_REFUSE_S),
        "CSV, 5,000 rows": (dry_run("gross.csv", largest_csv()), TARGET_LARGEST_S),
        "CSV, 5,001 rows": (dry_run("zu-gross.csv", largest_csv(uploads.MAX_ROWS + 1)), TARGET_REFUSE_S),
        "GeoJSON nested 100,000 deep": (dry_run("tief.geojson", b"[" * 100_000), TARGET_REFUSE_S),
    }
    for label, (action, target) in cases.items():
        seconds, peak, outcome = timed(action, args.runs)
        verdict = "ok" if seconds <= target else f"SLOWER than {target} s"
        print(f"{label}: {seconds:.2f} s, peak {peak:.0f} MB ({verdict}) – {outcome[:100]}")
    store.close()


if __name__ == "__main__":
    main()
