"""Who is responsible where: the parents' contact card and the coordinators' panel (area, Gemeinde, Kita).

The parents' card (:func:`parent_card`) names whom to call: the responsible Kita-Sozialarbeiterin(nen) by
work name or role with work phone and e-mail, the Kita's own phone, and the coordination at the
Kreisverwaltung; no staff or child counts. :func:`build_panel` adds the area's figures for the
coordinators' fact sheets. Staff contacts are work contacts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kita.coverage import CLASSES, active_positions
from kita.i18n import N_, text
from kita.text import sort_key

# The fixed explanatory texts of the shipped contact rows (data/seed/kontakte.csv: the coordination's role and
# note, the parents' first route via their Kita) in every parents' language, from the catalogue: (row id, column)
# -> catalogue id. The seed is written from the German texts (geo/build/demo_data.py). A row whose text the
# coordination has rewritten on the Daten page shows that text as written, in every language.
CONTACT_TEXTS = {
    ("koordination", "rolle"): N_("contact_role_koordination"),
    ("koordination", "hinweis"): N_("contact_note_koordination"),
    ("kita", "hinweis"): N_("contact_note_kita"),
}


def gemeinde_title(name: str, bez: str = "", lang: str = "de") -> str:
    """'Stadt Alzey', 'Gemeinde Armsheim' (in ``lang``): how a card names the Gemeinde of an Ortsteil."""
    key = N_("place_town") if bez == "Stadt" else N_("place_municipality")
    return text(key, lang, name=name)


def contact_in_language(contact: dict, lang: str) -> dict:
    """A contact row with its fixed texts (role, note) in ``lang`` while they are the shipped German ones;
    names, organisations and contact details as they are."""
    translated = dict(contact)
    for (row_id, column), key in CONTACT_TEXTS.items():
        if contact.get("id") == row_id and str(contact.get(column) or "").strip() == text(key, "de"):
            translated[column] = text(key, lang)
    return translated


@dataclass
class Panel:
    """Everything the contact panel shows, for one selection."""

    title: str
    gebiet_rs: str
    gebiet: str
    klasse: str
    klasse_label: str
    vze: float
    kinder: int
    subtitle: str = ""  # e.g. 'Gemeinde Flonheim' or the Kita's address
    kitas: list[dict] = field(default_factory=list)  # name, ort, versorgt, traeger, telefon, email, web, demo
    fachkraefte: list[dict] = field(default_factory=list)  # bezeichnung, vze, telefon, email, demo
    kontakte: list[dict] = field(default_factory=list)
    gemeinden: list[str] = field(default_factory=list)
    demo: bool = False


def _staff(positions: pd.DataFrame) -> list[dict]:
    if "besetzt" in positions.columns:  # a planned position is shown to parents only once it is filled
        positions = positions[positions["besetzt"].astype(bool)]
    columns = ["id", "bezeichnung", "vze", "telefon", "email", "demo"]
    return positions[columns].sort_values("bezeichnung", key=lambda s: s.map(sort_key)).to_dict("records")


def _kita_rows(kitas: pd.DataFrame) -> list[dict]:
    columns = ["id", "name", "traeger", "strasse", "plz", "ort", "telefon", "email", "web", "versorgt", "demo"]
    return kitas[columns].sort_values("name", key=lambda s: s.map(sort_key)).to_dict("records")


def build_panel(
    stand: dt.date,
    coverage: pd.DataFrame,
    kitas_covered: pd.DataFrame,
    positions: pd.DataFrame,
    contacts: pd.DataFrame,
    gemeinden: pd.DataFrame,
    *,
    gebiet_rs: str,
    gemeinde_rs: str = "",
    kita_id: str = "",
) -> Panel:
    """The panel for an area, narrowed to a Gemeinde or a single Kita when given.

    ``coverage`` is coverage_at(stand) and ``kitas_covered`` kita_coverage(stand).
    """
    area = coverage.set_index("gebiet_rs").loc[gebiet_rs]
    active = active_positions(positions, stand)
    in_area = active[active["gebiet_rs"] == gebiet_rs]
    area_kitas = kitas_covered[kitas_covered["gemeinde_rs"].str[:9] == gebiet_rs]
    title, subtitle, shown_kitas, staff = area["gebiet"], "", area_kitas, in_area
    if kita_id:
        kita = kitas_covered.set_index("id").loc[kita_id]
        title = kita["name"]
        subtitle = ", ".join(x for x in [kita["strasse"], f"{kita['plz']} {kita['ort']}".strip()] if x)
        shown_kitas = kitas_covered[kitas_covered["id"] == kita_id]
        staff = active[active["id"].isin(kita["fachkraefte"])]
    elif gemeinde_rs:
        name = gemeinden.set_index("gemeinde_rs").loc[gemeinde_rs, "gemeinde"]
        title, subtitle = name, f"Gemeinde in {area['gebiet']}"
        shown_kitas = area_kitas[area_kitas["gemeinde_rs"] == gemeinde_rs]
        if len(shown_kitas):  # the positions serving this Gemeinde's Kitas
            ids = {pid for ids in shown_kitas["fachkraefte"] for pid in ids}
            staff = active[active["id"].isin(ids)]
    names = gemeinden.loc[gemeinden["gebiet_rs"] == gebiet_rs, "gemeinde"].tolist()
    demo = bool(shown_kitas["demo"].any() or staff["demo"].any())
    return Panel(
        title=title,
        subtitle=subtitle,
        gebiet_rs=gebiet_rs,
        gebiet=area["gebiet"],
        klasse=area["klasse"],
        klasse_label=CLASSES[area["klasse"]].label,
        vze=float(area["vze"]),
        kinder=int(area["kinder"]),
        kitas=_kita_rows(shown_kitas),
        fachkraefte=_staff(staff),
        kontakte=contacts.to_dict("records"),
        gemeinden=sorted(names, key=sort_key),
        demo=demo,
    )



@dataclass
class Card:
    """The parents' contact card for one selection: whom to call, without figures."""

    title: str  # 'Dautenheim, Stadt Alzey', 'Flonheim', a Kita's name or an area
    subtitle: str  # the area ('VG Alzey-Land'), for a Kita its address and area
    gebiet_rs: str
    gebiet: str
    staff: list[dict] = field(default_factory=list)  # bezeichnung, telefon, email, demo
    kita: dict | None = None  # the selected Kita: name, strasse, plz, ort, telefon, email, web, versorgt, demo
    kitas: list[dict] = field(default_factory=list)  # the Kitas of the selected Gemeinde
    coordination: list[dict] = field(default_factory=list)  # name, rolle, organisation, telefon, email, web, hinweis
    demo: bool = False


def _area_subtitle(area_name: str) -> str:
    """The area under a place's name: 'VG Alzey-Land'; nothing for the verbandsfreie Stadt Alzey itself."""
    return "" if area_name.startswith("Stadt ") else area_name


def parent_card(
    stand: dt.date,
    kitas_covered: pd.DataFrame,
    positions: pd.DataFrame,
    contacts: pd.DataFrame,
    gemeinden: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    gebiet_rs: str,
    gemeinde_rs: str = "",
    ortsteil: str = "",
    kita_id: str = "",
    lang: str = "de",
) -> Card:
    """The card for an area, a Gemeinde (optionally named by its Ortsteil, 'Dautenheim, Stadt Alzey' with the
    words in ``lang``) or a Kita.

    Staff: for a Kita the positions serving it; for a Gemeinde those serving its Kitas (all of the area's
    when it has no Kita); for an area all active positions there. ``kitas_covered`` is kita_coverage(stand).
    """
    area_name = areas.set_index("gebiet_rs").loc[gebiet_rs, "gebiet"]
    active = active_positions(positions, stand)
    staff = active[active["gebiet_rs"] == gebiet_rs]
    title, subtitle, kita, kitas = area_name, "", None, kitas_covered.iloc[0:0]
    if kita_id:
        row = kitas_covered.set_index("id").loc[kita_id]
        kita = _kita_rows(kitas_covered[kitas_covered["id"] == kita_id])[0]
        title = row["name"]
        address = ", ".join(x for x in [row["strasse"], f"{row['plz']} {row['ort']}".strip()] if x)
        subtitle = " · ".join(x for x in [address, _area_subtitle(area_name)] if x)
        staff = active[active["id"].isin(row["fachkraefte"])]
    elif gemeinde_rs:
        gemeinde = gemeinden.set_index("gemeinde_rs").loc[gemeinde_rs]
        bez = gemeinde["BEZ"] if "BEZ" in gemeinde else ""
        title = f"{ortsteil}, {gemeinde_title(gemeinde['gemeinde'], bez, lang)}" if ortsteil else gemeinde["gemeinde"]
        subtitle = _area_subtitle(area_name)
        kitas = kitas_covered[kitas_covered["gemeinde_rs"] == gemeinde_rs]
        if len(kitas):
            ids = {pid for ids in kitas["fachkraefte"] for pid in ids}
            staff = active[active["id"].isin(ids)]
    coordination = [contact_in_language(c, lang) for c in contacts[contacts["id"] != "kita"].to_dict("records")]
    demo = bool(staff["demo"].any() or (kita is not None and kita["demo"]) or kitas["demo"].any())
    return Card(
        title=title, subtitle=subtitle, gebiet_rs=gebiet_rs, gebiet=area_name,
        staff=[{k: v for k, v in person.items() if k != "vze"} for person in _staff(staff)], kita=kita, kitas=_kita_rows(kitas), coordination=coordination, demo=demo,
    )
