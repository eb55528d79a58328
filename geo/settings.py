"""Settings from ``kita.toml`` (or the file in ``KITA_CONFIG``) with environment overrides."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo.constants import ROOT
from geo.errors import DataError

DEFAULT_CONFIG = ROOT / "kita.toml"
DEFAULT_DATABASE = ROOT / "instance" / "kita-sozialarbeit.sqlite"


@dataclass(frozen=True)
class Settings:
    basemap: str = "osm"  # "none", "osm" or an XYZ URL template
    basemap_attribution: str = ""
    max_children_per_fte: float = 600.0
    summer_2024: dt.date = dt.date(2024, 8, 1)
    database_url: str = f"sqlite:///{DEFAULT_DATABASE}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the config file, then apply KITA_BASEMAP, KITA_DATABASE_URL, KITA_MAX_KINDER_PRO_VZE."""
    env = os.environ if environ is None else environ
    path = Path(env.get("KITA_CONFIG", DEFAULT_CONFIG))
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"Konfigurationsdatei {path} ist fehlerhaft: {exc}") from exc
    elif "KITA_CONFIG" in env:
        raise DataError(f"Konfigurationsdatei {path} (KITA_CONFIG) nicht gefunden.")
    karte, versorgung, datenbank = raw.get("karte", {}), raw.get("versorgung", {}), raw.get("datenbank", {})
    defaults = Settings()
    try:
        threshold = float(env.get("KITA_MAX_KINDER_PRO_VZE", versorgung.get("max_kinder_pro_vze", 600)))
        summer = dt.date.fromisoformat(str(versorgung.get("stichtag_sommer_2024", defaults.summer_2024)))
    except ValueError as exc:
        raise DataError(f"Konfiguration {path}, Abschnitt [versorgung]: ungültiger Wert ({exc}).") from exc
    if threshold <= 0:
        raise DataError(f"Konfiguration {path}: max_kinder_pro_vze muss größer als 0 sein.")
    return Settings(
        basemap=env.get("KITA_BASEMAP", karte.get("basemap", defaults.basemap)).strip() or "none",
        basemap_attribution=karte.get("basemap_attribution", ""),
        max_children_per_fte=threshold,
        summer_2024=summer,
        database_url=env.get("KITA_DATABASE_URL", datenbank.get("url", "")) or defaults.database_url,
    )
