"""Fixed facts (CRS, attribution) and the configuration of the data: :func:`data_folder`.

The data folder is ``data/`` unless ``KITA_DATA_DIR`` names another one (e.g. another district built
with ``python -m geo.build.boundaries --kreis …``). Its ``kreis.toml`` says which district it holds:
name, regional key, area keys and bounding box; the code names no district. Both are read once, on first
use (not when a module is imported), into one object. The app's other settings: ``kita.settings``.
"""

import os
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from kita.errors import DataError

ROOT = Path(__file__).resolve().parent.parent

METRIC_CRS = "EPSG:25832"  # ETRS89 / UTM 32N: metres, for simplification and areas
OUTPUT_CRS = "EPSG:4326"  # WGS84 lon/lat: files, folium

ATTRIBUTION = "© GeoBasis-DE / BKG"


@dataclass(frozen=True)
class District:
    """The district a data folder describes (from its ``kreis.toml``)."""

    name: str  # "Landkreis Alzey-Worms": in titles and messages ("… im Landkreis Alzey-Worms")
    name_en: str  # "Alzey-Worms district"
    short_name: str  # "Alzey-Worms": inside a translated sentence (Turkish, Arabic, Ukrainian)
    key: str  # regional key (RS) prefix of every Gemeinde, e.g. "07331"
    administration: str  # "Kreisverwaltung Alzey-Worms"
    area_keys: tuple[str, ...]  # the Versorgungsgebiete (9-digit RS); empty = whatever areas.geojson holds
    lon_range: tuple[float, float]  # bounding box with margin (EPSG:4326): a Kita outside is a data error
    lat_range: tuple[float, float]
    search_examples: tuple[str, ...] = ()  # the search field's hint: two places and a PLZ; empty = from the data


def load_district(path: Path) -> District:
    """Read ``kreis.toml``; a broken file stops with a German message naming it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["kreis"]
        return District(
            name=str(raw["name"]),
            name_en=str(raw.get("name_en", raw["name"])),
            short_name=str(raw.get("kurzname", raw["name"])),
            key=str(raw["schluessel"]),
            administration=str(raw.get("verwaltung", "")),
            area_keys=tuple(str(k) for k in raw.get("gebiete", [])),
            lon_range=(float(raw["laenge"][0]), float(raw["laenge"][1])),
            lat_range=(float(raw["breite"][0]), float(raw["breite"][1])),
            search_examples=tuple(str(x) for x in raw.get("suchbeispiele", [])),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise DataError(f"Datei {path} fehlt oder ist fehlerhaft ({type(exc).__name__}: {exc}).") from exc



@dataclass(frozen=True)
class DataFolder:
    """The data folder: boundaries, reference tables, start data and the district its ``kreis.toml`` names."""

    root: Path

    @property
    def boundaries(self) -> Path:
        return self.root / "boundaries"

    @property
    def seed(self) -> Path:
        return self.root / "seed"

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    @cached_property
    def district(self) -> District:
        return load_district(self.root / "kreis.toml")


@cache
def data_folder() -> DataFolder:
    """The data folder of this process (``KITA_DATA_DIR`` or ``data/``), read once on first use."""
    return DataFolder(Path(os.environ.get("KITA_DATA_DIR") or ROOT / "data").resolve())


def district() -> District:
    """The district of the data folder (its ``kreis.toml``); a broken file raises DataError on first use."""
    return data_folder().district
