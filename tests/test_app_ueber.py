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
    from kita.i18n import text

    with_osm = "\n".join(m.value for m in app(page="pages/ueber.py", env={"KITA_BASEMAP": "osm"}).run().markdown)
    without = "\n".join(m.value for m in app(page="pages/ueber.py").run().markdown)
    assert text("privacy_osm") in with_osm and text("privacy_osm") not in without
    assert text("privacy_no_basemap") in without


def test_about_page_renders_every_fact_with_its_source_and_the_licences(app):
    from geo.reference import load_facts
    from kita.text import md

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
    assert "vereinfacht, zusammengeführt" in plain and "| Dateidatum 2017-03; Gebietsstand im Kreis" in plain
    rows = plain.split("| Inhalt |")[1].splitlines()[2:]
    sources = rows[: next(i for i, line in enumerate(rows) if not line.startswith("|"))]
    # Every layer and table: boundaries, Kreise, places outside, PLZ, PLZ outside, Kreis changes, population,
    # Ortsteile. The Kreise layer and the places outside come from the same VG250 package as the boundaries: same
    # licence, file date, older territory.
    assert len(sources) == 8
    for row in sources[:3]:
        assert "[GeoNutzV](https://www.gesetze-im-internet.de/geonutzv/)" in row and "Dateidatum 2017-03" in row, row
    assert all("Gebietsstand der Datei älter" in row and "Kreisänderungen bis 01.07.2021 nachgetragen" in row
               for row in sources[1:3])
    assert "Osterode am Harz am 01.11.2016 in den Landkreis Göttingen" in sources[1] and "Eisenach" in sources[2]
    assert "Ortsteile" in sources[7] and "ortsteile.csv" in sources[7]
    assert "PLZ außerhalb" in sources[4] and "[Open Database License 1.0 (ODbL)]" in sources[4]
    assert "kreisaenderungen.csv" in sources[5] and "01.07.2021" in sources[5]
    # the population row says what the table holds, counted from the file: rows at the target date, the older dates
    from geo.reference import load_population

    population = load_population()
    at_target = int((population["stichtag"] == "2023-12-31").sum())
    assert f"31.12.2023 ({at_target} von 69 Gemeinden)" in sources[6] and "133.430" in sources[6]
    assert "keine Schätzungen" in sources[6] and "Schätzung" not in set(population["art"])


def test_about_page_in_english(app):
    from tests.ui_language import german_left

    at = app(page="pages/ueber.py", query={"lang": "en"}).run()
    assert not at.exception
    assert at.title[0].value == "About this map"
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "no background map" in text and "more than 600 Kita children per full-time equivalent" in text
    left = german_left(at)
    assert not left, left


def test_about_page_in_english_states_the_facts_in_english_with_their_sources(app):
    from geo.reference import load_facts
    from kita.text import md

    at = app(page="pages/ueber.py", query={"lang": "en"}).run()
    text = "\n".join(m.value for m in at.markdown)
    heads = text.replace("\\", "")
    assert "| Statement | Who | Since / applies to | Source | Date |" in heads and "| Aussage |" not in heads
    assert "| Content | Source | Data as of | Licence | Attribution, changes |" in heads
    for fact in load_facts().itertuples():
        row = next((line for line in text.splitlines() if line.startswith(f"| {md(fact.was_en)} |")), None)
        assert row is not None, fact.id
        assert md(fact.seit_en) in row and md(fact.datum_en) in row and md(fact.quelle) in row, fact.id
        assert md(fact.was) not in text, fact.id
    plain = text.replace("\\", "")
    assert "Twelve Kita social workers" in plain and "Zwölf" not in plain
    assert "[© OpenStreetMap contributors](https://www.openstreetmap.org/copyright)" in plain
    assert "simplified, merged" in plain and "vereinfacht" not in plain
    assert not at.info  # no note: every fact is in English


def test_about_page_in_a_language_without_facts_says_they_are_german(app):
    from kita.i18n import text

    at = app(page="pages/ueber.py", query={"lang": "tr"}).run()
    assert not at.exception
    assert [box.value for box in at.info] == [text("about_facts_in_german", "tr")]
    assert "Zwölf Kita-Sozialarbeiterinnen" in "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_about_page_in_turkish_arabic_and_ukrainian_is_not_german(app):
    """'Über' under tr/ar/uk: every text of the page from that language's catalogue (facts: a note that they are
    German, their sources as they are); Latin names inside Arabic text in Unicode isolates."""
    from tests.ui_language import german_left

    for lang in ("tr", "ar", "uk"):
        at = app(page="pages/ueber.py", query={"lang": lang}).run()
        assert not at.exception
        assert at.title[0].value == i18n_text("about_title", lang) != i18n_text("about_title", "de")
        assert [h.value for h in at.header] == [i18n_text(k, lang) for k in
                                                ("about_sources_title", "about_facts_title", "about_rule_title",
                                                 "about_privacy_title")]
        text = "\n".join(m.value for m in at.markdown).replace("\\", "")
        assert i18n_text("about_basemap_none", lang) in text and "keine Hintergrundkarte" not in text
        prose = "\n".join(line for line in text.splitlines() if not line.startswith("| "))  # without the tables
        assert "Datenschutz" not in prose and "kostenfreies" not in prose and "Grenzen:" not in prose
        heads = f"| {i18n_text('about_src_col_content', lang)} | {i18n_text('about_src_col_source', lang)} |"
        assert heads in text and f"| {i18n_text('about_src_boundaries', lang)} |" in text
        left = [t for t in german_left(at) if "|---|" not in t]  # the tables: names and facts as their sources write
        assert not left, (lang, left)
    assert "\u2068VG250\u2069" in i18n_text("about_boundaries", "ar")


def i18n_text(key: str, lang: str) -> str:
    from kita.i18n import text

    return text(key, lang)
