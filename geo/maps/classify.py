"""Colours for the map: areas classed by coverage or by a figure (mapclassify, colour-blind-safe palettes),
hatching for "no staff", the legend's rows and the Kitas' two colours."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kita.coverage import CLASS_ORDER, CLASSES, NONE
from kita.i18n import N_, direction, text
from kita.text import esc, number

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.


# Sequential, colour-blind-safe palette for classed figures (ColorBrewer YlOrRd, 5 classes): darker = more need.
FIGURE_PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]


NO_STAFF_COLOUR = "#49006a"  # dark purple: apart from every palette colour


KITA_COVERED, KITA_UNCOVERED = "#1b1b1b", "#ffffff"


FILL_OPACITY, HIGHLIGHT_OPACITY = 0.8, 0.9


SCHEMES = {
    "natural_breaks": N_("map_scheme_natural_breaks"),
    "quantiles": N_("map_scheme_quantiles"),
    "fixed": N_("map_scheme_fixed"),
}


def scheme_label(scheme: str, lang: str = "de") -> str:
    """The name of a classification scheme ('natürliche Brüche (Jenks)') in the UI language."""
    return text(SCHEMES[scheme], lang)


@dataclass
class Fill:
    """Fill colour per area key and the legend that explains it."""

    colours: dict[str, str]
    title: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    text_colours: dict[str, str] = field(default_factory=dict)
    # Colours drawn hatched (no staff at all), so that class differs from the others by more than colour,
    # also in greyscale print and for colour-blind readers; the legend swatch shows the same hatch.
    hatched: set[str] = field(default_factory=set)


def coverage_fill(coverage: pd.DataFrame, title: str | None = None, lang: str = "de") -> Fill:
    """Fill by coverage class (keine / unterversorgt / versorgt), with the count per class; ``title``
    defaults to the coverage legend's title in ``lang``."""
    counts = coverage["klasse"].value_counts()
    return Fill(
        colours={r.gebiet_rs: CLASSES[r.klasse].colour for r in coverage.itertuples()},
        text_colours={r.gebiet_rs: CLASSES[r.klasse].text_colour for r in coverage.itertuples()},
        title=text("map_legend_title", lang) if title is None else title,
        legend=[(CLASSES[k].colour, f"{CLASSES[k].title(lang)} ({number(counts.get(k, 0), 0, lang)})")
                for k in CLASS_ORDER],
        hatched={CLASSES[NONE].colour},
    )


def classed_fill(
    values: pd.Series, title: str, scheme: str = "natural_breaks", k: int = 4, bins: list[float] | None = None,
    digits: int = 0, lang: str = "de",
) -> Fill:
    """Fill by a continuous figure (index: area key) classed with mapclassify.

    Infinite values (no staff at all) get the darkest colour and their own legend entry.
    ``bins`` are the upper bounds for the ``fixed`` scheme.
    """
    import mapclassify  # here: it loads scipy and scikit-learn (~3 s, ~100 MB), which the parents' map never needs

    finite = values[values.abs() != float("inf")].astype(float)
    infinite = values.index.difference(finite.index)
    colours: dict[str, str] = {}
    legend: list[tuple[str, str]] = []
    if len(finite):
        k = max(1, min(k, finite.nunique(), len(FIGURE_PALETTE)))
        if scheme == "fixed":
            classifier = mapclassify.UserDefined(finite.to_numpy(), bins=sorted(bins or [finite.max()]))
        elif scheme == "quantiles":
            classifier = mapclassify.Quantiles(finite.to_numpy(), k=k)
        else:
            classifier = mapclassify.NaturalBreaks(finite.to_numpy(), k=k) if k > 1 else mapclassify.UserDefined(
                finite.to_numpy(), bins=[finite.max()]
            )
        n = len(classifier.bins)
        palette = FIGURE_PALETTE[-n:] if n <= len(FIGURE_PALETTE) else FIGURE_PALETTE
        for key, cls in zip(finite.index, classifier.yb):
            colours[key] = palette[min(cls, len(palette) - 1)]
        members = pd.Series(list(classifier.yb), index=finite.index)
        lower = finite.min()
        shown: set[tuple[str, str]] = set()
        for i, upper in enumerate(classifier.bins):
            in_class = finite[members == i]
            if in_class.empty:  # an empty class (repeated bounds, or a fixed bound above the data) says nothing
                lower = upper
                continue
            if scheme == "fixed":
                # Fixed bounds are the user's: the first class is "up to" its bound, whatever the data's minimum.
                label = (text("map_up_to", lang, value=number(upper, digits, lang)) if i == 0 or lower > upper
                         else f"{number(lower, digits, lang)} – {number(upper, digits, lang)}")
            else:  # the values the class holds; one value (or equal after rounding) is not a range
                low, high = number(in_class.min(), digits, lang), number(in_class.max(), digits, lang)
                label = low if low == high else f"{low} – {high}"
            colour = palette[min(i, len(palette) - 1)]
            if (colour, label) not in shown:
                legend.append((colour, label))
                shown.add((colour, label))
            lower = upper
    for key in infinite:
        colours[key] = NO_STAFF_COLOUR
    if len(infinite):
        legend.append((NO_STAFF_COLOUR, text("map_no_staff", lang)))
    text_colours = {key: ("#ffffff" if colour in FIGURE_PALETTE[3:] + [NO_STAFF_COLOUR] else "#000000")
                    for key, colour in colours.items()}
    return Fill(colours=colours, title=title, legend=legend, text_colours=text_colours, hatched={NO_STAFF_COLOUR})


def kita_status(covered: bool, lang: str = "de") -> str:
    return text("map_kita_covered", lang) if covered else text("map_kita_uncovered", lang)


def kita_legend(lang: str = "de") -> list[tuple[str, str]]:
    """The two Kita entries of the legend: (fill colour, label)."""
    return [(KITA_COVERED, text("map_legend_kita_covered", lang)),
            (KITA_UNCOVERED, text("map_legend_kita_uncovered", lang))]


def hatch_id(colour: str) -> str:
    """The id of the SVG pattern that draws ``colour`` hatched ('#d73027' → 'kita-hatch-d73027')."""
    return "kita-hatch-" + colour.lstrip("#").lower()


def hatch_defs(colours: set[str]) -> str:
    """An invisible SVG with one hatch pattern per colour: the colour crossed by white diagonal stripes. Leaflet
    paths in the same document fill with ``url(#id)``."""
    patterns = "".join(
        f"<pattern id='{hatch_id(c)}' patternUnits='userSpaceOnUse' width='9' height='9' "
        f"patternTransform='rotate(45)'><rect width='9' height='9' fill='{esc(c)}'/>"
        f"<rect width='3' height='9' fill='#ffffff'/></pattern>"
        for c in sorted(colours)
    )
    return (f"<svg aria-hidden='true' focusable='false' width='0' height='0' "
            f"style='position:absolute;width:0;height:0'><defs>{patterns}</defs></svg>")


def swatch_style(colour: str, hatched: bool) -> str:
    """CSS background of a legend box: the colour, hatched like the map where ``hatched``."""
    if not hatched:
        return f"background:{colour}"
    return f"background:repeating-linear-gradient(45deg,#ffffff 0 2px,{colour} 2px 6px)"


def legend_html(fill: Fill, kitas: bool = True, lang: str = "de") -> str:
    """The legend's rows: title, one box per class with its name, the two kinds of Kita point; written in the
    language's direction (Arabic right-to-left, the map around it stays left-to-right)."""
    rows = []
    for colour, label in fill.legend:
        style = swatch_style(colour, colour in fill.hatched)
        rows.append(f"<div><span class='kl-box' style='{esc(style)}'></span>{esc(label)}</div>")
    if kitas:
        for colour, label in kita_legend(lang):
            rows.append(f"<div><span class='kl-dot' style='background:{colour}'></span>{esc(label)}</div>")
    # A disclosure, open: the map's script folds it on a phone-sized map (Legend).
    return (f"<div lang='{esc(lang)}' dir='{direction(lang)}'><details open>"
            f"<summary class='kl-title'>{esc(fill.title)}</summary>{''.join(rows)}</details></div>")
