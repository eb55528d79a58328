"""Search by Gemeinde, Ortsteil, area, Kita or PLZ: the way parents type it, German messages."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import dataset
from geo.search import build_index, directory, search
from kita.text import fold, sort_key


@pytest.fixture(scope="module")
def index(reference, seed):
    return dataset.search_index(reference, seed["kitas"])


def names(result):
    return [p.name for p in result.places]


@pytest.mark.parametrize("query", ["Wöllstein", "woellstein", "WOELLSTEIN", "  wöllstein ", "Wollstein", "Wöllstien"])
def test_umlaut_spellings_case_and_typos_choose_the_gemeinde(index, query):
    assert search(query, index).chosen.name == "Wöllstein"


@pytest.mark.parametrize("query,expected", [
    ("Woerstadt", "Wörrstadt"),  # umlaut as oe and one r missing
    ("Flonhiem", "Flonheim"),
    ("Osthoffen", "Osthofen"),
    ("Westhoven", "Westhofen"),
    ("gau odernheim", "Gau-Odernheim"),
    ("Gauodernheim", "Gau-Odernheim"),
    ("Dittelsheim-Hessloch", "Dittelsheim-Heßloch"),
    ("Floersheim Dalsheim", "Flörsheim-Dalsheim"),
    ("Wachenheim (Pfrimm)", "Wachenheim"),
])
def test_spelling_variants_and_small_typos(index, query, expected):
    result = search(query, index)
    assert result.chosen is not None and result.chosen.name == expected


def test_a_corrected_typo_is_marked(index):
    assert search("Flonhiem", index).corrected and not search("Flonheim", index).corrected


@pytest.mark.parametrize("query,title", [
    ("Alzey-Dautenheim", "Dautenheim, Stadt Alzey"),
    ("Alzey Weinheim", "Weinheim, Stadt Alzey"),
    ("Dautenheim, Stadt Alzey", "Dautenheim, Stadt Alzey"),
    ("Schafhausen", "Schafhausen, Stadt Alzey"),
    ("Nieder Flörsheim", "Nieder-Flörsheim, Gemeinde Flörsheim-Dalsheim"),
    ("Niederfloersheim", "Nieder-Flörsheim, Gemeinde Flörsheim-Dalsheim"),
    ("Kalbsmühle", "Kalbsmühle, Gemeinde Mauchenheim"),
    ("Westerschoss", "Westerschoß, Gemeinde Gau-Odernheim"),
    ("Obersaulheim", "Ober-Saulheim, Gemeinde Saulheim"),
    ("Monsheim-Kriegsheim", "Kriegsheim, Gemeinde Monsheim"),
    ("Schimsheim", "Schimsheim, Gemeinde Armsheim"),
])
def test_ortsteil_alone_or_with_its_gemeinde_is_named_on_the_card(index, query, title):
    chosen = search(query, index).chosen
    assert chosen.kind == "ortsteil" and chosen.title == title


def test_plz_with_name_narrows_to_the_place(index):
    assert search("55237 Flonheim", index).chosen.name == "Flonheim"
    assert search("Albig 55234", index).chosen.name == "Albig"
    # A PLZ whose name does not fit offers the PLZ's places instead of a wrong guess.
    result = search("55237 Wöllstein", index)
    assert result.chosen is None and "Flonheim" in names(result)


def test_plz_spanning_several_areas_asks_and_labels_name_the_area(index):
    result = search("55234", index)
    assert len(result.places) == 23 and result.chosen is None
    assert {p.gebiet_rs for p in result.places} == {"073315001", "073315005", "073315007"}
    labels = {p.label for p in result.places}
    assert "Albig · VG Alzey-Land" in labels and "Hangen-Weisheim · VG Wonnegau" in labels
    assert search("55232", index).chosen is None  # Alzey and Ensheim
    # 67294 is mostly Donnersbergkreis (plz_gemeinden.csv auch_kreis): Mauchenheim is offered, never assumed.
    border = search("67294", index)
    assert names(border) == ["Mauchenheim"] and border.chosen is None and border.border_plz == "67294"
    assert "Donnersbergkreis" in border.border_note


def test_same_name_in_two_areas_asks(index):
    result = search("Bermersheim", index)
    # 'Bermersheim' (VG Wonnegau) is also the stem of 'Bermersheim vor der Höhe' (VG Alzey-Land): ask.
    assert result.chosen is None
    assert [p.label for p in result.places] == ["Bermersheim · VG Wonnegau", "Bermersheim vor der Höhe · VG Alzey-Land"]
    flo = search("Flörsheim", index)
    assert flo.chosen is None and {"Flörsheim-Dalsheim", "Ober-Flörsheim"} <= set(names(flo))


def test_gemeinde_wins_over_its_area_and_area_names(index, seed):
    assert search("Eich", index).chosen.kind == "gemeinde"
    assert search("Wonnegau", index).chosen.gebiet_rs == "073315007"
    assert search("VG Eich", index).chosen.kind == "gebiet"
    kita = seed["kitas"].iloc[0]
    found = search(kita["name"], index).chosen
    assert (found.kind, found.kita_id) == ("kita", kita["id"])


def test_hamm_is_hamm_am_rhein_or_a_hamm_elsewhere(index):
    result = search("Hamm", index)
    assert [p.gemeinde for p in result.places] == ["Hamm am Rhein"] and result.chosen is None
    assert {o.kreis for o in result.namesakes} >= {"Stadt Hamm"}  # the city in Nordrhein-Westfalen: ask, never assume
    assert search("Hamm am Rhein", index).chosen.gemeinde == "Hamm am Rhein"


@pytest.mark.parametrize("query,kreis,kreisfrei", [
    ("Worms", "Stadt Worms", True),
    ("Mainz", "Stadt Mainz", True),
    ("Nierstein", "Landkreis Mainz-Bingen", False),
    ("Bockenheim an der Weinstraße", "Landkreis Bad Dürkheim", False),
    ("Ludwigshafen", "Stadt Ludwigshafen am Rhein", True),
    ("Mainzz", "Stadt Mainz", True),
    ("Worms-Pfeddersheim", "Stadt Worms", True),
])
def test_place_outside_the_district_names_its_district(index, query, kreis, kreisfrei):
    result = search(query, index)
    assert result.places == [] and result.outside
    outside = result.outside[0]
    assert (outside.kreis, outside.kreisfrei) == (kreis, kreisfrei)
    assert "Jugendamt" in outside.answer() and kreis in outside.answer() and "nicht" in outside.answer()
    assert kreis in outside.answer("en") and "youth welfare office" in outside.answer("en")


@pytest.mark.parametrize("query,message", [
    ("", "Bitte einen Ort"),
    ("12345", "gehört nicht zum Landkreis"),
    ("5523", "fünf Ziffern"),
    ("Xyzzyqwv", "Kein Ort"),
    ("<img src=x onerror=alert(1)>", "Kein Ort"),
    ("!!!", "keinen Ortsnamen"),
])
def test_bad_input_gives_german_message(index, query, message):
    result = search(query, index)
    assert result.places == [] and result.chosen is None and message in result.message


def test_not_found_offers_clickable_places(index):
    result = search("Pfeddersheimm", index)
    assert result.message and result.suggestions
    assert all(hasattr(p, "gebiet_rs") and p.label for p in result.suggestions)


def test_every_gemeinde_and_ortsteil_is_found_by_its_own_name(index, reference):
    """Found and chosen at once, unless the name could also mean another place (tests below): then offered."""
    for name, gemeinde_rs in [*zip(reference.gemeinden["gemeinde"], reference.gemeinden["gemeinde_rs"]),
                              *zip(reference.ortsteile["ortsteil"], reference.ortsteile["gemeinde_rs"])]:
        result = search(name, index)
        if name_could_mean_more(name, reference):
            assert result.chosen is None and gemeinde_rs in {p.gemeinde_rs for p in result.places}, name
        else:
            assert result.chosen.gemeinde_rs == gemeinde_rs, name


def test_ortsteile_table_names_a_source_for_every_row(reference):
    table = reference.ortsteile
    assert {"quelle", "amtlich_geprueft"} <= set(table.columns)
    assert (table["quelle"].str.len() > 10).all()
    assert table["amtlich_geprueft"].isin(["ja", "nein"]).all()
    names = dict(zip(reference.gemeinden["gemeinde_rs"], reference.gemeinden["gemeinde"]))
    assert [names.get(rs) for rs in table["gemeinde_rs"]] == table["gemeinde"].tolist()


def test_outside_table_has_no_place_of_the_district(reference, index):
    outside = reference.outside
    assert len(outside) > 1000 and not outside["rs"].str.startswith("07331").any()
    assert {"Worms", "Mainz", "Bad Kreuznach"} <= set(outside["name"])
    assert search("Alzey-Worms", index).outside == []


def test_border_plz_column_is_read_when_present(reference):
    plz = reference.plz.copy()
    plz["grenz_plz"] = plz["plz"].eq("67294")
    index = build_index(reference.gemeinden, reference.areas, plz)
    assert index.border_plz == frozenset({"67294"})
    result = search("67294", index)  # Mauchenheim, but the PLZ also serves places in the Donnersbergkreis
    assert result.chosen is None and result.border_plz == "67294" and names(result) == ["Mauchenheim"]
    assert search("67294 Mauchenheim", index).chosen.name == "Mauchenheim"  # with the name it is clear


def test_directory_lists_every_area_with_its_gemeinden_and_kitas(reference, seed):
    index = build_index(reference.gemeinden, reference.areas, reference.plz, seed["kitas"], reference.ortsteile)
    entries = directory(index)
    assert [e.area.name for e in entries] == sorted(reference.areas["gebiet"], key=sort_key)
    assert [e.area.name for e in entries][-3:] == ["VG Wöllstein", "VG Wonnegau", "VG Wörrstadt"]  # as in German
    for entry in entries:
        gemeinden = reference.gemeinden[reference.gemeinden["gebiet_rs"] == entry.area.gebiet_rs]
        assert {p.gemeinde_rs for p in entry.gemeinden} == set(gemeinden["gemeinde_rs"])
        kitas = seed["kitas"][seed["kitas"]["gemeinde_rs"].str[:9] == entry.area.gebiet_rs]
        assert [p.kita_id for p in entry.kitas] and {p.kita_id for p in entry.kitas} == set(kitas["id"])
    alzey = [p.name for p in entries[0].kitas]
    assert alzey.index("Kita Alzey 2 (Beispiel)") < alzey.index("Kita Alzey 10 (Beispiel)")  # natural order
    assert sum(len(e.gemeinden) for e in entries) == len(reference.gemeinden)
    # A Land's folder: Gemeinden and Kitas only for the chosen Kreis, none before a choice.
    assert all(not e.gemeinden and not e.kitas for e in directory(index, ""))
    assert all(e.gemeinden for e in directory(index, "07331"))


def test_choice_labels_speak_the_ui_language_and_keep_the_names(index):
    weinheim = next(p for p in search("Alzey-Weinheim", index).places if p.kind == "ortsteil")
    assert weinheim.label == "Weinheim (Ortsteil von Alzey) · Stadt Alzey"
    assert weinheim.label_in("en") == "Weinheim (part of Alzey) · Stadt Alzey"
    alzey = next(p for p in search("55232", index).places if p.name == "Alzey")
    assert alzey.label == "Alzey · verbandsfreie Stadt"
    for lang in ("tr", "ar", "uk"):
        label = alzey.label_in(lang)
        assert label.startswith("Alzey · ") and "verbandsfreie" not in label
        assert "Ortsteil" not in weinheim.label_in(lang) and "Weinheim" in weinheim.label_in(lang)


# --- Never the wrong place: cases generated from the shipped data ------------------------------------------------

def _local_names(reference) -> list[tuple[str, str]]:
    """(name, Gemeinde key) of every Gemeinde and Ortsteil of the data folder."""
    return [*zip(reference.gemeinden["gemeinde"], reference.gemeinden["gemeinde_rs"]),
            *zip(reference.ortsteile["ortsteil"], reference.ortsteile["gemeinde_rs"])]


def meanings(name: str, reference) -> tuple[set[str], set[str]]:
    """What a name typed alone could mean: Gemeinden of the district whose name (or an Ortsteil's) is that name
    or holds it as whole words ('Bermersheim' → 'Bermersheim vor der Höhe'), and Kreise outside with a place of
    that name or a longer name starting with it ('Wachenheim' → 'Wachenheim an der Weinstraße')."""
    key = fold(name)
    inside = {rs for other, rs in _local_names(reference) if f" {key} " in f" {fold(other)} "}
    outside = {kreis for other, kreis in _folded_outside(id(reference), reference)
               if other == key or other.startswith(f"{key} ")}
    return inside, outside


_folded = {}


def _folded_outside(key, reference) -> list[tuple[str, str]]:
    if key not in _folded:
        _folded[key] = [(fold(name), kreis) for name, kreis in zip(reference.outside["name"], reference.outside["kreis"])]
    return _folded[key]


def name_could_mean_more(name: str, reference) -> bool:
    inside, outside = meanings(name, reference)
    return len(inside) > 1 or bool(outside)


def test_every_shared_name_or_stem_offers_every_place_it_could_mean(index, reference):
    shared = 0
    for name, _ in _local_names(reference):
        inside, outside = meanings(name, reference)
        if len(inside) < 2 and not outside:
            continue
        shared += 1
        result = search(name, index)
        assert result.chosen is None, f"{name}: opens a card without asking"
        assert inside <= {p.gemeinde_rs for p in result.places}, name
        assert outside <= {o.kreis for o in result.namesakes}, name
        for place in result.places:  # each choice names its Gemeinde and its area
            assert place.gemeinde in place.label and (place.gebiet in place.label or "verbandsfreie" in place.label)
        for lang in ("en", "ar"):
            assert search(name, index, lang).chosen is None
    assert shared >= 5  # Bermersheim, Weinheim, Wahlheim, Wachenheim, Bornheim … (the data has them)


def test_every_name_abbreviated_word_by_word_finds_its_place_and_no_other(index, reference):
    """'Bermersheim v. d. H.', 'Hamm a. R.', 'Dittelsheim-H.': each word after the first as its initial."""
    checked = 0
    for name, gemeinde_rs in _local_names(reference):
        words = name.replace("-", " ").split()
        if len(words) < 2:
            continue
        short = " ".join([words[0], *(f"{word[0]}." for word in words[1:])])
        result = search(short, index)
        assert gemeinde_rs in {p.gemeinde_rs for p in result.places}, short
        assert result.chosen is None or result.chosen.gemeinde_rs == gemeinde_rs, short
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("query,gemeinde", [
    ("Bermersheim v. d. H.", "Bermersheim vor der Höhe"),
    ("Bermersheim v.d.H.", "Bermersheim vor der Höhe"),
    ("Bermersheim v. d. Höhe", "Bermersheim vor der Höhe"),
    ("Hamm a. Rh.", "Hamm am Rhein"),
])
def test_usual_abbreviations_are_never_corrected_to_another_village(index, query, gemeinde):
    result = search(query, index)
    assert result.chosen is not None and result.chosen.gemeinde == gemeinde and not result.corrected


def test_st_is_sankt(index):
    kreise = {o.kreis for o in search("St. Johann", index).outside}
    assert "Landkreis Mainz-Bingen" in kreise  # Sankt Johann, 55578's neighbour


def test_every_plz_of_several_gemeinden_asks_and_with_a_name_chooses(index, reference):
    by_plz = reference.plz.groupby("plz")["gemeinde_rs"].apply(set)
    for plz, gemeinden in by_plz.items():
        result = search(plz, index)
        assert {p.gemeinde_rs for p in result.places} == gemeinden, plz
        if len(gemeinden) > 1:
            assert result.chosen is None, plz
        for row in reference.gemeinden[reference.gemeinden["gemeinde_rs"].isin(gemeinden)].itertuples():
            named = search(f"{plz} {row.gemeinde}", index)
            within = {rs for rs in meanings(row.gemeinde, reference)[0] if rs in gemeinden}
            if len(within) == 1:
                assert named.chosen is not None and named.chosen.gemeinde_rs == row.gemeinde_rs, (plz, row.gemeinde)
            else:
                assert named.chosen is None and row.gemeinde_rs in {p.gemeinde_rs for p in named.places}


def test_every_outside_plz_names_its_places_kreis_and_jugendamt_once(index, reference):
    table = reference.outside_plz
    assert table is not None and len(table) > 5000
    assert not set(table["plz"]) & set(reference.plz["plz"])
    for plz, rows in table.groupby("plz"):
        result = search(plz, index)
        assert result.places == [] and result.chosen is None and not result.message, plz
        answers = [o.answer() for o in result.outside]
        assert len(answers) == len(set(answers)) == len(rows), plz
        for row, answer in zip(rows.itertuples(), answers):
            assert plz in answer and row.orte in answer and "Jugendamt" in answer
            assert not row.kreis or row.kreis in answer


@pytest.mark.parametrize("query,kreis", [("67547", "Stadt Worms"), ("55270", "Landkreis Mainz-Bingen"),
                                         ("55543", "Landkreis Bad Kreuznach"), ("55116 Mainz", "Stadt Mainz")])
def test_outside_plz_answer_in_every_language(index, query, kreis):
    for lang in ("de", "en", "tr", "ar", "uk"):
        answers = [o.answer(lang) for o in search(query, index, lang).outside]
        assert len(answers) == 1 and kreis in answers[0] and query[:5] in answers[0]
    assert "prüfen Sie die Zahl" not in search(query, index).outside[0].answer()


def test_every_outside_name_is_answered_once(index, reference):
    for name in reference.outside["name"].unique():
        answers = [o.answer() for o in search(name, index).outside]
        assert len(answers) == len(set(answers)), name
    assert len(search("Bad Kreuznach", index).outside) == 1


def test_a_pasted_address_finds_its_place_for_every_gemeinde(index, reference):
    plz_of = reference.plz.groupby("gemeinde_rs")["plz"].first()
    for row in reference.gemeinden.itertuples():
        plz = plz_of[row.gemeinde_rs]
        for paste in (f"Hauptstraße 12, {plz} {row.gemeinde}", f"Alzeyer Str. 3a\n{plz} {row.gemeinde}, Deutschland",
                      f"Am Markt 3, {row.gemeinde}", f"Wormser Straße 12 {row.gemeinde}", f"Grasweg 3a {row.gemeinde}"):
            result = search(paste, index)
            assert row.gemeinde_rs in {p.gemeinde_rs for p in result.places}, paste
            assert row.gemeinde in result.notice  # says what it searched for
            if not name_could_mean_more(row.gemeinde, reference) or str(plz) in paste and len(
                    {rs for rs in meanings(row.gemeinde, reference)[0]
                     if rs in set(reference.plz.loc[reference.plz["plz"] == plz, "gemeinde_rs"])}) == 1:
                assert result.chosen is not None and result.chosen.gemeinde_rs == row.gemeinde_rs, paste


def test_an_over_long_paste_is_cut_with_a_note_never_dropped(index):
    address = "Familie Mustermann, Hauptstraße 12, 55234 Albig, Rheinland-Pfalz, Deutschland, " + "Hinweis " * 40
    result = search(address, index)
    assert result.chosen.name == "Albig" and "55234 Albig" in result.notice
    long_name = "Flonheim " + "x" * 300
    cut = search(long_name, index)
    assert "80" in cut.notice and cut.query and len(cut.query) <= 80 and "Flonheim" in cut.notice
    assert "80" in search("x" * 200, index, "en").notice and "Kein Ort" in search("x" * 200, index).message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["de", "en", "ar"]))
def test_any_typed_text_gets_places_or_a_message(index, typed, lang):
    """Whatever a visitor types or pastes (addresses with or without commas included): no exception, and either
    places to show or a message in the page's language."""
    result = search(typed, index, lang)
    assert result.places or result.message or result.outside or result.namesakes


@pytest.mark.parametrize("typed,gemeinde", [
    ("Wormser Straße 12 Alzey", "Alzey"), ("Am Markt 3a Albig", "Albig"),
    ("Dalsheimer Straße 4-6 Monsheim", "Monsheim"), ("Hauptstr. 12/1 Flonheim", "Flonheim"),
])
def test_an_address_typed_without_commas_finds_its_place(index, typed, gemeinde):
    result = search(typed, index)
    assert result.chosen is not None and result.chosen.gemeinde == gemeinde and gemeinde in result.notice
