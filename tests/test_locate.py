"""'Mein Standort': a point → the Gemeinde of the district, or the district elsewhere it lies in."""

import re

import pytest

from geo.locate import Location, germany_kreise, kreis_name, locate, valid_point


def test_every_gemeinde_is_found_from_a_point_inside_it(reference):
    for row in reference.gemeinden.itertuples():
        point = row.geometry.representative_point()
        found = locate(point.y, point.x, reference.gemeinden)
        assert (found.gemeinde_rs, found.gemeinde) == (row.gemeinde_rs, row.gemeinde)
        assert found.inside and not found.kreis


@pytest.mark.parametrize("lat,lon,kreis", [
    (49.8450, 7.8670, "Landkreis Bad Kreuznach"),
    (49.6320, 8.3590, "Stadt Worms (kreisfrei)"),
    (49.9990, 8.2730, "Stadt Mainz (kreisfrei)"),
    (52.5200, 13.4050, "Stadt Berlin (kreisfrei)"),
    (49.6640, 8.0110, "Donnersbergkreis"),  # Kirchheimbolanden: the name says "Kreis" already
    (49.4094, 8.6930, "Stadt Heidelberg (kreisfrei)"),  # a Stadtkreis of Baden-Württemberg
])
def test_point_outside_names_its_district(reference, lat, lon, kreis):
    found = locate(lat, lon, reference.gemeinden)
    assert found == Location(kreis=kreis) and not found.inside


def test_point_outside_germany_is_neither(reference):
    assert locate(48.8566, 2.3522, reference.gemeinden) == Location()


@pytest.mark.parametrize("metres,inside", [(40, True), (800, False)])
def test_point_just_outside_the_simplified_border_counts_as_inside(reference, metres, inside):
    import geopandas as gpd

    from kita.constants import METRIC_CRS, OUTPUT_CRS

    district = reference.district.to_crs(METRIC_CRS).geometry.union_all()
    ring = district.buffer(metres).boundary  # every point of it lies ``metres`` outside the district
    for fraction in (0.1, 0.4, 0.7):
        point = gpd.GeoSeries([ring.interpolate(fraction, normalized=True)], crs=METRIC_CRS).to_crs(OUTPUT_CRS)[0]
        assert locate(point.y, point.x, reference.gemeinden).inside is inside


@pytest.mark.parametrize("lat,lon", [(None, 8.1), ("x", 8.1), (float("nan"), 8.1), (91, 8.1), (49.7, 181)])
def test_invalid_point_is_rejected(reference, lat, lon):
    assert not valid_point(lat, lon)
    with pytest.raises(ValueError):
        locate(lat, lon, reference.gemeinden)


def test_kreise_cover_germany_and_name_them():
    kreise = germany_kreise()
    assert len(kreise) > 390 and kreise.crs.to_epsg() == 25832
    assert kreis_name("Landkreis", "Bad Kreuznach") == "Landkreis Bad Kreuznach"
    assert kreis_name("Kreis", "Bergstraße") == "Kreis Bergstraße"


@pytest.mark.parametrize("bez,gen,label", [
    ("Landkreis", "Donnersbergkreis", "Donnersbergkreis"),
    ("Landkreis", "Eifelkreis Bitburg-Prüm", "Eifelkreis Bitburg-Prüm"),
    ("Kreis", "Rhein-Kreis Neuss", "Rhein-Kreis Neuss"), ("Landkreis", "Region Hannover", "Region Hannover"),
    ("Kreis", "Städteregion Aachen", "Städteregion Aachen"),
    ("Landkreis", "Regionalverband Saarbrücken", "Regionalverband Saarbrücken"),
    ("Stadtkreis", "Heidelberg", "Stadt Heidelberg (kreisfrei)"), ("Landkreis", "Regen", "Landkreis Regen"),
])
def test_kreis_names_are_said_once(bez, gen, label):
    assert kreis_name(bez, gen) == label


def test_every_kreis_of_the_layer_is_named_without_a_doubled_type():
    for row in germany_kreise().itertuples():
        name = kreis_name(row.BEZ, row.GEN)
        assert not re.search(r"(?i)^(landkreis|kreis)\b.*kreis", name), name
        assert row.GEN.split(",")[0] in name
