"""Loading and validation: every problem named with file, row and column, nothing half-loaded."""

import shutil

import geopandas as gpd
import pandas as pd
import pytest

from geo import layers
from kita.constants import data_folder

SEED_DIR = data_folder().seed
from kita.errors import DataError


@pytest.fixture
def seed_copy(tmp_path):
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def rewrite(path, change):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(path, index=False)


def test_shipped_seed_is_valid_and_flagged_demo(seed, reference):
    assert len(seed["kitas"]) >= 60
    assert seed["kitas"]["demo"].all() and seed["fachkraefte"]["demo"].all()
    assert layers.uses_demo_data(seed)
    # Every Kita lies inside its own Gemeinde.
    kitas = seed["kitas"]
    points = gpd.GeoDataFrame(kitas, geometry=gpd.points_from_xy(kitas["lon"], kitas["lat"]), crs="EPSG:4326")
    joined = points.sjoin(reference.gemeinden[["gemeinde_rs", "geometry"]], predicate="within", how="left")
    assert (joined["gemeinde_rs_left"] == joined["gemeinde_rs_right"]).all()


def test_press_release_facts_in_seed(seed):
    positions = seed["fachkraefte"]
    import datetime as dt

    before = positions[positions["beginn"] < dt.date(2024, 8, 1)]
    assert len(before) == 12
    assert "073315003" not in set(before["gebiet_rs"])  # none in VG Monsheim
    assert set(before["gebiet_rs"]) == {"073310003", "073315001", "073315002", "073315005", "073315006", "073315007"}
    assert (positions["beginn"] >= dt.date(2024, 8, 1)).any()  # additions from summer 2024
    coordination = seed["kontakte"].set_index("id").loc["koordination"]
    assert coordination["name"] == "Katrin Leisenheimer" and coordination["telefon"] == ""


def test_missing_plz_is_reported_with_file_and_line(seed_copy, reference):
    rewrite(seed_copy / "kitas.csv", lambda f: f.__setitem__("plz", f["plz"].where(f.index != 12, "")))
    with pytest.raises(DataError) as error:
        layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))
    assert "Datei" in str(error.value) and "kitas.csv, Zeile 14: PLZ fehlt" in error.value.problems[0]


def test_several_problems_are_all_listed(seed_copy, reference):
    def break_rows(frame):
        frame.loc[0, "lat"] = "8,1"  # swapped coordinates
        frame.loc[1, "gemeinde_rs"] = "073320001001"  # Gemeinde of another district
        frame.loc[2, "kinder"] = "viele"
        frame.loc[3, "id"] = frame.loc[4, "id"]

    rewrite(seed_copy / "kitas.csv", break_rows)
    with pytest.raises(DataError) as error:
        layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))
    text = "\n".join(error.value.problems)
    assert "Zeile 2: Breite (lat) 8,1 liegt nicht im Kreisgebiet" in text
    assert "Zeile 3: Gemeinde-Schlüssel 073320001001 ist keine Gemeinde des Kreises" in text
    assert "Zeile 4: Kinder „viele“ ist keine Zahl" in text
    assert "Zeile 5: id „K00300305“ kommt mehrfach vor (Zeilen 5, 6)" in text


def test_position_checks(seed_copy, reference):
    def break_rows(frame):
        frame.loc[0, "vze"] = "1,5"
        frame.loc[1, "ende"] = "2020-01-01"
        frame.loc[2, "kitas"] = "K999"
        frame.loc[3, "beginn"] = "31.02.2024"  # German form is fine, this day is not

    rewrite(seed_copy / "fachkraefte.csv", break_rows)
    with pytest.raises(DataError) as error:
        layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))
    text = "\n".join(error.value.problems)
    assert "VZÄ 1,5 liegt nicht zwischen 0,1 und 1,0" in text
    assert "Ende 2020-01-01 liegt vor Beginn" in text
    assert "unbekannte Kita-ID(s) K999" in text
    assert "Beginn „31.02.2024“ ist kein Datum" in text


def test_semicolon_csv_from_excel_is_accepted(seed_copy, reference):
    frame = pd.read_csv(seed_copy / "kontakte.csv", dtype=str, keep_default_na=False)
    frame.to_csv(seed_copy / "kontakte.csv", sep=";", index=False)
    assert len(layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))["kontakte"]) == len(frame)


def test_cp1252_file_is_read_undecodable_file_and_missing_file_are_refused(seed_copy, reference):
    (seed_copy / "kontakte.csv").write_bytes("id,rolle,name\nx,Koordinatorin,Jürgen\n".encode("cp1252"))
    assert list(layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))["kontakte"]["name"]) == ["Jürgen"]
    # 0x81 is undefined in cp1252 and invalid in UTF-8.
    (seed_copy / "kontakte.csv").write_bytes(b"id,rolle,name\nx,Koordinatorin,J\x81rgen\n")
    with pytest.raises(DataError, match="kontakte.csv: unbekannte Zeichenkodierung .*CSV UTF-8"):
        layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))
    (seed_copy / "kontakte.csv").unlink()
    with pytest.raises(DataError, match="kontakte.csv fehlt"):
        layers.read_seed(seed_copy, set(reference.gemeinden["gemeinde_rs"]))


def test_missing_or_corrupt_boundary_file(tmp_path):
    with pytest.raises(DataError, match="fehlt"):
        layers.load_areas(tmp_path)
    (tmp_path / "areas.geojson").write_text("{ kaputt", encoding="utf-8")
    with pytest.raises(DataError, match="beschädigt"):
        layers.load_areas(tmp_path)


def test_reference_layers(reference):
    assert len(reference.areas) == 7 and len(reference.gemeinden) == 69
    assert set(reference.areas["gebiet"]) >= {"Stadt Alzey", "VG Monsheim", "VG Wonnegau"}
    assert reference.plz["plz"].nunique() == 25
    assert set(reference.plz["gemeinde_rs"]) == set(reference.gemeinden["gemeinde_rs"])
    assert reference.attribution == "© GeoBasis-DE / BKG (2017)"


@pytest.mark.parametrize("name", ["areas", "gemeinden", "kreis", "kreise_deutschland"])
def test_boundaries_read_without_gdal_equal_what_gdal_reads(name):
    """layers.read_geojson (json + shapely, keeps GDAL out of the app process) gives what gpd.read_file gives."""
    import geopandas as gpd

    from kita.constants import data_folder

    BOUNDARY_DIR = data_folder().boundaries

    path = BOUNDARY_DIR / f"{name}.geojson"
    ours, gdal = layers.read_geojson(path), gpd.read_file(path)
    assert ours.crs == gdal.crs and list(ours.columns) == list(gdal.columns)
    assert ours.drop(columns="geometry").equals(gdal.drop(columns="geometry"))
    assert ours.geometry.geom_equals_exact(gdal.geometry, 1e-12).all()


def test_an_old_style_crs_member_is_honoured(tmp_path):
    path = tmp_path / "alt.geojson"
    path.write_text('{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
                    '"urn:ogc:def:crs:EPSG::25832"}}, "features": [{"type": "Feature", "properties": {"RS": "1", '
                    '"GEN": "A"}, "geometry": {"type": "Point", "coordinates": [450000, 5500000]}}]}', encoding="utf-8")
    frame = layers.read_geojson(path)
    assert frame.crs.to_epsg() == 25832 and frame.geometry.iloc[0].x == 450000
