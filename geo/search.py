"""Find a place by Gemeinde, Ortsteil, Verbandsgemeinde or Kita name, or by PLZ – the way parents type it.

Names are compared in folded form (case, umlauts written ae/oe/ue/ss, hyphens and spaces), also with the
spaces left out ('Nieder Flörsheim' = 'Niederflörsheim' = 'Nieder-Flörsheim'). 'Alzey-Dautenheim', 'Alzey Weinheim' and
'Dautenheim, Stadt Alzey' name an Ortsteil with its Gemeinde; '55237 Flonheim' a PLZ with a place. Small
typos are corrected (difflib ratio) when one place is clearly meant, otherwise offered as choices. A PLZ
returns every Gemeinde behind it (one PLZ can span several areas, 55234) and the UI asks which one. A place
outside the district ('Worms', 'Mainz') is answered with its own district from the VG250 name table.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from kita import i18n
from geo.reference import border_places, border_text
from kita.contacts import gemeinde_title
from kita.text import fold, sort_key

MAX_QUERY_LENGTH = 80  # longer inputs are cut (with a note saying what was searched), never dropped
MAX_PASTE_LENGTH = 2000  # how much of a paste is read to find an address's place in it
TYPO_CUTOFF = 0.8  # difflib ratio: 'woerstadt' ~ 'woerrstadt' (0.95), 'eich' !~ 'esch'
TYPO_MARGIN = 0.05  # a typo is corrected without asking only when no other place comes this close
SUGGEST_CUTOFF = 0.6
OUTSIDE_CUTOFF = 0.88  # stricter: a near miss of a far-away place is more likely a typo of a local one
MAX_SUGGESTIONS = 5
# Words around a name that do not help to find it: 'Dautenheim, Stadt Alzey', 'OT Kriegsheim', 'VG Eich'.
FILLER_WORDS = {"stadt", "gemeinde", "ortsgemeinde", "ortsteil", "ot", "stadtteil", "bei", "in", "von"}
_PLZ = re.compile(r"(?<!\d)(\d{5})(?!\d)")
# 'Hauptstraße 5, 55234 Albig' → '55234 Albig': the place right after the PLZ, up to the next comma or digit
_PLZ_AND_PLACE = re.compile(r"(?<!\d)(\d{5})(?!\d)[ \t]+([^\d,;\n]+)")
# 'Wormser Straße 12 Alzey', 'Am Markt 3a Albig': street, house number (3, 3a, 3-5, 3/1), then the place
_STREET_NUMBER_PLACE = re.compile(
    r"^[^\d,;\n()]+?\s\d{1,4}\s?[a-zA-Z]?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?\s+([^\W\d_][^\d,;\n()]*)$")
# Abbreviations of name words that are not a prefix of the word: 'St. Johann' = 'Sankt Johann'
ABBREVIATIONS = {"st": ("sankt",), "hl": ("heilig", "heiligen")}


@dataclass(frozen=True)
class Place:
    kind: str  # gemeinde, ortsteil, gebiet, kita
    name: str
    gebiet_rs: str
    gemeinde_rs: str = ""  # empty for an area
    gemeinde: str = ""
    kita_id: str = ""
    plz: tuple[str, ...] = ()
    gebiet: str = ""  # area name, e.g. 'VG Alzey-Land'
    gemeinde_bez: str = ""  # VG250 BEZ of the Gemeinde: 'Stadt' or 'Gemeinde'

    @property
    def label(self) -> str:
        """The German choice text (:meth:`label_in`)."""
        return self.label_in("de")

    def label_in(self, lang: str) -> str:
        """Choice text naming the area, e.g. 'Albig · VG Alzey-Land', 'Weinheim (Ortsteil von Alzey) · Stadt Alzey';
        the words around the names in ``lang`` (catalogue), the names as they are."""
        area = f" · {self.gebiet}" if self.gebiet and self.gebiet != self.name else ""
        if self.kind == "ortsteil":
            return i18n.text("place_ortsteil_of", lang, name=self.name, gemeinde=self.gemeinde) + area
        if self.kind == "kita":
            return f"{self.name} ({self.gemeinde}){area}"
        if self.kind == "gemeinde" and self.gebiet == f"Stadt {self.name}":
            return f"{self.name} · " + i18n.text("place_free_city", lang)
        return f"{self.name}{area}"

    @property
    def title(self) -> str:
        """Card title: the Ortsteil with its Gemeinde ('Dautenheim, Stadt Alzey'), else the name."""
        if self.kind == "ortsteil":
            return f"{self.name}, {gemeinde_title(self.gemeinde, self.gemeinde_bez)}"
        return self.name


@dataclass(frozen=True)
class OutsidePlace:
    """A place outside the district and the Kreis or kreisfreie Stadt whose Jugendamt is responsible."""

    name: str
    kreis: str  # 'Landkreis Bad Dürkheim', 'Stadt Worms'
    kreisfrei: bool
    land: str

    def answer(self, lang: str = "de") -> str:
        """'Worms ist eine kreisfreie Stadt … Zuständig ist das Jugendamt der Stadt Worms.'"""
        if self.kreisfrei:
            return i18n.text("search_outside_city", lang, name=self.name, district=self.kreis, land=self.land)
        return i18n.text("search_outside_kreis", lang, name=self.name, district=self.kreis, land=self.land)


@dataclass(frozen=True)
class OutsidePlz:
    """A PLZ outside the district: its places and (where known for sure) their Kreis or kreisfreie Stadt."""

    plz: str
    orte: str  # 'Engelstadt, Essenheim, Jugenheim'
    kreis: str  # 'Landkreis Mainz-Bingen', 'Stadt Worms'; '' when not known for sure
    kreisfrei: bool
    land: str

    def answer(self, lang: str = "de") -> str:
        """'Die PLZ 55270 gehört nicht zum Landkreis …: Engelstadt, … (Landkreis Mainz-Bingen). Zuständig ist …'"""
        if self.kreis:
            return i18n.text("search_outside_plz", lang, plz=self.plz, orte=self.orte, district=self.kreis,
                             land=self.land)
        return i18n.text("search_outside_plz_unknown", lang, plz=self.plz, orte=self.orte)


@dataclass
class SearchResult:
    query: str
    places: list[Place] = field(default_factory=list)
    message: str = ""  # in the search's language; set when nothing was found or the input is not usable
    suggestions: list[Place] = field(default_factory=list)  # 'Meinten Sie …' choices
    outside: list = field(default_factory=list)  # OutsidePlace / OutsidePlz: whom to ask instead, each once
    namesakes: list[OutsidePlace] = field(default_factory=list)  # places elsewhere with the same name or stem
    corrected: bool = False  # places come from a typo correction
    notice: str = ""  # in the search's language: what was searched when it differs from the input (address, cut)
    border_plz: str = ""  # the PLZ searched for also serves places outside the district: ask, never guess
    border_note: str = ""  # in the search's language: the PLZ also covers places of another Kreis (names them)

    @property
    def chosen(self) -> Place | None:
        """The one place meant, or None when the parent has to choose (several Gemeinden or areas, or a PLZ
        that also serves places outside the district)."""
        if self.border_plz or self.namesakes:
            return None
        if len(self.places) == 1:
            return self.places[0]
        local = [p for p in self.places if p.kind in ("gemeinde", "ortsteil")]
        if local:
            return local[0] if len({p.gemeinde_rs for p in local}) == 1 else None
        areas = [p for p in self.places if p.kind == "gebiet"]
        return areas[0] if len(areas) == 1 else None


@dataclass
class SearchIndex:
    places: list[Place]
    by_plz: dict[str, list[Place]]
    folded: dict[str, list[Place]]  # folded name → places
    compact: dict[str, list[Place]]  # folded name without spaces → places
    ortsteile_of: dict[str, list[Place]]  # gemeinde_rs → its Ortsteile
    outside: dict[str, list[OutsidePlace]] = field(default_factory=dict)  # folded name → places elsewhere
    border_plz: frozenset[str] = frozenset()  # PLZ shared with places outside the district
    border_places: dict[str, tuple[str, str]] = field(default_factory=dict)  # PLZ → (other Kreis, its places)
    outside_plz: dict[str, list[OutsidePlz]] = field(default_factory=dict)  # PLZ outside the district


@dataclass(frozen=True)
class AreaEntry:
    """One area of the place list with its Gemeinden and Kitas (each a Place that selects its card)."""

    area: Place
    gemeinden: tuple[Place, ...] = ()
    kitas: tuple[Place, ...] = ()


def directory(index: SearchIndex, kreis: str | None = None) -> list[AreaEntry]:
    """Every area with its Gemeinden and Kitas, each sorted by name: the way to a card without the map
    (keyboard, screen reader). ``kreis`` (a Land's data folder): Gemeinden and Kitas only for the areas of
    that Kreis ('' none, None all), so the list stays short."""
    def natural(place: Place) -> list:  # 'Kita Alzey 2' before 'Kita Alzey 10'
        return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", sort_key(place.name))]

    members: dict[tuple[str, str], list[Place]] = {}
    for place in sorted(index.places, key=natural):
        members.setdefault((place.kind, place.gebiet_rs), []).append(place)
    entries = []
    for area in sorted((p for p in index.places if p.kind == "gebiet"), key=lambda p: sort_key(p.name)):
        if kreis is None or (kreis and area.gebiet_rs.startswith(kreis)):
            entries.append(AreaEntry(area, tuple(members.get(("gemeinde", area.gebiet_rs), [])),
                                     tuple(members.get(("kita", area.gebiet_rs), []))))
        else:
            entries.append(AreaEntry(area))
    return entries


def _compact(key: str) -> str:
    return key.replace(" ", "")


def build_index(
    gemeinden: pd.DataFrame, areas: pd.DataFrame, plz: pd.DataFrame, kitas: pd.DataFrame | None = None,
    ortsteile: pd.DataFrame | None = None, outside: pd.DataFrame | None = None,
    outside_plz: pd.DataFrame | None = None,
) -> SearchIndex:
    plz_of = plz.groupby("gemeinde_rs")["plz"].apply(lambda s: tuple(sorted(set(s)))).to_dict()
    area_name = dict(zip(areas["gebiet_rs"], areas["gebiet"]))
    bez = dict(zip(gemeinden["gemeinde_rs"], gemeinden["BEZ"])) if "BEZ" in gemeinden else {}
    places: list[Place] = []
    for row in gemeinden.itertuples():
        places.append(Place("gemeinde", row.gemeinde, row.gebiet_rs, row.gemeinde_rs, row.gemeinde,
                            plz=plz_of.get(row.gemeinde_rs, ()), gebiet=area_name.get(row.gebiet_rs, ""),
                            gemeinde_bez=bez.get(row.gemeinde_rs, "")))
    names = dict(zip(gemeinden["gemeinde_rs"], gemeinden["gemeinde"]))
    ortsteile_of: dict[str, list[Place]] = {}
    for row in (ortsteile if ortsteile is not None else pd.DataFrame(columns=["ortsteil", "gemeinde_rs"])).itertuples():
        if row.gemeinde_rs in names:
            place = Place("ortsteil", row.ortsteil, row.gemeinde_rs[:9], row.gemeinde_rs, names[row.gemeinde_rs],
                          plz=plz_of.get(row.gemeinde_rs, ()), gebiet=area_name.get(row.gemeinde_rs[:9], ""),
                          gemeinde_bez=bez.get(row.gemeinde_rs, ""))
            places.append(place)
            ortsteile_of.setdefault(row.gemeinde_rs, []).append(place)
    for row in areas.itertuples():
        places.append(Place("gebiet", row.gebiet, row.gebiet_rs, gebiet=row.gebiet))
    if kitas is not None:
        for row in kitas.itertuples():
            places.append(Place("kita", row.name, row.gemeinde_rs[:9], row.gemeinde_rs, names.get(row.gemeinde_rs, row.ort),
                                kita_id=row.id, plz=(row.plz,), gebiet=area_name.get(row.gemeinde_rs[:9], "")))
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
    compact: dict[str, list[Place]] = {}
    for key, found in folded.items():
        compact.setdefault(_compact(key), []).extend(found)
    outside_index: dict[str, list[OutsidePlace]] = {}
    if outside is not None:
        for row in outside.itertuples():
            place = OutsidePlace(row.name, row.kreis, str(row.kreisfrei) == "True", row.land)
            outside_index.setdefault(fold(row.name), []).append(place)
    plz_elsewhere: dict[str, list[OutsidePlz]] = {}
    if outside_plz is not None:
        for row in outside_plz.itertuples():
            plz_elsewhere.setdefault(str(row.plz), []).append(
                OutsidePlz(str(row.plz), row.orte, row.kreis, str(row.kreisfrei) == "True", row.land))
    border = frozenset(plz.loc[_border_mask(plz), "plz"]) if len(plz) else frozenset()
    return SearchIndex(places=places, by_plz=by_plz, folded=folded, compact=compact, ortsteile_of=ortsteile_of,
                       outside=outside_index, border_plz=border,
                       border_places=border_places(plz) if "auch_kreis" in plz else {}, outside_plz=plz_elsewhere)


def _border_mask(plz: pd.DataFrame) -> pd.Series:
    """Rows whose PLZ also serves places outside the district (a column of the PLZ table, if present)."""
    for column in ("grenz_plz", "grenze", "auch_ausserhalb", "ausserhalb"):
        if column in plz:
            return plz[column].astype(str).str.lower().isin({"true", "1", "ja", "yes"})
    if "auch_kreis" in plz:  # data/reference/plz_gemeinden.csv: the other district's name, empty if none
        return plz["auch_kreis"].fillna("").astype(str).str.strip() != ""
    return pd.Series(False, index=plz.index)


_KIND_ORDER = {"gemeinde": 0, "ortsteil": 1, "gebiet": 2, "kita": 3}


def _ordered(places: list[Place]) -> list[Place]:
    unique = list(dict.fromkeys(places))
    return sorted(unique, key=lambda p: (_KIND_ORDER[p.kind], sort_key(p.name)))


def _exact(key: str, index: SearchIndex) -> list[Place]:
    return index.folded.get(key, []) or index.compact.get(_compact(key), [])


def _compound(key: str, index: SearchIndex) -> list[Place]:
    """'alzey dautenheim', 'dautenheim stadt alzey', 'monsheim kriegsheim': an Ortsteil named with its Gemeinde."""
    words = [w for w in key.split() if w not in FILLER_WORDS]
    found: list[Place] = []
    for cut in range(1, len(words)):
        for first, second in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            gemeinden = [p for p in _exact(" ".join(first), index) if p.kind == "gemeinde"]
            for gemeinde in gemeinden:
                part = " ".join(second)
                for ortsteil in index.ortsteile_of.get(gemeinde.gemeinde_rs, []):
                    name = fold(ortsteil.name)
                    if _compact(name) == _compact(part) or difflib.SequenceMatcher(None, name, part).ratio() >= TYPO_CUTOFF:
                        found.append(ortsteil)
    return found


def _prefixed(key: str, index: SearchIndex) -> list[Place]:
    """Word-prefix matches ('gau' finds every Gau-… Gemeinde, 'flonh' finds Flonheim)."""
    if len(key) < 3:
        return []
    return [p for name, places in index.folded.items() for p in places
            if name.startswith(key) or f" {key}" in f" {name}"]


def _ranked(key: str, keys: list[str], cutoff: float) -> list[tuple[float, str]]:
    """(ratio, key) best first, both as typed and with spaces left out."""
    scores: dict[str, float] = {}
    for candidate in keys:
        matcher = difflib.SequenceMatcher(None, key, candidate)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = max(matcher.ratio(), difflib.SequenceMatcher(None, _compact(key), _compact(candidate)).ratio())
        if ratio >= cutoff:
            scores[candidate] = ratio
    return sorted(((r, k) for k, r in scores.items()), key=lambda x: (-x[0], x[1]))


def _words(text: str) -> list[tuple[str, bool]]:
    """The input's words folded, each with whether it is written short ('v.', 'd.', 'St.', a single letter)."""
    words = []
    for match in re.finditer(r"[^\s.\-/,;()]+\.?", text):
        for word in fold(match.group(0)).split():
            short = match.group(0).endswith(".") or len(word) == 1 or word in ABBREVIATIONS
            words.append((word, short and word.isalpha()))  # 'Kita Alzey 1' is no abbreviation of 'Kita Alzey 10'
    return words


def _abbreviated(text: str, names) -> list[str]:
    """Folded names that the input abbreviates word by word: 'Bermersheim v. d. H.' = 'bermersheim vor der hoehe',
    'Hamm a. Rh.' = 'hamm am rhein', 'St. Johann' = 'sankt johann'. Empty unless a word is written short."""
    words = _words(text)
    if not any(short for _, short in words):
        return []

    def fits(word: str, short: bool, name_word: str) -> bool:
        return word == name_word or (short and (name_word.startswith(word) or name_word in ABBREVIATIONS.get(word, ())))

    return [name for name in names
            if len(name.split()) == len(words) and all(fits(w, s, n) for (w, s), n in zip(words, name.split()))]


def _local(places: list[Place]) -> list[Place]:
    return [p for p in places if p.kind in ("gemeinde", "ortsteil")]


def _stem_rivals(hits: list[Place], index: SearchIndex) -> list[Place]:
    """Places of other Gemeinden whose name holds a hit's whole name: 'Bermersheim' → 'Bermersheim vor der Höhe',
    'Weinheim' → 'Gau-Weinheim', 'Wahlheim' → 'Hangen-Wahlheim'. Typed alone, the shorter name may mean either."""
    found = []
    for hit in _local(hits):
        key = fold(hit.name)
        for name, places in index.folded.items():
            if name != key and f" {key} " in f" {name} ":
                found += [p for p in _local(places) if p.gemeinde_rs != hit.gemeinde_rs]
    return found


def _namesakes(hits: list[Place], index: SearchIndex) -> list[OutsidePlace]:
    """Places outside the district with a hit's name or a longer name starting with it ('Wachenheim' →
    'Wachenheim an der Weinstraße', 'Bornheim' → Bornheim in the Pfalz): their families ask another Jugendamt."""
    keys = {fold(p.name) for p in _local(hits)}
    found = [o for name, places in index.outside.items() for o in places
             if any(name == key or name.startswith(f"{key} ") for key in keys)]
    return _once(found)


def _once(outside: list) -> list:
    """Each answer once ('Bad Kreuznach' is a Stadt and the name of its Landkreis: one answer, not two)."""
    return list({place.answer(): place for place in outside}.values())


def _find_name(key: str, index: SearchIndex, result: SearchResult, restrict: set[Place] | None = None,
               text: str = "") -> bool:
    """Fill ``result`` for a folded name (``text``: as typed, for abbreviations); ``restrict`` limits the hits
    (places of one PLZ). True if found. A name that could mean several places gives them all as choices."""

    def allowed(places: list[Place]) -> list[Place]:
        return [p for p in places if restrict is None or p in restrict]

    def found(hits: list[Place], ask: bool) -> bool:
        if ask and restrict is None:  # typed as a whole name: every place that name could mean
            result.namesakes = _namesakes(hits, index)
            hits = hits + _stem_rivals(hits, index)
        result.places = _ordered(hits)
        return True

    short = _abbreviated(text, index.folded) if text else []  # 'Bermersheim v. d. H.', also beside an exact hit
    hits = allowed(_exact(key, index) + [p for name in short for p in index.folded[name]])
    if hits:
        return found(hits, ask=True)
    for step in (_compound, _prefixed):
        hits = allowed(step(key, index))
        if hits:
            return found(hits, ask=False)
    if restrict is None:
        elsewhere = index.outside.get(key, []) + [p for name in (_abbreviated(text, index.outside) if text else [])
                                                  for p in index.outside[name]]  # 'St. Johann' is also 'Sankt Johann'
        if elsewhere:
            result.outside = _once(elsewhere)
            return True
    city = index.outside.get(key.split()[0], []) if restrict is None and " " in key else []
    if any(place.kreisfrei for place in city):  # 'Worms-Pfeddersheim', 'Mainz Hechtsheim': a part of a city
        result.outside = _once([place for place in city if place.kreisfrei])
        return True
    ranked = _ranked(key, list(index.folded), SUGGEST_CUTOFF)
    candidates: list[tuple[float, Place]] = [
        (ratio, place) for ratio, name in ranked
        for place in sorted(allowed(index.folded[name]), key=lambda p: _KIND_ORDER[p.kind])
    ]
    if candidates and candidates[0][0] >= TYPO_CUTOFF:
        best_ratio, best = candidates[0]
        rivals = [p for r, p in candidates if r >= best_ratio - TYPO_MARGIN and _rivals(p, best)]
        if not rivals:
            result.corrected = True
            return found([p for r, p in candidates if r == best_ratio], ask=True)
    if restrict is None and len(key) >= 4:  # 'Ludwigshafen' → 'Ludwigshafen am Rhein', 'Frankfurt' → both
        longer = [p for name, places in index.outside.items() if name.startswith(f"{key} ") for p in places]
        if longer:
            result.outside = _once(longer)[:MAX_SUGGESTIONS]
            return True
    if restrict is None:
        far = _ranked(key, list(index.outside), OUTSIDE_CUTOFF)
        if far and (not candidates or far[0][0] > candidates[0][0]):
            result.outside = _once(index.outside[far[0][1]])
            return True
    result.suggestions = list(dict.fromkeys(p for _, p in candidates))[:MAX_SUGGESTIONS]
    return False


def _rivals(place: Place, best: Place) -> bool:
    """Whether a near match means another place than ``best`` (its own area and Kitas do not count)."""
    if best.kind in ("gemeinde", "ortsteil"):
        return place.kind in ("gemeinde", "ortsteil") and place.gemeinde_rs != best.gemeinde_rs
    return (place.gemeinde_rs or place.gebiet_rs) != (best.gemeinde_rs or best.gebiet_rs)


def _address(text: str) -> str:
    """The place part of a pasted address: 'Hauptstraße 5, 55234 Albig, Deutschland' → '55234 Albig',
    'Am Markt 3, Albig' and 'Am Markt 3 Albig' → 'Albig'; the text itself when it is no address."""
    match = _PLZ_AND_PLACE.search(text)
    if match and match.group(2).strip(" -"):
        return f"{match.group(1)} {match.group(2).strip(' -')}"
    parts = [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
    if len(parts) > 1 and any(re.search(r"\d", part) for part in parts):  # a house number: the rest names the place
        named = [part for part in parts if not re.search(r"\d", part)]
        if named:
            return ", ".join(named)
    match = _STREET_NUMBER_PLACE.match(text)
    if match:  # typed without commas: the words after the house number name the place
        return match.group(1).strip(" -")
    return text


def search(query: str, index: SearchIndex, lang: str = "de") -> SearchResult:
    """Places for a name and/or PLZ; with a message (in ``lang``) and choices when nothing fits.

    A pasted address is searched by its place ('Hauptstraße 5, 55234 Albig' → '55234 Albig'); an input longer
    than MAX_QUERY_LENGTH is cut. Either way ``notice`` says what was searched."""
    original = " ".join((query or "")[:MAX_PASTE_LENGTH].split())
    text = _address(original)
    notice = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_LENGTH] else text[:MAX_QUERY_LENGTH]
        notice = i18n.text("search_cut", lang, max=MAX_QUERY_LENGTH, used=text)
    elif text != original:
        notice = i18n.text("search_address", lang, used=text)
    result = search_text(text, index, lang)
    if text != original and not result.places and len(original) <= MAX_QUERY_LENGTH:
        fallback = search_text(original, index, lang)  # 'Kita Alzey 1 Nord' is a name, not an address
        if fallback.places:
            return fallback
    result.notice = notice
    return result


def search_text(text: str, index: SearchIndex, lang: str = "de") -> SearchResult:
    """:func:`search` for an input of at most MAX_QUERY_LENGTH characters."""
    text = (text or "").strip()
    result = SearchResult(query=text)
    if not text:
        result.message = i18n.text("search_empty", lang)
        return result
    if len(text) > MAX_QUERY_LENGTH:
        result.message = i18n.text("search_too_long", lang, max=MAX_QUERY_LENGTH)
        return result
    codes = _PLZ.findall(text)
    rest_text = _PLZ.sub(" ", text)
    rest = fold(rest_text)
    if not codes and re.fullmatch(r"[\d\s]+", text):
        result.message = i18n.text("search_not_plz", lang, text=text)
        return result
    if codes:
        code = codes[0]
        in_plz = index.by_plz.get(code)
        if code in index.border_places:
            result.border_note = border_text(code, *index.border_places[code], lang)
        if not in_plz:
            if rest and _find_name(rest, index, result, text=rest_text) and result.places:
                return result  # the place is ours, the PLZ a slip: the place counts
            elsewhere = index.outside_plz.get(code, [])
            if elsewhere:  # the PLZ names its places and whom to ask ('55270 Jugenheim': only that group)
                named = [group for group in elsewhere if rest and rest in {fold(o) for o in group.orte.split(", ")}]
                result.outside = named or elsewhere
                result.suggestions, result.places = [], []
                return result
            if not result.outside:
                result.suggestions = []
                result.message = i18n.text("search_plz_outside", lang, plz=code)
            return result
        if not rest:
            result.places = _ordered(in_plz)
            result.border_plz = code if code in index.border_plz else ""
            return result
        restrict = set(in_plz)
        for gemeinde in in_plz:
            restrict.update(index.ortsteile_of.get(gemeinde.gemeinde_rs, []))
        restrict.update(p for p in index.places if p.kind == "kita" and code in p.plz)
        if _find_name(rest, index, result, restrict, text=rest_text):
            return result
        result.places = _ordered(in_plz)  # the name did not fit the PLZ: offer the PLZ's places
        result.suggestions = []
        return result

    key = fold(text)
    if not key:
        result.message = i18n.text("search_no_name", lang, text=text)
        return result
    if _find_name(key, index, result, text=text):
        return result
    bare_text = re.sub(r"\(.*?\)", " ", text)  # 'Wachenheim (Pfrimm)', 'Eich (Rheinhessen)'
    bare = fold(bare_text)
    if bare and bare != key:
        retry = SearchResult(query=text)
        if _find_name(bare, index, retry, text=bare_text):
            retry.namesakes = []  # the words in brackets said which of the namesakes is meant
            return retry
    result.message = i18n.text("search_not_found", lang, text=text)
    return result
