"""Settings from ``kita.toml`` (or the file in ``KITA_CONFIG``) with environment overrides."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kita.constants import ROOT
from kita.errors import DataError
from kita.i18n import Message

DEFAULT_CONFIG = ROOT / "kita.toml"
DEFAULT_DATABASE = ROOT / "instance" / "kita-sozialarbeit.sqlite"


@dataclass(frozen=True)
class Settings:
    # "none" (privacy-safe default: no third-party request), an XYZ URL template (self-hosted tiles) or
    # "osm" (tile.openstreetmap.org; sends visitors' IP addresses there: only when explicitly set).
    basemap: str = "none"
    basemap_attribution: str = ""
    max_children_per_fte: float = 600.0
    summer_2024: dt.date = dt.date(2024, 8, 1)
    database_url: str = f"sqlite:///{DEFAULT_DATABASE}"
    # [planung]: see kita/planning.py (rule keys, weight keys) and README "Planung"
    planning_rule: str = "ausgleich"
    planning_weights: dict[str, float] = field(
        default_factory=lambda: {"kinder_u7": 1.0, "kinder_buergergeld_u7": 1.0, "kinder_nichtdeutsch_u7": 1.0,
                                 "kita_kinder": 1.0}
    )
    max_new_fte: float = 20.0
    # [betrieb] nur_lesen / KITA_READ_ONLY: a public instance without any write path (no login, no saves)
    read_only: bool = False
    # [betrieb] vertrauenswuerdige_proxys / KITA_TRUSTED_PROXIES: addresses of reverse proxies (nginx) whose
    # X-Forwarded-For names the visitor; empty: the connection's own address is the client (login throttling)
    trusted_proxies: tuple[str, ...] = ()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the config file, then apply KITA_BASEMAP, KITA_DATABASE_URL, KITA_MAX_KINDER_PRO_VZE."""
    env = os.environ if environ is None else environ
    path = Path(env.get("KITA_CONFIG", DEFAULT_CONFIG))
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError(Message("config_file_broken", datei=path.name, fehler=str(exc))) from exc
    elif "KITA_CONFIG" in env:
        raise DataError(Message("config_file_missing", datei=path.name))
    karte, versorgung, datenbank = raw.get("karte", {}), raw.get("versorgung", {}), raw.get("datenbank", {})
    defaults = Settings()
    try:
        threshold = float(env.get("KITA_MAX_KINDER_PRO_VZE", versorgung.get("max_kinder_pro_vze", 600)))
        summer = dt.date.fromisoformat(str(versorgung.get("stichtag_sommer_2024", defaults.summer_2024)))
    except ValueError as exc:
        raise DataError(Message("config_invalid_value", datei=path.name, abschnitt="[versorgung]", fehler=str(exc))) from exc
    if threshold <= 0:
        raise DataError(Message("config_positive", datei=path.name, wert="max_kinder_pro_vze"))
    planning = _planning(raw.get("planung", {}), defaults, path)
    read_only = env.get("KITA_READ_ONLY", str(raw.get("betrieb", {}).get("nur_lesen", False)))
    if str(read_only).strip().lower() not in {"true", "false", "1", "0", "ja", "nein", ""}:
        raise DataError(Message("config_read_only", datei=path.name))
    proxies = env.get("KITA_TRUSTED_PROXIES", raw.get("betrieb", {}).get("vertrauenswuerdige_proxys", ""))
    if isinstance(proxies, str):
        proxies = proxies.split(",")
    return Settings(
        **planning,
        basemap=env.get("KITA_BASEMAP", karte.get("basemap", defaults.basemap)).strip() or "none",
        basemap_attribution=karte.get("basemap_attribution", ""),
        max_children_per_fte=threshold,
        summer_2024=summer,
        database_url=env.get("KITA_DATABASE_URL", datenbank.get("url", "")) or defaults.database_url,
        read_only=str(read_only).strip().lower() in {"true", "1", "ja"},
        trusted_proxies=tuple(str(p).strip() for p in proxies if str(p).strip()),
    )


def _planning(section: dict, defaults: Settings, path: Path) -> dict:
    """The [planung] section: default rule, weights of the need index (each >= 0, sum > 0), largest N."""
    weights = dict(defaults.planning_weights)
    unknown = set(section.get("gewichte", {})) - set(weights)
    if unknown:
        raise DataError(Message("config_unknown_weights", datei=path.name, kennzahlen=sorted(unknown)))
    try:
        weights.update({key: float(value) for key, value in section.get("gewichte", {}).items()})
        max_new = float(section.get("max_neue_vze", defaults.max_new_fte))
    except (TypeError, ValueError) as exc:
        raise DataError(Message("config_invalid_value", datei=path.name, abschnitt="[planung]", fehler=str(exc))) from exc
    if any(value < 0 for value in weights.values()) or sum(weights.values()) <= 0:
        raise DataError(Message("config_weights", datei=path.name))
    if max_new <= 0:
        raise DataError(Message("config_positive", datei=path.name, wert="max_neue_vze"))
    return {"planning_rule": str(section.get("regel", defaults.planning_rule)), "planning_weights": weights,
            "max_new_fte": max_new}
