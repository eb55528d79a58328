"""Kreis mergers after the VG250 files' territorial state: the build applies them, so neither "Mein Standort" nor the
search names a Kreis that no longer exists (Osterode am Harz since 2016, Eisenach as kreisfreie Stadt since 2021)."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.build import kreis_changes
from geo.build.kreis_changes import KreisChange
from geo.build.outside import build_table
from geo.locate import germany_kreise, locate
from geo.search import search

MERGER = [
    KreisChange("03152", "Göttingen", "03159", "Göttingen", "Landkreis", "", "2016-11-01"),
    KreisChange("03156", "Osterode am Harz", "03159", "Göttingen", "Landkreis", "Stadt", "2016-11-01"),
    KreisChange("16056", "Eisenach", "16063", "Wartburgkreis", "Landkreis", "Stadt", "2021-07-01"),
]
OLD_KREISE = [
    {"RS": "03152", "GEN": "Göttingen", "BEZ": "Landkreis"},
    {"RS": "03156", "GEN": "Osterode am Harz", "BEZ": "Landkreis"},
    {"RS": "16056", "GEN": "Eisenach", "BEZ": "Kreisfreie Stadt"},
    {"RS": "16063", "GEN": "Wartburgkreis", "BEZ": "Landkreis"},
    {"RS": "07319", "GEN": "Worms", "BEZ": "Kreisfreie Stadt"},
]


def test_merged_kreise_are_gone_and_their_towns_are_places_of_the_new_kreis():
    table = build_table([], OLD_KREISE, MERGER)
    rows = {(r.name, r.typ): (r.rs, r.kreis, r.kreisfrei) for r in table.itertuples()}
    assert rows[("Osterode am Harz", "Stadt")] == ("03159", "Landkreis Göttingen", False)
    assert rows[("Eisenach", "Stadt")] == ("16063", "Wartburgkreis", False)
    assert rows[("Göttingen", "Landkreis")] == ("03159", "Landkreis Göttingen", False)
    assert rows[("Worms", "Kreisfreie Stadt")] == ("07319", "Stadt Worms", True)  # untouched
    assert not {"Landkreis Osterode am Harz", "Stadt Eisenach"} & set(table["kreis"])
    assert len(table) == 5  # Göttingen once, Wartburgkreis once, two towns, Worms


def test_a_source_already_in_todays_state_is_left_as_it_is():
    today = [{"RS": "03159", "GEN": "Göttingen", "BEZ": "Landkreis"}, {"RS": "16063", "GEN": "Wartburgkreis",
                                                                       "BEZ": "Landkreis"}]
    assert kreis_changes.apply_to_properties(today, MERGER) == (today, [])


def test_gemeinde_keys_of_a_merged_kreis_lead_to_the_new_one():
    assert kreis_changes.current_key("031560005005", MERGER) == "03159"
    assert kreis_changes.current_key("073310003003", MERGER) == "07331"


def test_layer_joins_the_land_of_merged_kreise():
    layer = gpd.GeoDataFrame(
        {"RS": ["03152", "03156", "16056", "16063"],
         "GEN": ["Göttingen", "Osterode am Harz", "Eisenach", "Wartburgkreis"],
         "BEZ": ["Landkreis", "Landkreis", "Kreisfreie Stadt", "Landkreis"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6), box(4, 4, 7, 7).difference(box(5, 5, 6, 6))],
        crs="EPSG:25832")
    today = kreis_changes.apply_to_layer(layer, MERGER).set_index("RS")
    assert sorted(today.index) == ["03159", "16063"]
    assert today.loc["03159", "geometry"].area == pytest.approx(2.0)
    assert today.loc["16063", "geometry"].area == pytest.approx(9.0)  # the Kreis with the former city in it
    assert today.loc["16063", "GEN"] == "Wartburgkreis"


def test_change_table_names_a_source_and_date_for_every_row():
    table = pd.read_csv(kreis_changes.changes_file(), dtype=str, keep_default_na=False)
    assert list(table.columns) == kreis_changes.COLUMNS and len(table) >= 3
    for row in table.itertuples():
        assert row.quelle and row.url.startswith("https://") and pd.Timestamp(row.wirksam) < pd.Timestamp.now()
        assert len(row.alt_rs) == len(row.neu_rs) == 5 and row.alt_rs != row.neu_rs


def test_shipped_layers_are_in_todays_state(reference):
    """The committed files were built with the changes: no old key is left in the Kreise layer or the tables."""
    old_keys = {change.alt_rs for change in kreis_changes.load()}
    assert not old_keys & set(germany_kreise()["RS"])
    kreise_rows = reference.outside[reference.outside["typ"].isin(["Landkreis", "Kreisfreie Stadt", "Kreis"])]
    assert not old_keys & set(kreise_rows["rs"])
    assert not {"Landkreis Osterode am Harz", "Stadt Eisenach"} & set(reference.outside_plz["kreis"])


@pytest.mark.parametrize("lat,lon,kreis", [
    (51.7275, 10.2520, "Landkreis Göttingen"),  # Osterode am Harz
    (50.9750, 10.3200, "Wartburgkreis"),  # Eisenach, Markt
])
def test_location_in_a_merged_kreis_names_todays_kreis(reference, lat, lon, kreis):
    assert locate(lat, lon, reference.gemeinden).kreis == kreis


@pytest.fixture(scope="module")
def index(reference, seed):
    from geo.search import build_index

    return build_index(reference.gemeinden, reference.areas, reference.plz, seed["kitas"], reference.ortsteile,
                       reference.outside, reference.outside_plz)


@pytest.mark.parametrize("query,kreis", [("Osterode am Harz", "Landkreis Göttingen"), ("Eisenach", "Wartburgkreis"),
                                         ("37520", "Landkreis Göttingen"), ("99817", "Wartburgkreis")])
def test_search_names_todays_kreis(index, query, kreis):
    answers = [o.answer() for o in search(query, index).outside]
    assert any(kreis in answer for answer in answers), answers
    assert not any("Osterode am Harz (" in a or "kreisfreie Stadt" in a and "Eisenach" in a for a in answers)
