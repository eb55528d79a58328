"""The boundary builder on a small synthetic VG250-like source it makes itself (npm list format)."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import box, mapping

from geo.build import boundaries as build_boundaries
from geo.build.boundaries import BoundaryBuildError, build
from kita.constants import district

AREA_KEYS = district().area_keys

# A 7×1 strip of areas, each split into two Gemeinden, in EPSG:4326 near Alzey.
X0, Y0, W, H = 7.9, 49.6, 0.05, 0.1


def _feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": mapping(geometry)}


def _props(rs, gen, bez):
    return {"RS": rs, "AGS": rs[:5] + rs[-3:], "GEN": gen, "BEZ": bez, "GF": 4, "WSK": "2014/07/01"}


def make_source(folder, *, drop_area=None, misplace_gemeinde=False):
    areas, gemeinden = [], []
    for i, key in enumerate(AREA_KEYS):
        cell = box(X0 + i * W, Y0, X0 + (i + 1) * W, Y0 + H)
        if key != drop_area:
            areas.append(_feature(_props(key, f"Gebiet {i}", "Verbandsgemeinde"), cell))
        for j in range(2):
            half = box(X0 + i * W, Y0 + j * H / 2, X0 + (i + 1) * W, Y0 + (j + 1) * H / 2)
            gemeinden.append(_feature(_props(f"{key}{j + 1:03d}", f"Gemeinde {i}-{j}", "Gemeinde"), half))
    if misplace_gemeinde:  # Gemeinde of area 0 lying inside area 3
        gemeinden[0]["geometry"] = mapping(box(X0 + 3 * W, Y0, X0 + 4 * W, Y0 + H / 2))
    district = _feature(_props("07331", "Alzey-Worms", "Landkreis"), box(X0, Y0, X0 + 7 * W, Y0 + H))
    other = _feature(_props("073320001", "Anderswo", "Verbandsgemeinde"), box(0, 0, 1, 1))
    files = {
        # Nested FeatureCollections as in the npm package, plus a feature of another district.
        "verwaltungsgemeinschaften.geo.json": [{"type": "FeatureCollection", "features": areas}, other],
        "gemeinden.geo.json": gemeinden,
        "kreise.geo.json": [district],
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    return folder


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def test_builds_nested_layers_with_attribution(src, tmp_path):
    out = tmp_path / "out"
    build(make_source(src), out, tolerance_m=20, stand="2017-03")
    areas = gpd.read_file(out / "areas.geojson")
    gemeinden = gpd.read_file(out / "gemeinden.geojson")
    assert sorted(areas["RS"]) == sorted(AREA_KEYS)
    assert len(gemeinden) == 14
    assert list(areas.columns) == ["RS", "AGS", "GEN", "BEZ", "geometry"]
    # Areas are dissolved from the simplified Gemeinden: they nest exactly.
    for key in AREA_KEYS:
        union = gemeinden[gemeinden["RS"].str[:9] == key].union_all()
        assert union.symmetric_difference(areas.set_index("RS").loc[key, "geometry"]).area < 1e-10
    text = (out / "areas.geojson").read_text()
    assert "7.95" in text and "7.950000" not in text  # 5 decimals at most
    source_md = (out / "SOURCE.md").read_text()
    assert "© GeoBasis-DE / BKG (2017)" in source_md and "dl-de/by-2-0" in source_md  # a BKG download
    assert "Lizenz-ID: dl-de/by-2-0" in source_md and "GeoNutzV" not in source_md


def test_missing_area_is_refused_and_nothing_written(src, tmp_path):
    make_source(src, drop_area="073315003")
    out = tmp_path / "out"
    with pytest.raises(BoundaryBuildError, match="Ebene VWG passen nicht"):
        build(src, out)
    assert not out.exists()


def test_gemeinde_outside_its_area_is_refused(src, tmp_path):
    make_source(src, misplace_gemeinde=True)
    with pytest.raises(BoundaryBuildError, match="liegt nicht genau in ihrem Gebiet"):
        build(src, tmp_path / "out")


def test_cli_reports_german_error_for_missing_source(tmp_path, capsys):
    assert build_boundaries.main(["--source", str(tmp_path / "fehlt")]) == 1
    assert "Quelle" in capsys.readouterr().err


def test_reads_bkg_geopackage(src, tmp_path):
    """The BKG download's layers (vg250_vwg, vg250_gem, vg250_krs) with the same attributes."""
    make_source(src)
    gpkg = tmp_path / "vg250.gpkg"
    for level, name in (("vwg", "verwaltungsgemeinschaften"), ("gem", "gemeinden"), ("krs", "kreise")):
        features = build_boundaries._flatten_features(json.loads((src / f"{name}.geo.json").read_text()))
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs("EPSG:25832")
        frame.to_file(gpkg, layer=f"vg250_{level}", driver="GPKG")
    build(gpkg, tmp_path / "out")
    assert len(gpd.read_file(tmp_path / "out" / "gemeinden.geojson")) == 14


def test_shipped_boundaries_match_the_district(reference):
    counts = reference.gemeinden.groupby("gebiet_rs").size().to_dict()
    assert counts == {"073310003": 1, "073315001": 24, "073315002": 5, "073315003": 7, "073315005": 8,
                      "073315006": 13, "073315007": 11}
    metric = reference.areas.to_crs("EPSG:25832")
    assert abs(metric.area.sum() / 1e6 - 587.58) < 1.0  # km², DATA.md
    overlaps = sum(
        a.intersection(b).area for i, a in enumerate(metric.geometry) for b in list(metric.geometry)[i + 1:]
    )
    assert overlaps < 1.0  # m²


def make_land_source(src):
    """The 7-area strip of 07331 plus a second Kreis 07332 with one area and one Gemeinde south of it."""
    make_source(src)
    kreise = json.loads((src / "kreise.geo.json").read_text())
    second = _feature(_props("07332", "Bad Dürkheim", "Landkreis"), box(0, 0, 1, 1))
    (src / "kreise.geo.json").write_text(json.dumps(kreise + [second]))
    gemeinden = json.loads((src / "gemeinden.geo.json").read_text())
    areas = json.loads((src / "verwaltungsgemeinschaften.geo.json").read_text())
    cell = box(X0, Y0 - H, X0 + W, Y0)  # one more area with one Gemeinde, south of the strip, in 07332
    gemeinden.append(_feature(_props("073325001001", "Neudorf", "Gemeinde"), cell))
    areas[1] = _feature(_props("073325001", "Neuland", "Verbandsgemeinde"), cell)
    (src / "gemeinden.geo.json").write_text(json.dumps(gemeinden))
    (src / "verwaltungsgemeinschaften.geo.json").write_text(json.dumps(areas))
    return src


def test_other_key_builds_a_land_with_its_kreise(src, tmp_path):
    """--kreis 07 takes every Kreis of the source: no fixed area list, and a Kreise layer to start the map at."""
    make_land_source(src)
    out = tmp_path / "out"
    assert build_boundaries.main(["--source", str(src), "--output", str(out), "--kreis", "07"]) == 0
    built_areas = gpd.read_file(out / "areas.geojson")
    assert len(built_areas) == 8 and "073325001" in set(built_areas["RS"])
    kreise_out = gpd.read_file(out / "kreise.geojson")
    assert sorted(kreise_out["RS"]) == ["07331", "07332"]
    assert set(kreise_out["GEN"]) == {"Alzey-Worms", "Bad Dürkheim"}
    assert "Regionalschlüssel 07…" in (out / "SOURCE.md").read_text()
    # The default key on the same source: the district's 7 areas, no Kreise layer.
    build(src, tmp_path / "out2")
    assert len(gpd.read_file(tmp_path / "out2" / "areas.geojson")) == 7
    assert not (tmp_path / "out2" / "kreise.geojson").exists()


def test_bad_key_is_a_german_message(src, tmp_path, capsys):
    assert build_boundaries.main(["--source", str(make_source(src)), "--output", str(tmp_path / "o"), "--kreis", "7x"]) == 1
    assert "2 (Land) bis 5 (Kreis) Ziffern" in capsys.readouterr().err


def test_npm_package_licence_file_makes_the_credit_geonutzv(src, tmp_path):
    from geo.dataset import boundary_licence_id, boundary_stand

    make_source(src)
    (src / "LICENSE").write_text(
        "The MIT License …\nThe data used in this project is subject to this ordinance: "
        "http://www.geodatenzentrum.de/docpdf/geonutzv.pdf", encoding="utf-8")
    out = tmp_path / "out"
    build(src, out, tolerance_m=20, stand="2017-03")
    source_md = (out / "SOURCE.md").read_text()
    assert "GeoNutzV" in source_md and "https://www.gesetze-im-internet.de/geonutzv/" in source_md
    assert "dl-de/by-2-0" in source_md  # only in the note that newer BKG releases use it
    assert "Daten verändert (vereinfacht, zusammengeführt)" in source_md and "01.07.2014" in source_md
    assert boundary_licence_id(out) == "geonutzv" and boundary_stand(out) == "2017-03"
    assert boundary_licence_id(tmp_path) == "geonutzv"  # no SOURCE.md: the shipped files' licence


def test_shipped_boundaries_name_the_licence_of_the_shipped_files(reference):
    assert reference.boundary_licence == "geonutzv"
    assert reference.credit.startswith("© GeoBasis-DE / BKG (2017), VG250")
    for part in ("Stand 2017-03", "GeoNutzV (Lizenztext: https://www.gesetze-im-internet.de/geonutzv/)",
                 "Daten verändert: vereinfacht, zusammengeführt", "Datensatz: https://gdz.bkg.bund.de/"):
        assert part in reference.credit
