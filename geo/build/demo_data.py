"""Generate the shipped demo data set in ``data/seed/`` (run: ``python -m geo.build.demo_data``).

Kita names, places, children counts per Kita, the staff split and the social indicators are
invented (every row has ``demo=true``) until the Kreisverwaltung supplies real lists. They are
derived from published figures so that they add up like the real district:

- inhabitants per Gemeinde: ``data/reference/einwohner_gemeinden.csv`` (published tables, cited per row);
- children under 7 = inhabitants x ``SHARE_UNDER_7`` (an explicit assumption, see below);
- a Kita in every Gemeinde with at least ``MIN_INHABITANTS_FOR_KITA`` inhabitants (small villages too), one
  per ``INHABITANTS_PER_KITA``; where the number of Kitas of an area is published (VG Alzey-Land: 17, its
  Bürgerbroschüre) single-Kita Gemeinden lose theirs until the area has that number, smaller ones more likely
  (order: inhabitants x a fixed pseudo-random factor 0.5–1.5), as villages often share a neighbour's Kita;
- children in Kitas and places add up exactly to the district's published totals (5,267 filled and 6,049
  approved places at the start of 2020, facts ``kita_plaetze_belegt_2020`` / ``kita_plaetze_2020``
  in ``data/reference/fakten.csv``), spread by each Kita-Gemeinde's children under 7 (largest remainders).

Real: the Gemeinden and their keys (BKG VG250), 12 Kita-Sozialarbeiterinnen before summer 2024 in
six areas and none in VG Monsheim (press release), the coordinator's name and info page.
Phone numbers of demo positions and Kitas come only from the Bundesnetzagentur's never-assigned block for
fiction (see ``drama_number`` and ``data/seed/SOURCE.md``); e-mail addresses use the reserved ``.example``.
The output is deterministic: same inputs, same files.
"""

from __future__ import annotations

import hashlib
import math

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from kita import constants
from kita.constants import METRIC_CRS, OUTPUT_CRS
from kita.contacts import CONTACT_TEXTS
from kita.i18n import text
from geo.reference import PLZ_FILE, fact_value, reference_file, load_facts, load_population

# A build script (run from the command line, never imported by the app) takes the data folder when loaded.
BOUNDARY_DIR = constants.data_folder().boundaries
SEED_DIR = constants.data_folder().seed

# Assumption, not a published figure for the district: children under 7 are about 6.6 % of the
# population (German average, rounded). Replace by the Statistisches Landesamt's age groups.
SHARE_UNDER_7 = 0.066
MIN_INHABITANTS_FOR_KITA = 300  # the smallest villages send their children to a neighbour's Kita
INHABITANTS_PER_KITA = 1_600
# Areas whose number of Kitas is published: area key -> fact id in data/reference/fakten.csv.
PUBLISHED_KITA_COUNTS = {"073315001": "kitas_alzey_land"}
DEMO_SOURCE = "Schätzung (Beispieldaten): Einwohner je Gemeinde (data/reference/einwohner_gemeinden.csv) × 6,6 % unter 7 Jahren"

AREA_SHORT = {
    "073310003": "Stadt Alzey", "073315001": "VG Alzey-Land", "073315002": "VG Eich",
    "073315003": "VG Monsheim", "073315005": "VG Wöllstein", "073315006": "VG Wörrstadt",
    "073315007": "VG Wonnegau",
}
# (area, FTE, start, end): 12 positions before summer 2024, none in Monsheim (press release);
# the split per area and the FTE are invented (chosen so that VG Wonnegau stays unterversorgt after summer
# 2024 and the planner has something to do). Additions from summer 2024 start 2024-08-01 (assumed date).
POSITIONS = [
    ("073310003", 0.75, "2022-01-01", ""), ("073310003", 0.75, "2022-01-01", ""),
    ("073310003", 0.5, "2022-07-01", ""),
    ("073315001", 0.75, "2022-01-01", ""), ("073315001", 0.5, "2022-07-01", ""),
    ("073315002", 0.75, "2022-01-01", ""),
    ("073315005", 0.5, "2022-01-01", ""), ("073315005", 0.5, "2022-07-01", ""),
    ("073315006", 1.0, "2022-01-01", ""), ("073315006", 0.75, "2022-07-01", ""),
    ("073315007", 0.75, "2022-01-01", ""), ("073315007", 0.5, "2022-07-01", ""),
    ("073315003", 1.0, "2024-08-01", ""), ("073315001", 1.0, "2024-08-01", ""),
    ("073315002", 0.5, "2024-08-01", ""), ("073315006", 0.75, "2024-08-01", ""),
]
# "{kommune}" is "Stadt Alzey" for the three towns (VG250 BEZ "Stadt"), else "Gemeinde Albig".
TRAEGER = ["{kommune}", "Ev. Kirchengemeinde {ort}", "Kath. Kirchengemeinde {ort}"]
# Demo phone numbers only from the Bundesnetzagentur's "Drama-Rufnummern" for film, TV and fiction
# (Mitteilung Nr. 148/2021, Amtsblatt 7/2021): Berlin (0)30 23125 000–999 are never assigned to anyone, so a
# parent who dials a demo number reaches no real person. Positions get 100–199, Kitas 500–999
# (data/seed/SOURCE.md). The coordinator's real contact route stays the Kreis's info page, without a number.
DRAMA_NUMBER_PREFIX = "030 23125"
DRAMA_FIRST_POSITION, DRAMA_FIRST_KITA = 100, 500


def drama_number(serial: int) -> str:
    """'030 23125 101': a number of the Bundesnetzagentur's never-assigned block for fiction (000–999)."""
    if not 0 <= serial <= 999:
        raise ValueError(f"Drama-Rufnummer {serial} außerhalb von 000–999")
    return f"{DRAMA_NUMBER_PREFIX} {serial:03d}"


def _stable_fraction(text: str) -> float:
    """A number in [0, 1) derived from text, so the demo data do not depend on random state."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def gemeinde_figures(gemeinden: gpd.GeoDataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Demo estimates per Gemeinde: children under 7 (from published inhabitants) and two social indicators."""
    inhabitants = gemeinden["RS"].map(population.set_index("gemeinde_rs")["einwohner"])
    if inhabitants.isna().any():
        missing = ", ".join(gemeinden.loc[inhabitants.isna(), "GEN"])
        raise ValueError(f"Einwohnerzahl fehlt für: {missing}")
    figures = pd.DataFrame(
        {
            "gemeinde_rs": gemeinden["RS"],
            "gemeinde": gemeinden["GEN"],
            "kinder_u7": (inhabitants * SHARE_UNDER_7).round().astype(int),
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
    figures["quelle"] = DEMO_SOURCE
    figures["demo"] = True
    return figures


def kitas_per_gemeinde(inhabitants: int) -> int:
    """How many demo Kitas a Gemeinde of this size gets before an area's published count is applied."""
    if inhabitants < MIN_INHABITANTS_FOR_KITA:
        return 0
    return max(1, round(inhabitants / INHABITANTS_PER_KITA))


def kita_counts(population: pd.DataFrame, published: dict[str, int]) -> dict[str, int]:
    """Demo Kitas per Gemeinde (12-digit RS). An area with a published number of Kitas gets exactly that many:
    single-Kita Gemeinden lose theirs, smaller ones more likely: ordered by inhabitants x a fixed pseudo-random
    factor between 0.5 and 1.5, so a small village may keep its Kita while a larger one shares a neighbour's."""
    inhabitants = {row.gemeinde_rs: int(row.einwohner) for row in population.itertuples()}
    counts = {rs: kitas_per_gemeinde(n) for rs, n in inhabitants.items()}
    for area, wanted in published.items():
        members = sorted(rs for rs in counts if rs.startswith(area))
        surplus = sum(counts[rs] for rs in members) - wanted
        if surplus < 0:
            raise ValueError(f"Gebiet {area}: {wanted} Kitas veröffentlicht, die Regel ergibt weniger")
        singles = sorted((rs for rs in members if counts[rs] == 1), key=lambda rs: inhabitants[rs] * (0.5 + _stable_fraction("ohne" + rs)))
        if surplus > len(singles):
            raise ValueError(f"Gebiet {area}: {wanted} Kitas veröffentlicht, zu wenige Gemeinden mit einer Kita")
        for rs in singles[:surplus]:
            counts[rs] = 0
    return counts


def apportion(total: int, weights: list[float]) -> list[int]:
    """Whole numbers proportional to ``weights`` that add up to exactly ``total`` (largest remainders)."""
    quotas = [total * w / sum(weights) for w in weights]
    shares = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


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


def kitas_table(
    gemeinden: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    population: pd.DataFrame,
    plz: pd.DataFrame,
    children_total: float,
    places_total: float,
    published_counts: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Demo Kitas whose children and places add up exactly to the published district totals."""
    metric = gemeinden.to_crs(METRIC_CRS).set_index("RS")
    towns = set(gemeinden.loc[gemeinden["BEZ"].eq("Stadt"), "RS"])
    first_plz = plz.groupby("gemeinde_rs")["plz"].first()
    counts = kita_counts(population, published_counts or {})
    rows, weights = [], []
    for fig in figures.itertuples():
        count = counts[fig.gemeinde_rs]
        if not count:
            continue
        kommune = f"{'Stadt' if fig.gemeinde_rs in towns else 'Gemeinde'} {fig.gemeinde}"
        points = gpd.GeoSeries(_places_inside(metric.loc[fig.gemeinde_rs, "geometry"], count), crs=METRIC_CRS)
        for i, point in enumerate(points.to_crs(OUTPUT_CRS), start=1):
            suffix = f" {i}" if count > 1 else ""
            traeger = TRAEGER[int(_stable_fraction(f"{fig.gemeinde_rs}{i}") * len(TRAEGER))]
            # Children of Kita-less villages go to neighbours' Kitas: the district total is spread
            # over the Kita-Gemeinden by their children under 7.
            weights.append(fig.kinder_u7 / count)
            rows.append(
                {
                    "id": f"K{fig.gemeinde_rs[-6:]}{i:02d}",
                    "name": f"Kita {fig.gemeinde}{suffix} (Beispiel)",
                    "traeger": traeger.format(kommune=kommune, ort=fig.gemeinde),
                    "strasse": "",
                    "plz": str(first_plz[fig.gemeinde_rs]),
                    "ort": fig.gemeinde,
                    "gemeinde_rs": fig.gemeinde_rs,
                    "lat": round(point.y, 5),
                    "lon": round(point.x, 5),
                    "kinder": 0,
                    "plaetze": 0,
                    "telefon": drama_number(DRAMA_FIRST_KITA + len(rows)),
                    "email": "",
                    "web": "",
                    "sozialraum": _stable_fraction("sr" + fig.gemeinde_rs + str(i)) < 0.15,
                    "interkulturell": fig.anteil_nichtdeutsche_familiensprache > 0.28,
                    "demo": True,
                }
            )
    kitas = pd.DataFrame(rows)
    kitas["kinder"] = apportion(int(children_total), weights)
    kitas["plaetze"] = apportion(int(places_total), kitas["kinder"].tolist())
    return kitas


def positions_table() -> pd.DataFrame:
    rows, numbers = [], {}
    for serial, (area, fte, start, end) in enumerate(POSITIONS, start=DRAMA_FIRST_POSITION):
        numbers[area] = numbers.get(area, 0) + 1
        number = numbers[area]
        slug = AREA_SHORT[area].lower().replace("vg ", "vg-").replace("stadt ", "stadt-")
        slug = slug.replace("ö", "oe").replace("ü", "ue").replace("ä", "ae")
        rows.append(
            {
                "id": f"F{area[-4:]}{number:02d}",
                "bezeichnung": f"Kita-Sozialarbeit {AREA_SHORT[area]}, Stelle {number}",
                "vze": fte,
                "telefon": drama_number(serial),
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
                "rolle": text(CONTACT_TEXTS["koordination", "rolle"]),
                "name": "Katrin Leisenheimer",
                "organisation": "Kreisverwaltung Alzey-Worms",
                "telefon": "",
                "email": "",
                "web": "https://s.rlp.de/kita-sozialarbeit",
                "hinweis": text(CONTACT_TEXTS["koordination", "hinweis"]),
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
                "hinweis": text(CONTACT_TEXTS["kita", "hinweis"]),
                "demo": False,
            },
        ]
    )


def main() -> None:
    gemeinden = gpd.read_file(BOUNDARY_DIR / "gemeinden.geojson").sort_values("RS").reset_index(drop=True)
    plz = pd.read_csv(reference_file(PLZ_FILE), dtype=str)
    population = load_population()
    facts = load_facts()
    figures = gemeinde_figures(gemeinden, population)
    kitas = kitas_table(
        gemeinden, figures, population, plz,
        children_total=fact_value(facts, "kita_plaetze_belegt_2020"),
        places_total=fact_value(facts, "kita_plaetze_2020"),
        published_counts={area: int(fact_value(facts, fact)) for area, fact in PUBLISHED_KITA_COUNTS.items()},
    )
    SEED_DIR.mkdir(parents=True, exist_ok=True)
    figures.to_csv(SEED_DIR / "gemeinden_kennzahlen.csv", index=False)
    kitas.to_csv(SEED_DIR / "kitas.csv", index=False)
    positions_table().to_csv(SEED_DIR / "fachkraefte.csv", index=False)
    contacts_table().to_csv(SEED_DIR / "kontakte.csv", index=False)
    print(f"Beispieldaten nach {SEED_DIR} geschrieben.")


if __name__ == "__main__":
    main()
