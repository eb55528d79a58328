"""Benchmark of the exports (not a test): prints seconds per export, best of a few runs.

Run from the repository root: ``python -m bench.bench_export [--runs 3]``. The issue's target is
the all-areas PDF in under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from geo import dataset, layers
from reports import export

TARGET_ALL_SHEETS_S = 10.0


def timed(make, runs: int) -> tuple[float, float, int]:
    """(seconds of the first call, best seconds, size in bytes) of ``runs`` calls."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(make())
        times.append(time.perf_counter() - start)
    return times[0], min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    reference = dataset.load_reference()
    tables = layers.read_seed(gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))
    print(f"CPU cores: {os.cpu_count()} · loading boundaries and seed data: {time.perf_counter() - start:.2f} s")
    stand = dt.date(2024, 7, 31)
    start = time.perf_counter()
    data = export.prepare(stand, reference, tables, 600)
    print(f"prepare (coverage, Fill) at {stand}: {time.perf_counter() - start:.2f} s")
    cases = [
        ("Karte PNG 1920×1080", lambda: export.map_png(data)),
        ("Karte PNG A4 300 dpi", lambda: export.map_png(data, "a4")),
        ("Karte PDF A4", lambda: export.map_pdf(data)),
        ("Interaktive Karte HTML", lambda: export.interactive_html(data).encode()),
        ("Steckbrief VG Alzey-Land (1 Seite)", lambda: export.fact_sheet_pdf(data, "073315001")),
        ("Steckbriefe aller Gebiete (8 Seiten)", lambda: export.fact_sheets_pdf(data)),
    ]
    results = {}
    for name, make in cases:
        first, seconds, size = timed(make, args.runs)
        results[name] = max(first, seconds)
        print(f"{name:40s} {seconds:6.2f} s (erster Lauf {first:5.2f} s)  {size / 1024:6.0f} KB")
    all_sheets = results["Steckbriefe aller Gebiete (8 Seiten)"]  # the slower of first and best run
    verdict = "OK" if all_sheets < TARGET_ALL_SHEETS_S else "ZU LANGSAM"
    print(f"Ziel: alle Steckbriefe < {TARGET_ALL_SHEETS_S:.0f} s → {all_sheets:.2f} s: {verdict}")


if __name__ == "__main__":
    main()
