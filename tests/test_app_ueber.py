"""AppTest of the About page: sources, attribution, rule and external requests named."""


def test_about_page_names_sources_and_requests(app):
    at = app(page="pages/ueber.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "© GeoBasis-DE / BKG (2017)" in text.replace("\\", "")
    assert "ODbL" in text
    assert "keine Hintergrundkarte" in text  # KITA_BASEMAP=none in the test app
    assert "600" in text  # the coverage threshold from the rule text


def test_about_page_with_osm_names_the_tile_server(app):
    at = app(page="pages/ueber.py", env={"KITA_BASEMAP": "osm"}).run()
    assert "tile.openstreetmap.org" in "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_about_page_gives_the_privacy_sentence_only_for_osm(app):
    from geo.i18n import text

    with_osm = "\n".join(m.value for m in app(page="pages/ueber.py", env={"KITA_BASEMAP": "osm"}).run().markdown)
    without = "\n".join(m.value for m in app(page="pages/ueber.py").run().markdown)
    assert text("privacy_osm") in with_osm and text("privacy_osm") not in without
    assert text("privacy_no_basemap") in without


def test_about_page_renders_every_fact_with_its_source_and_the_licences(app):
    from geo.reference import load_facts
    from geo.text import md

    at = app(page="pages/ueber.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    facts = load_facts()
    for fact in facts.itertuples():
        row = next((line for line in text.splitlines() if line.startswith(f"| {md(fact.was)} |")), None)
        assert row is not None, fact.id
        for value in (fact.wer, fact.seit, fact.quelle, fact.datum):
            assert md(value) in row, (fact.id, value)
        if fact.url:
            assert f"]({fact.url})" in row
    plain = text.replace("\\", "")
    assert "Zwölf Kita-Sozialarbeiterinnen" in plain
    assert "12 Stellen" not in plain
    assert "[GeoNutzV](https://www.gesetze-im-internet.de/geonutzv/)" in plain
    assert "dl-de/by-2-0" not in plain.split("| Inhalt |")[1].split("\n\n")[0]  # not the licence of the shipped files
    assert "[Open Database License 1.0 (ODbL)](https://opendatacommons.org/licenses/odbl/1-0/)" in plain
    assert "[© OpenStreetMap-Mitwirkende](https://www.openstreetmap.org/copyright)" in plain and "| 2021-03 |" in plain
    assert "vereinfacht, zusammengeführt" in plain and "| 2017-03 |" in plain


def test_about_page_in_english(app):
    from tests.ui_language import german_left

    at = app(page="pages/ueber.py", query={"lang": "en"}).run()
    assert not at.exception
    assert at.title[0].value == "About this map"
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "no background map" in text and "more than 600 Kita children per full-time equivalent" in text
    # the tables of sources and facts quote the German records of data/reference (each with its source)
    left = [t for t in german_left(at) if not t.startswith("| ")]
    assert not left, left
