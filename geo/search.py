"""Find a place by Gemeinde, Ortsteil, Verbandsgemeinde or Kita name, or by PLZ.

Names are compared in folded form (case, umlauts written ae/oe/ue/ss, hyphens), with a small
typo tolerance (difflib ratio). A PLZ returns every Gemeinde behind it: one PLZ can span several
Gemeinden and even several areas (55234).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from geo.text import fold, sort_key

MAX_QUERY_LENGTH = 80
TYPO_CUTOFF = 0.8  # difflib ratio: 'woerstadt' ~ 'woerrstadt' (0.95), 'eich' !~ 'esch'


@dataclass(frozen=True)
class Place:
    kind: str  # gemeinde, ortsteil, gebiet, kita
    name: str
    gebiet_rs: str
    gemeinde_rs: str = ""  # empty for an area
    gemeinde: str = ""
    kita_id: str = ""
    plz: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Display text, e.g. 'Weinheim (Ortsteil von Alzey)'."""
        if self.kind == "ortsteil":
            return f"{self.name} (Ortsteil von {self.gemeinde})"
        if self.kind == "kita":
            return f"{self.name} ({self.gemeinde})"
        if self.kind == "gemeinde" and self.plz:
            return f"{self.name} ({', '.join(self.plz)})"
        return self.name


@dataclass
class SearchResult:
    query: str
    places: list[Place] = field(default_factory=list)
    message: str = ""  # German; set when nothing was found or the input is not usable
    suggestions: list[str] = field(default_factory=list)


@dataclass
class SearchIndex:
    places: list[Place]
    by_plz: dict[str, list[Place]]
    folded: dict[str, list[Place]]  # folded name → places


def build_index(
    gemeinden: pd.DataFrame, areas: pd.DataFrame, plz: pd.DataFrame, kitas: pd.DataFrame | None = None,
    ortsteile: pd.DataFrame | None = None,
) -> SearchIndex:
    plz_of = plz.groupby("gemeinde_rs")["plz"].apply(lambda s: tuple(sorted(set(s)))).to_dict()
    places: list[Place] = []
    for row in gemeinden.itertuples():
        places.append(Place("gemeinde", row.gemeinde, row.gebiet_rs, row.gemeinde_rs, row.gemeinde,
                            plz=plz_of.get(row.gemeinde_rs, ())))
    names = dict(zip(gemeinden["gemeinde_rs"], gemeinden["gemeinde"]))
    for row in (ortsteile if ortsteile is not None else pd.DataFrame(columns=["ortsteil", "gemeinde_rs"])).itertuples():
        if row.gemeinde_rs in names:
            places.append(Place("ortsteil", row.ortsteil, row.gemeinde_rs[:9], row.gemeinde_rs, names[row.gemeinde_rs],
                                plz=plz_of.get(row.gemeinde_rs, ())))
    for row in areas.itertuples():
        places.append(Place("gebiet", row.gebiet, row.gebiet_rs))
    if kitas is not None:
        for row in kitas.itertuples():
            places.append(Place("kita", row.name, row.gemeinde_rs[:9], row.gemeinde_rs, names.get(row.gemeinde_rs, row.ort),
                                kita_id=row.id, plz=(row.plz,)))
    by_plz: dict[str, list[Place]] = {}
    for place in places:
        if place.kind == "gemeinde":
            for code in place.plz:
                by_plz.setdefault(code, []).append(place)
    folded: dict[str, list[Place]] = {}
    for place in places:
        keys = {fold(place.name)}
        if place.kind == "gebiet":  # 'VG Eich' is also found as 'Eich' / 'Verbandsgemeinde Eich'
            bare = re.sub(r"^(vg|stadt) ", "", fold(place.name))
            keys |= {bare, f"verbandsgemeinde {bare}"}
        if place.kind == "kita":  # 'Kita Eich 1 (Beispiel)' also as 'kita eich 1'
            keys.add(fold(place.name.replace("(Beispiel)", "")))
        for key in keys:
            folded.setdefault(key, []).append(place)
    return SearchIndex(places=places, by_plz=by_plz, folded=folded)


_KIND_ORDER = {"gemeinde": 0, "ortsteil": 1, "gebiet": 2, "kita": 3}


def _ordered(places: list[Place]) -> list[Place]:
    unique = list(dict.fromkeys(places))
    return sorted(unique, key=lambda p: (_KIND_ORDER[p.kind], sort_key(p.name)))


def search(query: str, index: SearchIndex) -> SearchResult:
    """Places for a name or PLZ; with a German message and suggestions when nothing fits."""
    text = (query or "").strip()
    result = SearchResult(query=text)
    if not text:
        result.message = "Bitte einen Ort, eine Verbandsgemeinde, eine Kita oder eine Postleitzahl eingeben."
        return result
    if len(text) > MAX_QUERY_LENGTH:
        result.message = f"Die Eingabe ist zu lang (höchstens {MAX_QUERY_LENGTH} Zeichen)."
        return result
    digits = re.sub(r"\s", "", text)
    if digits.isdigit():
        if len(digits) != 5:
            result.message = f"„{text}“ ist keine Postleitzahl: eine PLZ hat fünf Ziffern."
        elif digits not in index.by_plz:
            result.message = f"Die PLZ {digits} gehört nicht zum Landkreis Alzey-Worms."
        else:
            result.places = _ordered(index.by_plz[digits])
        return result

    key = fold(text)
    if not key:
        result.message = f"„{text}“ enthält keinen Ortsnamen."
        return result
    exact = index.folded.get(key, [])
    if exact:
        result.places = _ordered(exact)
        return result
    # Word-prefix matches ('gau' finds every Gau-… Gemeinde, 'flonh' finds Flonheim).
    prefixed = [p for name, places in index.folded.items() for p in places
                if len(key) >= 3 and (name.startswith(key) or f" {key}" in f" {name}")]
    if prefixed:
        result.places = _ordered(prefixed)
        return result
    close = difflib.get_close_matches(key, list(index.folded), n=6, cutoff=TYPO_CUTOFF)
    if close:
        # Best match first (difflib's order), then Gemeinde before area before Kita.
        ranked = [p for name in close for p in sorted(index.folded[name], key=lambda p: _KIND_ORDER[p.kind])]
        result.places = list(dict.fromkeys(ranked))
        return result
    result.message = f"Kein Ort „{text}“ im Landkreis Alzey-Worms gefunden."
    loose = difflib.get_close_matches(key, list(index.folded), n=5, cutoff=0.6)
    result.suggestions = list(dict.fromkeys(index.folded[name][0].name for name in loose))
    return result
