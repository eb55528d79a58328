"""The parents' selection as plain values: what a URL may name, what a search hit, a list pick or a tap on the
map selects. No Streamlit here, so unit tests reach every rule (tests/test_start_selection.py); the start page
(ui/start_page.py) reads and writes the URL with them.

A selection is ``{"gebiet", "gemeinde", "ortsteil", "kita"}`` (empty strings for what is not chosen): the area's
9-digit key, the Gemeinde's 12-digit key, an Ortsteil's name, a Kita's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

SELECTION_KEYS = ("gebiet", "gemeinde", "ortsteil", "kita")


def empty() -> dict[str, str]:
    return dict.fromkeys(SELECTION_KEYS, "")


@dataclass(frozen=True)
class UrlKeys:
    """What a URL may name, once per data version."""

    areas: frozenset[str]
    gemeinden: frozenset[str]
    kita_gemeinde: dict[str, str]  # Kita id → its Gemeinde's key
    ortsteile_of: dict[str, frozenset[str]]  # Gemeinde key → its Ortsteile' names


def url_keys(areas: pd.DataFrame, gemeinden: pd.DataFrame, ortsteile: pd.DataFrame, kitas: pd.DataFrame) -> UrlKeys:
    named: dict[str, set[str]] = {}
    for gemeinde, name in zip(ortsteile["gemeinde_rs"], ortsteile["ortsteil"]):
        named.setdefault(gemeinde, set()).add(name)
    return UrlKeys(frozenset(areas["gebiet_rs"]), frozenset(gemeinden["gemeinde_rs"]),
                   dict(zip(kitas["id"], kitas["gemeinde_rs"])), {k: frozenset(v) for k, v in named.items()})


def from_query(query: Mapping[str, str], keys: UrlKeys) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The selection a URL names, checked against the data, and the (name, value) pairs it named but the data
    does not know (shown as a warning, then ignored). A Kita implies its Gemeinde, a Gemeinde its area."""
    unknown: list[tuple[str, str]] = []

    def value(name: str, allowed) -> str:
        found = query.get(name) or ""
        if found and found not in allowed:
            unknown.append((name, found))
            return ""
        return found

    gebiet = value("gebiet", keys.areas)
    gemeinde = value("gemeinde", keys.gemeinden)
    kita = value("kita", keys.kita_gemeinde)
    if kita:
        gemeinde = keys.kita_gemeinde[kita]
    if gemeinde:
        gebiet = gemeinde[:9]
    ortsteile = keys.ortsteile_of.get(gemeinde, frozenset()) if gemeinde else frozenset()
    ortsteil = value("ortsteil", ortsteile) if ortsteile and not kita else ""
    return {"gebiet": gebiet, "gemeinde": gemeinde, "ortsteil": ortsteil, "kita": kita}, unknown


def of_place(place) -> dict[str, str]:
    """The selection of a search hit or list entry (geo.search.Place)."""
    return {
        "gebiet": place.gebiet_rs,
        "gemeinde": place.gemeinde_rs,
        "ortsteil": place.name if place.kind == "ortsteil" else "",
        "kita": place.kita_id,
    }


def of_click(kind: str, key: str, keys: UrlKeys) -> dict[str, str] | None:
    """The selection of a tap on the map: an area, or a Kita with its Gemeinde and area (None: unknown Kita)."""
    if kind == "gebiet":
        return {**empty(), "gebiet": key}
    gemeinde = keys.kita_gemeinde.get(key)
    if gemeinde is None:
        return None
    return {"gebiet": gemeinde[:9], "gemeinde": gemeinde, "ortsteil": "", "kita": key}


def same(first: Mapping[str, str], second: Mapping[str, str]) -> bool:
    return all(first.get(k, "") == second.get(k, "") for k in SELECTION_KEYS)


def token(selection: Mapping[str, str]) -> str:
    """One word per selection (the card's scroll script runs again for each new one); '' for none."""
    return "-".join(selection.get(k, "") for k in SELECTION_KEYS).strip("-")
