"""Generate the shipped demo data set in ``data/seed/`` (run: ``python -m geo.build.demo_data``).

Nothing here is from a real list: Kita names, places, children counts and staff split are
invented (every row has ``demo=true``) until the Kreisverwaltung supplies real lists. What *is*
real: the Gemeinden and their keys (BKG VG250), the number of positions before summer 2024
(12, none in VG Monsheim, press release) and the coordinator's name and info page.
The output is deterministic: same boundaries, same files.
"""

from __future__ import annotations

import hashlib
import math

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.constants import BOUNDARY_DIR, METRIC_CRS, OUTPUT_CRS, SEED_DIR

DISTRICT_POPULATION = 129_244  # Destatis GV-ISys, 31.12.2018 (npm landkreise-deutschland)
SHARE_UNDER_7 = 0.066  # rough share of children under 7 in the population (estimate)
SHARE_IN_KITA = 0.75  # of children under 7 attending a Kita (estimate)
MIN_CHILDREN_FOR_KITA = 30  # smaller villages send their children to a neighbour's Kita
CHILDREN_PER_KITA = 110

# Rough inhabitant weights for the larger places; every other Gemeinde counts 600. Only used to
# spread the district total: the results are estimates and flagged demo.
POPULATION_WEIGHTS = {
    "Alzey": 19_000, "Osthofen": 9_700, "Wörrstadt": 8_000, "Saulheim": 7_700, "Wöllstein": 4_600,
    "Gau-Odernheim": 4_200, "Westhofen": 3_600, "Eich": 3_500, "Gimbsheim": 3_200,
    "Flörsheim-Dalsheim": 3_200, "Albig": 2_900, "Alsheim": 2_900, "Monsheim": 2_700,
    "Flonheim": 2_600, "Armsheim": 2_500, "Hamm am Rhein": 2_300, "Dittelsheim-Heßloch": 2_100,
    "Bechtheim": 1_900, "Gau-Bickelheim": 1_900, "Offstein": 1_900, "Framersheim": 1_800,
    "Bechtolsheim": 1_800, "Wallertheim": 1_800, "Schornsheim": 1_700, "Mettenheim": 1_400,
    "Partenheim": 1_400, "Udenheim": 1_300, "Siefersheim": 1_300, "Erbes-Büdesheim": 1_300,
    "Eppelsheim": 1_300, "Wachenheim": 1_100, "Sulzheim": 1_000,
}
DEFAULT_WEIGHT = 600

AREA_SHORT = {
    "073310003": "Stadt Alzey", "073315001": "VG Alzey-Land", "073315002": "VG Eich",
    "073315003": "VG Monsheim", "073315005": "VG Wöllstein", "073315006": "VG Wörrstadt",
    "073315007": "VG Wonnegau",
}
# (area, FTE, start, end): 12 positions before summer 2024, none in Monsheim (press release);
# the split per area and the FTE are invented. Additions from summer 2024 start 2024-08-01.
POSITIONS = [
    ("073310003", 0.75, "2022-01-01", ""), ("073310003", 0.75, "2022-01-01", ""),
    ("073310003", 0.5, "2022-07-01", ""),
    ("073315001", 0.75, "2022-01-01", ""), ("073315001", 0.5, "2022-07-01", ""),
    ("073315002", 0.75, "2022-01-01", ""),
    ("073315005", 0.5, "2022-01-01", ""), ("073315005", 0.5, "2022-07-01", ""),
    ("073315006", 1.0, "2022-01-01", ""), ("073315006", 0.75, "2022-07-01", ""),
    ("073315007", 0.75, "2022-01-01", ""), ("073315007", 0.75, "2022-07-01", ""),
    ("073315003", 1.0, "2024-08-01", ""), ("073315001", 1.0, "2024-08-01", ""),
    ("073315002", 0.5, "2024-08-01", ""), ("073315006", 0.75, "2024-08-01", ""),
]
TRAEGER = ["Gemeinde {ort}", "Ev. Kirchengemeinde {ort}", "Kath. Kirchengemeinde {ort}"]


def _stable_fraction(text: str) -> float:
    """A number in [0, 1) derived from text, so the demo data do not depend on random state."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def gemeinde_figures(gemeinden: gpd.GeoDataFrame) -> pd.DataFrame:
    """Demo estimates per Gemeinde: children under 7 and two social indicators."""
    weights = gemeinden["GEN"].map(POPULATION_WEIGHTS).fillna(DEFAULT_WEIGHT)
    population = weights / weights.sum() * DISTRICT_POPULATION
    figures = pd.DataFrame(
        {
            "gemeinde_rs": gemeinden["RS"],
            "gemeinde": gemeinden["GEN"],
            "kinder_u7": (population * SHARE_UNDER_7).round().astype(int),
            # Share of children under 7 in Bürgergeld households, and with a non-German family language.
            "anteil_buergergeld_u7": [round(0.04 + 0.12 * _stable_fraction("bg" + rs), 3) for rs in gemeinden["RS"]],
            "anteil_nichtdeutsche_familiensprache": [
                round(0.08 + 0.25 * _stable_fraction("ndh" + rs), 3) for rs in gemeinden["RS"]
            ],
        }
    )
    towns = gemeinden["BEZ"].eq("Stadt").to_numpy()
    figures.loc[towns, "anteil_buergergeld_u7"] += 0.05
    figures.loc[towns, "anteil_nichtdeutsche_familiensprache"] += 0.1
    figures["quelle"] = "Schätzung (Beispieldaten), Basis 129.244 Einwohner Destatis 31.12.2018"
    figures["demo"] = True
    return figures


def _places_inside(polygon, count: int) -> list[Point]:
    """Count points inside a polygon (EPSG:25832), spread around its representative point."""
    centre = polygon.representative_point()
    if count == 1:
        return [centre]
    points = []
    radius = 350.0
    for i in range(count):
        angle = 2 * math.pi * i / count
        candidate = Point(centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle))
        points.append(candidate if polygon.contains(candidate) else centre.buffer(30 * (i + 1)).exterior.interpolate(0))
    return points


def kitas_table(gemeinden: gpd.GeoDataFrame, figures: pd.DataFrame, plz: pd.DataFrame) -> pd.DataFrame:
    metric = gemeinden.to_crs(METRIC_CRS).set_index("RS")
    first_plz = plz.groupby("gemeinde_rs")["plz"].first()
    rows = []
    for fig in figures.itertuples():
        if fig.kinder_u7 < MIN_CHILDREN_FOR_KITA:
            continue
        in_kita = fig.kinder_u7 * SHARE_IN_KITA
        count = max(1, round(in_kita / CHILDREN_PER_KITA))
        points = gpd.GeoSeries(_places_inside(metric.loc[fig.gemeinde_rs, "geometry"], count), crs=METRIC_CRS)
        for i, point in enumerate(points.to_crs(OUTPUT_CRS), start=1):
            suffix = f" {i}" if count > 1 else ""
            traeger = TRAEGER[int(_stable_fraction(f"{fig.gemeinde_rs}{i}") * len(TRAEGER))]
            rows.append(
                {
                    "id": f"K{fig.gemeinde_rs[-6:]}{i:02d}",
                    "name": f"Kita {fig.gemeinde}{suffix} (Beispiel)",
                    "traeger": traeger.format(ort=fig.gemeinde),
                    "strasse": "",
                    "plz": str(first_plz[fig.gemeinde_rs]),
                    "ort": fig.gemeinde,
                    "gemeinde_rs": fig.gemeinde_rs,
                    "lat": round(point.y, 5),
                    "lon": round(point.x, 5),
                    "kinder": round(in_kita / count),
                    "plaetze": int(math.ceil(in_kita / count / 5) * 5 + 5),
                    "telefon": "",
                    "email": "",
                    "web": "",
                    "sozialraum": _stable_fraction("sr" + fig.gemeinde_rs + str(i)) < 0.15,
                    "interkulturell": fig.anteil_nichtdeutsche_familiensprache > 0.28,
                    "demo": True,
                }
            )
    return pd.DataFrame(rows)


def positions_table() -> pd.DataFrame:
    rows, numbers = [], {}
    for area, fte, start, end in POSITIONS:
        numbers[area] = numbers.get(area, 0) + 1
        number = numbers[area]
        slug = AREA_SHORT[area].lower().replace("vg ", "vg-").replace("stadt ", "stadt-")
        slug = slug.replace("ö", "oe").replace("ü", "ue").replace("ä", "ae")
        rows.append(
            {
                "id": f"F{area[-4:]}{number:02d}",
                "bezeichnung": f"Kita-Sozialarbeit {AREA_SHORT[area]}, Stelle {number}",
                "vze": fte,
                "telefon": "",
                # Reserved .example domain: cannot reach a real person by mistake.
                "email": f"stelle{number}.{slug}@kita-sozialarbeit.example",
                "gebiet_rs": area,
                "kitas": "",  # empty: all Kitas of the area
                "beginn": start,
                "ende": end,
                "demo": True,
            }
        )
    return pd.DataFrame(rows)


def contacts_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": "koordination",
                "rolle": "Koordination Kita-Sozialarbeit",
                "name": "Katrin Leisenheimer",
                "organisation": "Kreisverwaltung Alzey-Worms",
                "telefon": "",
                "email": "",
                "web": "https://s.rlp.de/kita-sozialarbeit",
                "hinweis": "Kontaktdaten und Ansprechpersonen je Verbandsgemeinde auf der Infoseite der Kreisverwaltung.",
                "demo": False,
            },
            {
                "id": "kita",
                "rolle": "Erster Weg für Eltern",
                "name": "Ihre Kita",
                "organisation": "",
                "telefon": "",
                "email": "",
                "web": "",
                "hinweis": "Fragen Sie in Ihrer Kita, wer die zuständige Kita-Sozialarbeiterin ist – die Kita stellt den Kontakt her.",
                "demo": False,
            },
        ]
    )


def main() -> None:
    gemeinden = gpd.read_file(BOUNDARY_DIR / "gemeinden.geojson").sort_values("RS").reset_index(drop=True)
    plz = pd.read_csv(SEED_DIR.parent / "reference" / "plz_gemeinden.csv", dtype=str)
    figures = gemeinde_figures(gemeinden)
    SEED_DIR.mkdir(parents=True, exist_ok=True)
    figures.to_csv(SEED_DIR / "gemeinden_kennzahlen.csv", index=False)
    kitas_table(gemeinden, figures, plz).to_csv(SEED_DIR / "kitas.csv", index=False)
    positions_table().to_csv(SEED_DIR / "fachkraefte.csv", index=False)
    contacts_table().to_csv(SEED_DIR / "kontakte.csv", index=False)
    print(f"Beispieldaten nach {SEED_DIR} geschrieben.")


if __name__ == "__main__":
    main()
