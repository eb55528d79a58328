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
