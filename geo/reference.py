"""Reference tables with their sources: the facts the app states, inhabitants per Gemeinde and the
PLZ that cross the district border. Read-only files in ``data/reference/``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.constants import DATA_DIR

REFERENCE_DIR = DATA_DIR / "reference"
FACTS_FILE = REFERENCE_DIR / "fakten.csv"
POPULATION_FILE = REFERENCE_DIR / "einwohner_gemeinden.csv"
PLZ_FILE = REFERENCE_DIR / "plz_gemeinden.csv"
FACT_COLUMNS = ["id", "was", "wer", "seit", "wert", "quelle", "datum", "url"]


def load_facts(path: Path = FACTS_FILE) -> pd.DataFrame:
    """Every real fact the app states, with who says it, since when, source, date and link."""
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in FACT_COLUMNS if column not in facts.columns]
    if missing:
        raise ValueError(f"Datei {path.name}: Spalte(n) fehlen: {', '.join(missing)}")
    return facts[FACT_COLUMNS]


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    """The number behind a fact (e.g. ``kita_plaetze_2020`` → 6049)."""
    row = facts.loc[facts["id"] == fact_id, "wert"]
    if row.empty or not row.iloc[0]:
        raise KeyError(f"Fakt {fact_id} hat keinen Zahlenwert in {FACTS_FILE.name}")
    return float(row.iloc[0])


def load_population(path: Path = POPULATION_FILE) -> pd.DataFrame:
    """Inhabitants per Gemeinde (12-digit RS) with date, kind (amtlich/veröffentlicht/Schätzung) and source."""
    population = pd.read_csv(path, dtype={"gemeinde_rs": str}, keep_default_na=False)
    population["einwohner"] = population["einwohner"].astype(int)
    return population


def border_plz(plz_table: pd.DataFrame) -> pd.DataFrame:
    """One row per PLZ that also covers places outside the district: PLZ, the other Kreis(e), those places."""
    crossing = plz_table[plz_table["auch_kreis"].fillna("").astype(str).str.strip() != ""]
    return crossing.drop_duplicates("plz")[["plz", "auch_kreis", "auch_orte"]].reset_index(drop=True)


def border_note(plz_table: pd.DataFrame, plz: str) -> str:
    """German sentence for a PLZ that crosses the district border ('' if it does not)."""
    rows = border_plz(plz_table)
    match = rows[rows["plz"].astype(str) == str(plz)]
    if match.empty:
        return ""
    row = match.iloc[0]
    return (
        f"Die PLZ {row['plz']} gilt auch außerhalb des Landkreises Alzey-Worms: {row['auch_orte']} "
        f"({row['auch_kreis']}). Die Karte zeigt nur die Gemeinden im Landkreis."
    )
