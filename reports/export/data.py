"""What every export shows for one date: :func:`prepare` computes it with the same coverage rule
(coverage_at) and the same :class:`geo.maps.Fill` as the web map, so exports agree with the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd

from geo.dataset import Reference
from geo.layers import uses_demo_data
from geo.maps import Fill, coverage_fill
from kita import constants
from kita.constants import METRIC_CRS, OUTPUT_CRS
from kita.coverage import coverage_at, kita_coverage, rule_text
from kita.i18n import text
from kita.text import date, fold


def default_title(lang: str = "de") -> str:
    """The exports' title unless the presenter types one."""
    return text("export_default_title", lang)


def demo_note(lang: str = "de") -> str:
    """The note every export with sample data prints."""
    return text("export_demo_note", lang)


Progress = Callable[[float, str], None]  # (fraction done 0..1, German message)


@dataclass
class ExportData:
    """Everything an export shows for one date. Layers in EPSG:4326 as loaded; ``*_metric`` in EPSG:25832."""

    stand: dt.date
    areas: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    district: gpd.GeoDataFrame
    coverage: pd.DataFrame  # coverage_at(stand)
    kitas: pd.DataFrame  # kita_coverage(stand)
    positions: pd.DataFrame
    contacts: pd.DataFrame
    fill: Fill  # coverage_fill(coverage): the web map's colours and legend
    title: str
    subtitle: str
    attribution: str  # credit line: '© GeoBasis-DE / BKG (2017), VG250, Stand 2017-03, GeoNutzV (https://…), vereinfacht, …'
    boundary_stand: str
    rule: str
    demo: bool
    data_stand: str = ""  # when the operational data were last changed (not the date the map shows)
    lang: str = "de"  # the language of every fixed text of the export

    @cached_property
    def areas_metric(self) -> gpd.GeoDataFrame:
        return self.areas.to_crs(METRIC_CRS)

    @cached_property
    def gemeinden_metric(self) -> gpd.GeoDataFrame:
        return self.gemeinden.to_crs(METRIC_CRS)

    @cached_property
    def district_metric(self) -> gpd.GeoDataFrame:
        return self.district.to_crs(METRIC_CRS)

    @cached_property
    def kitas_metric(self) -> gpd.GeoDataFrame:
        points = gpd.GeoDataFrame(
            self.kitas.copy(), geometry=gpd.points_from_xy(self.kitas["lon"], self.kitas["lat"]), crs=OUTPUT_CRS
        ).to_crs(METRIC_CRS)
        points["gebiet_rs"] = points["gemeinde_rs"].str[:9]
        return points

    def footer_line(self) -> str:
        """The source line for an export that prints demo_note() with demo data (so "Beispieldaten" appears once)."""
        return self.source_line(operational=not self.demo)

    def source_line(self, with_stand: bool = True, operational: bool = True) -> str:
        """The map's date, the data stand and the sources, each once, printed on every export
        (``with_stand=False`` where the date is shown elsewhere, e.g. on a slide; ``operational=False`` where
        the demo note itself says where Kitas and positions come from)."""
        lang = self.lang
        # the credit names VG250, stand, licence and changes
        boundaries = text("export_line_boundaries", lang, quelle=self.attribution)
        source = text("source_demo", lang) if self.demo else constants.district().administration
        parts = [text("export_line_stand", lang, stand=date(self.stand, lang))] if with_stand else []
        if self.data_stand:
            parts.append(text("export_line_data_stand", lang, stand=self.data_stand))
        operational_part = [text("export_line_operational", lang, quelle=source)] if operational else []
        return " · ".join([*parts, boundaries, *operational_part])


def prepare(
    stand: dt.date,
    reference: Reference,
    tables: dict[str, pd.DataFrame],
    max_children_per_fte: float,
    title: str | None = None,
    subtitle: str | None = None,
    data_stand: str = "",
    lang: str = "de",
    attribution: str | None = None,
) -> ExportData:
    """The export inputs at ``stand``: coverage and colours computed exactly as for the web map; fixed texts in
    ``lang`` (``attribution``: the boundary credit in that language, default the reference's German one)."""
    coverage = coverage_at(stand, reference.areas, tables["kitas"], tables["fachkraefte"], max_children_per_fte)
    return ExportData(
        stand=stand,
        areas=reference.areas,
        gemeinden=reference.gemeinden,
        district=reference.district,
        coverage=coverage,
        kitas=kita_coverage(stand, tables["kitas"], tables["fachkraefte"]),
        positions=tables["fachkraefte"],
        contacts=tables["kontakte"],
        fill=coverage_fill(coverage, lang=lang),
        title=(title or "").strip() or default_title(lang),
        subtitle=(subtitle or "").strip() or default_subtitle(stand, lang),
        attribution=attribution or reference.credit,
        boundary_stand=reference.boundary_stand,
        rule=rule_text(max_children_per_fte, lang),
        demo=uses_demo_data(tables),
        data_stand=data_stand,
        lang=lang,
    )


def default_subtitle(stand: dt.date, lang: str = "de") -> str:
    """The exports' subtitle unless the presenter types one."""
    return text("export_default_subtitle", lang, stand=date(stand, lang))


def file_name(kind: str, data: ExportData, gebiet: str = "") -> str:
    """A readable ASCII file name, e.g. 'kita-sozialarbeit_karte_2024-08-01.png'."""
    part = f"_{fold(gebiet).replace(' ', '-')}" if gebiet else ""
    extension = {"png": "png", "png_a4": "png", "pdf": "pdf", "html": "html", "steckbrief": "pdf",
                 "steckbriefe": "pdf"}[kind]
    label = {"png": "karte", "png_a4": "karte_a4_300dpi", "pdf": "karte", "html": "karte_interaktiv",
             "steckbrief": "steckbrief", "steckbriefe": "steckbriefe_alle_gebiete"}[kind]
    return f"kita-sozialarbeit_{label}{part}_{data.stand.isoformat()}.{extension}"
