"""The map in the UI language, readable without colour: every text it shows from the catalogues (names of
places and Kitas untranslated), the map document's language and zoomable viewport, hatch and words for the
classes, and text contrast >= 4.5:1 on every fill colour."""

import datetime as dt
import html as html_lib
import json
import re

import folium
import pytest

from geo import assets, maps
from kita import i18n
from kita.coverage import CLASS_ORDER, CLASSES, NONE
from tests import contrast
from tests.test_maps import parts  # noqa: F401 (the same seed map parts)

# German words of the map's texts (legend, classes, tooltips, gesture hints, attribution): none may remain in
# another language. Whole words, so Kita names (German, never translated) are not mistaken for them.
GERMAN_WORDS = ["Versorgung", "versorgt", "unterversorgt", "Kita-Sozialarbeit", "VZÄ", "Grenzen", "Strg", "Mausrad",
                "Zoomen", "Fingern", "Datensatz", "Lizenztext", "verändert", "vereinfacht", "Fachkraft", "betreut",
                "derzeit", "ohne", "mit", "Stand", "keine"]


def build(reference, parts, lang, **options):
    coverage, kitas = parts
    assets.use_local_assets()
    return maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage, lang=lang),
                          gemeinden=reference.gemeinden, boundary_attribution=reference.credit_in(lang), lang=lang,
                          **options)


def _plain(markup: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))


def shown_texts(fmap: folium.Map) -> list[str]:
    """Every text the map shows a person: tooltips, screen-reader labels, name labels, legend, attribution,
    gesture hints (taken from the built map's elements, as the browser gets them)."""
    texts = list(fmap.options["gesture_handling_options"]["text"].values())

    def walk(element):
        yield element
        for child in element._children.values():
            yield from walk(child)

    for element in walk(fmap):
        if isinstance(element, folium.GeoJson):
            for feature in element.data["features"]:
                texts += [_plain(feature["properties"][k]) for k in ("tooltip", "label") if k in feature["properties"]]
        elif type(element).__name__ == "Labels":
            texts += [_plain(html) for _, _, html in element.labels]
        elif type(element).__name__ == "KitaTooltip":
            texts += element.texts
        elif type(element).__name__ == "Legend":
            texts.append(_plain(element.html))
        elif type(element).__name__ == "Attribution":
            texts.append(_plain(element.text))
    return texts


def german_words_in(texts: list[str]) -> set[str]:
    joined = "\n".join(texts)
    return {word for word in GERMAN_WORDS if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", joined)}


def test_german_map_shows_the_german_words_the_check_looks_for(reference, parts):
    found = german_words_in(shown_texts(build(reference, parts, "de", gemeinde_labels=True)))
    assert {"Versorgung", "versorgt", "Kita-Sozialarbeit", "VZÄ", "Grenzen", "Mausrad", "Datensatz"} <= found


@pytest.mark.parametrize("lang", ["en", "tr", "uk", "ar"])
def test_no_german_text_remains_and_names_stay(reference, parts, lang):
    coverage, kitas = parts
    fmap = build(reference, parts, lang, gemeinde_labels=True)
    texts = shown_texts(fmap)
    assert german_words_in(texts) == set(), lang
    joined = "\n".join(texts)
    for klasse in CLASS_ORDER:
        assert CLASSES[klasse].title(lang) in joined and CLASSES[klasse].title(lang) != CLASSES[klasse].title("de")
    for name in [*reference.areas["gebiet"], *reference.gemeinden["gemeinde"], *kitas["name"]]:
        assert name in joined, name  # names of places and Kitas are never translated
    assert i18n.text("map_legend_kita_uncovered", lang) in joined
    assert i18n.text("map_gesture_scroll", lang) in joined


def test_coordinators_map_in_english_has_english_figures(reference, parts):
    coverage, _ = parts
    texts = shown_texts(build(reference, parts, "en"))
    tooltips = [t for t in texts if " FTE " in t]
    assert len(tooltips) == len(coverage)
    monsheim = coverage.set_index("gebiet_rs").loc["073315003"]
    assert any(f"{monsheim['vze']:.2f} FTE" in t for t in tooltips)  # English decimal point, via Babel


def test_numbers_in_the_legend_follow_the_language():
    values = __import__("pandas").Series({"a": 1200.0, "b": 1500.5, "c": 300.0})
    german = maps.classed_fill(values, "x", scheme="fixed", bins=[1000, 2000], digits=1)
    english = maps.classed_fill(values, "x", scheme="fixed", bins=[1000, 2000], digits=1, lang="en")
    assert [label for _, label in german.legend] == ["bis 1.000,0", "1.000,0 – 2.000,0"]
    assert [label for _, label in english.legend] == ["up to 1,000.0", "1,000.0 – 2,000.0"]


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_map_document_has_the_language_stays_left_to_right_and_can_be_zoomed(reference, parts, lang):
    html = build(reference, parts, lang).get_root().render()
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert maps.ZOOMABLE_VIEWPORT in html
    assert f"document.documentElement.lang = {json.dumps(lang)}" in html
    assert "document.documentElement.dir = 'ltr'" in html
    legend = next(c for c in build(reference, parts, lang)._children.values() if type(c).__name__ == "Legend")
    assert f"dir='{i18n.direction(lang)}'" in legend.html  # Arabic legend reads right-to-left inside the LTR map


def test_no_class_is_told_by_colour_alone(reference, parts):
    coverage, kitas = parts
    fmap = build(reference, parts, "en")
    areas = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Versorgungsgebiete")
    for feature in areas.data["features"]:
        props = feature["properties"]
        words = CLASSES[props["klasse"]].title("en")
        assert words in props["tooltip"] and props["label"].endswith(words)
        hatched = props["klasse"] == NONE
        assert props["paint"] == (f"url(#{maps.hatch_id(CLASSES[NONE].colour)})" if hatched else props["fill"])
    html = fmap.get_root().render()
    assert f"id='{maps.hatch_id(CLASSES[NONE].colour)}'" in html  # the pattern the paint refers to
    legend = next(c for c in fmap._children.values() if type(c).__name__ == "Legend").html
    assert legend.count("repeating-linear-gradient") == 1  # only the "no coverage" swatch is hatched
    kita_layer = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Kitas")
    tooltip = next(c for c in kita_layer._children.values() if type(c).__name__ == "KitaTooltip")
    for feature in kita_layer.data["features"]:
        status = maps.kita_status(feature["properties"]["versorgt"], "en")
        assert tooltip.texts[feature["properties"]["versorgt"]] == status  # the tooltip's third line
        assert feature["properties"]["label"].endswith(status)
    assert not re.search("[\U0001F300-\U0001FAFF\u2600-\u27BF]", "\n".join(shown_texts(fmap)))  # no emoji


def test_infinite_figures_are_hatched_too():
    fill = maps.classed_fill(__import__("pandas").Series({"a": 100.0, "b": float("inf")}), "x", lang="en")
    assert fill.hatched == {maps.NO_STAFF_COLOUR} and (maps.NO_STAFF_COLOUR, "no social worker in the area") in fill.legend


# --- contrast ------------------------------------------------------------------------------------------------

def fill_colours() -> set[str]:
    return {c.colour for c in CLASSES.values()} | set(maps.FIGURE_PALETTE) | {maps.NO_STAFF_COLOUR, "#cccccc", "#ffffff"}


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast.contrast_ratio(contrast.rgb("#000"), contrast.rgb("#fff")) == pytest.approx(21)
    assert contrast.contrast_ratio(contrast.rgb("#777777"), contrast.rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_label_text_on_every_fill_colour_is_at_least_4_5_to_1():
    css = maps.map_css(large=False)
    assert maps.LABEL_TEXT_COLOUR in css and maps.css_rgba(maps.LABEL_PLATE) in css  # what the test checks is used
    text = contrast.rgb(maps.LABEL_TEXT_COLOUR)
    *plate, plate_alpha = maps.LABEL_PLATE
    background = contrast.rgb(maps.MAP_BACKGROUND)
    for colour in fill_colours():
        for opacity in (maps.FILL_OPACITY, maps.HIGHLIGHT_OPACITY, 1.0):
            seen = contrast.over(contrast.rgb(colour), opacity, background)
            behind_text = contrast.over(tuple(plate), plate_alpha, seen)
            ratio = contrast.contrast_ratio(text, behind_text)
            assert ratio >= 4.5, (colour, opacity, round(ratio, 2))


def test_without_the_plate_some_fills_would_be_too_dark_for_the_label_text():
    text = contrast.rgb(maps.LABEL_TEXT_COLOUR)
    ratios = {c: contrast.contrast_ratio(text, contrast.rgb(c)) for c in fill_colours()}
    assert min(ratios.values()) < 4.5  # why the plate is there


def test_legend_text_is_readable_over_any_fill():
    text = contrast.rgb(maps.LABEL_TEXT_COLOUR)
    *plate, alpha = maps.LEGEND_PLATE
    assert maps.css_rgba(maps.LEGEND_PLATE) in maps.map_css(large=False)
    for colour in fill_colours() | {"#000000"}:
        assert contrast.contrast_ratio(text, contrast.over(tuple(plate), alpha, contrast.rgb(colour))) >= 4.5


def test_exported_interactive_map_speaks_the_export_language(reference, seed):
    from reports import export

    data = export.prepare(dt.date(2024, 7, 31), reference, seed, 600, lang="en", attribution=reference.credit_in("en"))
    html = export.interactive_html(data).replace("\\u0026", "&")
    assert 'document.documentElement.lang = "en"' in html
    for english in (i18n.text("map_legend_kita_uncovered", "en"), i18n.text("map_gesture_scroll", "en")):
        assert english in html
    for german in (i18n.text("map_legend_kita_uncovered", "de"), i18n.text("map_gesture_scroll", "de"), "Grenzen:"):
        assert german not in html
