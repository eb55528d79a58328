"""Who is responsible where: the contact panel for an area, a Gemeinde or a Kita.

Parents' usual route: ask their Kita, which knows its Kita-Sozialarbeiterin; second route: the
coordination at the Kreisverwaltung. Staff contacts are work contacts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from geo.coverage import CLASSES, active_positions
from geo.text import sort_key


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

