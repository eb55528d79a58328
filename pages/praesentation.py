"""Meetings: the map in large type slide by slide (buttons, arrow keys, presenter clickers), and exports."""

import datetime as dt

import folium
import streamlit as st

import ui
from ui.framework.slide_keys import SlideKeys
from reports import export, presentation
from geo import maps
from kita.coverage import coverage_at, kita_coverage
from kita.text import date, esc, md

# Projector formats → (map height, map column width) in px, for the map's size and the zoom per slide; the
# heights leave room for title, heading and the footer line, so a slide fits the screen without scrolling.
FORMATS = {"1920 × 1080": (700, 1300), "1280 × 720": (420, 820)}
DEFAULT_FORMAT = "1280 × 720"  # fits every projector; on a larger screen the presenter picks 1920 once (it stays in the link)
LEGEND_WIDTH = 340  # px kept free for the large legend at the map's top right (box at most 320 px, see maps.map_css)

ui.page_setup("nav_presentation", sidebar_state="collapsed", language_switch=False)
settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
version = ui.store().version()
lang = ui.lang()
slides = presentation.slide_list(ref.areas, ui.today(), settings.summer_2024, lang)
ui.page_style("presentation")
st.html(f"<style>{presentation.PANEL_CSS}</style>")

linked = ui.query_value("folie", {str(s.number) for s in slides})
number = int(linked) if linked else st.session_state.get("folie", 1)
st.session_state["folie"] = number
st.query_params["folie"] = str(number)
slide = slides[number - 1]


def go(step: int) -> None:
    """Next/previous slide; the URL follows (?folie=N), so a link opens the same slide."""
    target = min(max(st.session_state["folie"] + step, 1), len(slides))
    st.session_state["folie"] = target
    st.query_params["folie"] = str(target)


# The slide buttons a key presses when the map has the focus (see ui.framework.slide_keys).
SLIDE_KEYS = {"ArrowRight": "folie_weiter", "PageDown": "folie_weiter", "ArrowLeft": "folie_zurueck",
              "PageUp": "folie_zurueck"}


def slide_map(stand: dt.date, basemap: str, with_kitas: bool = True, compact: bool = False, lang: str = "de"):
    """The large-type map at one date (built on a miss of ui.map_component's cache only: the same content keeps
    the map component)."""
    coverage = coverage_at(stand, ref.areas, tables["kitas"], tables["fachkraefte"], settings.max_children_per_fte)
    kitas = kita_coverage(stand, tables["kitas"], tables["fachkraefte"]) if with_kitas else None
    fmap = maps.build_map(
        ref.areas, coverage, kitas, ref.district, maps.coverage_fill(coverage, lang=lang), gemeinden=ref.gemeinden,
        basemap=basemap, basemap_attribution=settings.basemap_attribution, boundary_attribution=ref.credit_in(lang),
        large=True, lang=lang,
    )
    fmap.options["keyboard"] = False  # arrow keys step the slides, they do not pan the map
    if compact:  # 1280 × 720: names only (the class is the area's colour, in the legend and the panel)
        fmap.get_root().header.add_child(folium.Element("<style>.area-label small { display: none; }</style>"))
    SlideKeys(SLIDE_KEYS).add_to(fmap)
    return fmap


def export_data(stand: dt.date) -> export.ExportData:
    return export.prepare(stand, ref, tables, settings.max_children_per_fte,
                          st.session_state.get("praes_titel"), st.session_state.get("praes_untertitel"),
                          data_stand=ui.data_stand(), lang=lang, attribution=ref.credit_in(lang))


st.session_state.setdefault("praes_titel", "")  # empty: the default title in the UI language
st.session_state.setdefault("praes_untertitel", "")
ui.restore("praes_kitas_zeigen", True)  # the checkbox below; kept across page changes
data = export_data(slide.stand)

# The projector format is part of the link (?format=1280), so a prepared presentation opens as it was set up.
format_ids = {name.split(" ")[0]: name for name in FORMATS}
linked_format = ui.query_value("format", set(format_ids))
ui.restore("praes_format", DEFAULT_FORMAT, format_ids.get(linked_format))
screen = st.session_state["praes_format"]
st.query_params["format"] = screen.split(" ")[0]
map_height, map_width = FORMATS[screen]
small = " klein" if map_height < 600 else ""
head, back, position, forward = st.columns([7, 1.6, 1, 1.6], vertical_alignment="center")
head.html(f"<div class='praes-title{small}'><h1>{esc(data.title)}</h1><p>{esc(data.subtitle)}</p></div>")
back.button(ui.t("slide_previous"), key="folie_zurueck", on_click=go, args=(-1,), shortcut="Left",
            disabled=number == 1, width="stretch")
position.html(f"<div style='font-size:24px;text-align:center'>{number}&nbsp;/&nbsp;{len(slides)}</div>")
forward.button(ui.t("slide_next"), key="folie_weiter", on_click=go, args=(1,), shortcut="Right",
               disabled=number == len(slides), width="stretch")
# Presenter clickers send PageUp/PageDown: the same steps on two hidden buttons (one shortcut per button).
st.button("PageUp", key="folie_pgup", on_click=go, args=(-1,), shortcut="PageUp")
st.button("PageDown", key="folie_pgdn", on_click=go, args=(1,), shortcut="PageDown")

st.html(f"<div class='praes-heading'>{esc(slide.heading)}</div>")
map_column, panel_column = st.columns([3, 1], gap="medium")
with panel_column:  # written before the slower map, so heading and figures change together
    before = None
    if slide.kind == presentation.AFTER:
        before = export_data(slides[number - 2].stand).coverage
    st.html(presentation.panel_html(slide, data.coverage, before, compact=map_height < 600, lang=lang))
with map_column:
    center, zoom = presentation.slide_view(slide, ref.areas, ref.district, map_width, map_height, LEGEND_WIDTH)
    with_kitas, compact = st.session_state["praes_kitas_zeigen"], map_height < 600
    with st.spinner(ui.t("spinner_map")):
        # rendered once per date, data version, size and language and shared by all sessions; the slide's own
        # layer (spotlight) once per area
        ui.map_component(
            ("praesentation", slide.stand, settings.basemap, version, with_kitas, compact, lang),
            lambda: slide_map(slide.stand, settings.basemap, with_kitas, compact, lang),
            # a new size or the Kitas shown/hidden need a new map component
            key=f"praes_karte_{slide.stand.isoformat()}_{map_height}_{int(with_kitas)}",
            height=map_height,
            returned_objects=[],
            layer_key=("praesentation", slide.gebiet_rs),
            build_layer=lambda: presentation.spotlight_layer(ref.areas, slide.gebiet_rs),
            center=center,
            zoom=zoom,
        )

with st.expander(ui.t("presentation_settings"), expanded=False):
    left, right = st.columns(2)
    left.text_input(ui.t("presentation_title"), key="praes_titel", max_chars=120, placeholder=export.default_title(lang))
    right.text_input(ui.t("presentation_subtitle"), key="praes_untertitel", max_chars=160,
                     placeholder=export.default_subtitle(slide.stand, lang))
    st.selectbox(ui.t("presentation_jump"), [s.number for s in slides], index=number - 1, key=f"sprung_{number}",
                 format_func=lambda n: f"{n}: {slides[n - 1].heading}",
                 on_change=lambda: go(st.session_state[f"sprung_{number}"] - number))
    st.radio(ui.t("presentation_format"), list(FORMATS), key="praes_format", horizontal=True)
    ui.remember("praes_format")
    st.checkbox(ui.t("presentation_show_kitas"), key="praes_kitas_zeigen")
    ui.remember("praes_kitas_zeigen")
    st.page_link("dashboard.py", label=ui.t("nav_map"), icon=":material/map:")

with st.expander(ui.t("presentation_export"), expanded=False):
    # Every file is made from ``data``, computed in this script run with the title and subtitle as set: a
    # deferred download runs outside the run (no session state there, "missing ScriptRunContext").
    st.caption(ui.t("presentation_export_hint", stand=date(slide.stand, lang)))
    columns = st.columns(4)
    focus = slide.gebiet_rs  # an area slide exports its area's view, like the screen
    area_name = slide.heading if focus else ""
    ui.download(
        columns[0], ui.t("presentation_dl_png"), lambda: export.map_png(data, focus=focus),
        export.file_name("png", data, area_name), "image/png", key="dl_png", deferred=True, icon=":material/image:")
    ui.download(
        columns[1], ui.t("presentation_dl_png_a4"), lambda: export.map_png(data, "a4", focus=focus),
        export.file_name("png_a4", data, area_name), "image/png", key="dl_png_a4", deferred=True,
        icon=":material/image:")
    ui.download(
        columns[2], ui.t("presentation_dl_pdf"), lambda: export.map_pdf(data, focus=focus),
        export.file_name("pdf", data, area_name), "application/pdf", key="dl_pdf", deferred=True,
        icon=":material/picture_as_pdf:")
    ui.download(
        columns[3], ui.t("presentation_dl_html"),
        lambda: export.interactive_html(data, large=True, focus=focus),
        export.file_name("html", data, area_name), "text/html", key="dl_html", deferred=True,
        icon=":material/language:")
    if slide.kind == presentation.AREA:
        ui.download(
            st, ui.t("presentation_dl_sheet", gebiet=md(slide.heading)),
            lambda: export.fact_sheet_pdf(data, slide.gebiet_rs),
            export.file_name("steckbrief", data, slide.heading), "application/pdf", key="dl_steckbrief",
            deferred=True, icon=":material/description:")
    request = (slide.stand, data.title, data.subtitle, version)
    if st.button(ui.t("presentation_all_sheets"), key="alle_steckbriefe", icon=":material/library_books:"):
        with st.status(ui.t("presentation_all_sheets_running"), expanded=True) as status:
            bar = st.progress(0.0)
            pdf = ui.attempt(lambda: export.fact_sheets_pdf(
                data, progress=lambda fraction, message: bar.progress(fraction, text=md(message))),
                ui.t("presentation_all_sheets"))
            if pdf is not None:
                st.session_state["steckbriefe"] = (request, pdf)
            status.update(label=ui.t("presentation_all_sheets_done") if pdf is not None else ui.t("error_export_failed"),
                          state="complete" if pdf is not None else "error", expanded=pdf is None)
    done = st.session_state.get("steckbriefe")
    if done and done[0] == request:
        st.download_button(
            ui.t("presentation_all_sheets_download"), done[1], export.file_name("steckbriefe", data),
            "application/pdf", key="dl_steckbriefe", on_click="ignore", type="primary", icon=":material/download:")

st.html(f"<div class='praes-corner'>{presentation.corner_html(data.source_line(with_stand=False), lang)}</div>")
