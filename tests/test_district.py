"""Any district by configuration: the data folder's kreis.toml names it, KITA_DATA_DIR picks the folder;
caches follow the database's data version, which every process sees."""

import dataclasses
import json
import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from bench import scale_case
from datastore.store import Store
from geo import dataset
from geo.build.boundaries import build
from kita.constants import ROOT, district, load_district
from kita.errors import DataError
from kita.i18n import text
from tests.test_build_boundaries import make_land_source, make_source

MUSTER_TOML = """[kreis]
name = "Landkreis Musterkreis"
name_en = "Musterkreis district"
kurzname = "Musterkreis"
schluessel = "07331"
laenge = [7.5, 8.8]
breite = [49.2, 50.3]
"""


def test_broken_kreis_toml_is_a_german_message(tmp_path):
    path = tmp_path / "kreis.toml"
    path.write_text("[kreis]\nname = 'X'\n", encoding="utf-8")  # no key, no bounding box
    with pytest.raises(DataError, match="kreis.toml fehlt oder ist fehlerhaft"):
        load_district(path)


def test_app_with_a_broken_kreis_toml_does_not_start_and_says_why(tmp_path):
    """Not a blank page for every visitor: `streamlit run` stops at once with the German message."""
    (tmp_path / "kreis.toml").write_text("[kreis]\nname = [\n", encoding="utf-8")
    env = {**os.environ, "KITA_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
                           "--server.port", "0"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Die Kita-Karte startet nicht" in done.stderr and "kreis.toml fehlt oder ist fehlerhaft" in done.stderr


def data_folder(folder, make, kreis="07331"):
    """A data folder from a synthetic VG250 source: boundaries, generated Kitas and positions, kreis.toml."""
    source = folder / "src"
    source.mkdir()
    built = build(make(source), folder / "boundaries", stand="2017-03", kreis=kreis)
    gemeinden = built["gemeinden"].to_crs("EPSG:4326")
    plz = pd.DataFrame({"plz": ["99991"] * len(gemeinden), "gemeinde_rs": gemeinden["RS"], "gemeinde": gemeinden["GEN"]})
    (folder / "reference").mkdir()
    plz.to_csv(folder / "reference" / "plz_gemeinden.csv", index=False)
    (folder / "seed").mkdir()
    scale_case.kitas_table(gemeinden, plz).to_csv(folder / "seed" / "kitas.csv", index=False)
    scale_case.positions_table(built["areas"]).to_csv(folder / "seed" / "fachkraefte.csv", index=False)
    for name in ("kontakte", "gemeinden_kennzahlen"):
        (folder / "seed" / f"{name}.csv").write_text((ROOT / "data" / "seed" / f"{name}.csv").read_text(encoding="utf-8"))
    kennzahlen = pd.read_csv(folder / "seed" / "gemeinden_kennzahlen.csv", dtype=str).iloc[0:0]
    kennzahlen.to_csv(folder / "seed" / "gemeinden_kennzahlen.csv", index=False)
    (folder / "kreis.toml").write_text(MUSTER_TOML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def muster_folder(tmp_path_factory):
    return data_folder(tmp_path_factory.mktemp("muster"), make_source)


def run_start_page(folder, database, query: dict | None = None) -> dict:
    """The start page in a fresh process (the data folder is fixed at import): title, errors, subheaders, and
    which layers the map component carries."""
    script = f"""
import json, re
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(ROOT / 'dashboard.py')!r}, default_timeout=120)
for key, value in {query or {}!r}.items():
    at.query_params[key] = value
at.run()
scripts = " ".join(json.loads(c.proto.json_args).get("script", "") for c in at.get("component_instance"))
print(json.dumps({{"title": [t.value for t in at.title], "errors": [e.value for e in at.exception] + [e.value for e in at.error],
                  "subheaders": [s.value for s in at.header], "kitas": len(re.findall(r'"typ": ?"kita"', scripts)),
                  "gemeinden": re.search(r'"dashArray": ?"2 3"', scripts) is not None}}))
"""
    env = {**os.environ, "KITA_DATA_DIR": str(folder), "KITA_BASEMAP": "none", "KITA_DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_land_starts_at_land_level_and_drills_into_a_kreis(tmp_path_factory, tmp_path):
    """A data folder of two Kreise: the start page shows every area without Gemeinden or Kitas; an area of the
    second Kreis opens that Kreis's map with its Gemeinde borders and Kitas, and its card."""
    folder = data_folder(tmp_path_factory.mktemp("land"), make_land_source, kreis="07")
    overview = run_start_page(folder, tmp_path / "land.sqlite")
    assert overview["errors"] == [] and overview["kitas"] == 0 and not overview["gemeinden"]
    kreis = run_start_page(folder, tmp_path / "land.sqlite", {"gebiet": "073325001"})
    assert kreis["errors"] == [] and kreis["subheaders"][0].replace("\\\\", "") == "VG Neuland"
    assert kreis["gemeinden"] and kreis["kitas"] == 1  # the one Gemeinde of 07332 has one Kita


def test_app_runs_for_another_data_folder(muster_folder, tmp_path):
    """The start page for the invented district: its name, its 7 areas, its Kitas; nothing from data/."""
    result = run_start_page(muster_folder, tmp_path / "muster.sqlite")
    assert result["errors"] == []
    assert result["title"] == ["Kita-Sozialarbeit im Landkreis Musterkreis"]
    assert result["gemeinden"] and result["kitas"] == 14  # a district map, every Kita of the folder
    kitas = Store(f"sqlite:///{tmp_path}/muster.sqlite").read("kitas")
    assert set(kitas["name"]).issubset({f"Kita Gemeinde {i}-{j} (Beispiel)" for i in range(7) for j in range(2)})


def test_every_process_sees_the_data_version(tmp_path):
    """Two stores on one database stand for two app processes: a write through one moves the version
    the other reads, so caches keyed by it (ui.tables, ui.coverage, the map) are renewed everywhere."""
    url = f"sqlite:///{tmp_path}/shared.sqlite"
    first = Store(url)
    second = Store(url)
    before = second.version()
    kita = first.read("kitas").iloc[0].to_dict()
    first.save_row("kitas", {**kita, "name": "Kita Umbenannt"}, who="Test")
    assert second.version() > before
    assert "Kita Umbenannt" in set(second.read("kitas")["name"])


def test_a_kreis_folder_takes_name_and_frame_from_vg250(tmp_path):
    """bench.scale_case --kreis writes kreis.toml from the Kreis's VG250 row and outline: nothing typed in code."""
    district = gpd.GeoDataFrame({"RS": ["07332"], "GEN": ['Bad "Dürkheim"'], "BEZ": ["Landkreis"]},
                                geometry=[box(7.8, 49.3, 8.3, 49.6)], crs="EPSG:4326")
    (tmp_path / "kreis.toml").write_text(scale_case.kreis_toml(district), encoding="utf-8")
    loaded = load_district(tmp_path / "kreis.toml")
    assert (loaded.name, loaded.short_name, loaded.key) == ('Landkreis Bad "Dürkheim"', 'Bad "Dürkheim"', "07332")
    assert loaded.lon_range[0] < 7.8 < 8.3 < loaded.lon_range[1] and loaded.lat_range[0] < 49.3 < 49.6 < loaded.lat_range[1]
    assert loaded.area_keys == ()  # every area of the folder's areas.geojson
    assert loaded.administration == 'Kreisverwaltung Bad "Dürkheim"'
    city = district.assign(RS="07315", GEN="Mainz", BEZ="Kreisfreie Stadt")
    (tmp_path / "kreis.toml").write_text(scale_case.kreis_toml(city), encoding="utf-8")
    assert (load_district(tmp_path / "kreis.toml").name, load_district(tmp_path / "kreis.toml").name_en) == (
        "Stadtgebiet Mainz", "City of Mainz")  # "im Stadtgebiet Mainz", not "im Kreisfreie Stadt Mainz"
    assert load_district(tmp_path / "kreis.toml").administration == "Stadtverwaltung Mainz"


def test_a_kreis_plz_table_skips_names_another_kreis_has_too():
    gemeinden = pd.DataFrame({"RS": ["073320001001", "073320002002"], "GEN": ["Altdorf", "Bad Dürkheim"]})
    land_names = pd.Series(["Altdorf", "Bad Dürkheim", "Altdorf"])  # another Altdorf elsewhere in the Land
    plz = scale_case.plz_table({"67098": ["Bad Dürkheim"], "67482": ["Altdorf"]}, gemeinden, land_names)
    assert plz.to_dict("records") == [{"plz": "67098", "gemeinde_rs": "073320002002", "gemeinde": "Bad Dürkheim"}]
    assert len(scale_case.plz_table({"67482": ["Altdorf"]}, gemeinden)) == 1  # within the Kreis it is unique


def test_search_hint_names_places_of_the_data_folder(reference, seed):
    """kreis.toml's suchbeispiele, else the data's own places: the Gemeinden with most Kitas and a PLZ of the first."""
    assert dataset.search_examples(reference, seed["kitas"]) == {"ort1": "Alzey-Dautenheim", "ort2": "Flonheim", "plz": "55234"}
    derived = dataset.search_examples(reference, seed["kitas"], dataclasses.replace(district(), search_examples=()))
    most = sorted(seed["kitas"]["gemeinde_rs"].value_counts().items(), key=lambda item: (-item[1], item[0]))
    names = reference.gemeinden.set_index("gemeinde_rs")["gemeinde"]
    assert [derived["ort1"], derived["ort2"]] == [names[most[0][0]], names[most[1][0]]]
    assert derived["plz"] in set(reference.plz.loc[reference.plz["gemeinde_rs"] == most[0][0], "plz"])
    assert text("search_placeholder", "en", **derived) == f"e.g. {derived['ort1']}, {derived['ort2']} or {derived['plz']}"
    one = dataclasses.replace(reference, gemeinden=reference.gemeinden.iloc[:1])  # a kreisfreie Stadt: one Gemeinde
    single = dataset.search_examples(one, seed["kitas"], dataclasses.replace(district(), search_examples=()))
    codes = set(reference.plz.loc[reference.plz["gemeinde_rs"] == one.gemeinden["gemeinde_rs"].iloc[0], "plz"])
    assert single["ort1"] == one.gemeinden["gemeinde"].iloc[0] and single["plz"] in codes
    assert single["ort2"] in codes | {""} and single["ort2"] != single["plz"]


def test_texts_name_the_data_folders_administration_not_a_fixed_one(monkeypatch):
    """A kreisfreie Stadt has a Stadtverwaltung: the texts take the administration from kreis.toml. (The
    coordination's note is not among them: it is stored data that matches its catalogue text word for word.)"""
    from kita import constants

    changed = dataclasses.replace(district(), administration="Stadtverwaltung Musterstadt")
    monkeypatch.setattr(constants, "district", lambda: changed)
    for key in ("demo_notice", "demo_notice_short", "about_demo_data", "export_demo_note", "plan_html_demo",
                "card_alternatives"):
        for lang in ("de", "en"):
            said = text(key, lang)
            assert "Stadtverwaltung Musterstadt" in said and "Kreisverwaltung" not in said, (key, lang)
    assert text("login_oidc_button", "de") == "Mit dem Konto der Stadtverwaltung Musterstadt anmelden"
