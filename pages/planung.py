"""Coordinators: where do N new VZÄ go? Rule, step-by-step reasons, overrides, before/after,
exports, scenarios (save, compare, apply after confirmation)."""

import copy
import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import ui
from geo import maps, overview, planning
from geo import tables as export
from geo.coverage import kita_coverage, rule_text
from geo.errors import DataError, StoreError
from geo.layers import uses_demo_data
from geo.numbers import NumberInputError, parse_number
from geo.scenarios import Scenarios
from geo.text import md, number

ui.page_setup("nav_planning")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
positions, kitas = tables["fachkraefte"], tables["kitas"]
threshold = settings.max_children_per_fte
area_names = dict(zip(ref.areas["gebiet_rs"], ref.areas["gebiet"]))


@st.cache_resource(show_spinner=False)
def scenario_store(url: str) -> Scenarios:
    return Scenarios(ui.store().engine)


@st.cache_resource(show_spinner="Berechne Plan …", max_entries=32)
def _plan(inputs: planning.PlanInputs, version: int) -> planning.PlanResult:
    """One plan per inputs and data version (results are shared: never change them)."""
    return planning.make_plan(
        inputs, ref.areas, kitas, positions, tables["gemeinden_kennzahlen"], ref.gemeinden, threshold,
        settings.max_new_fte,
    )


def compute(inputs: planning.PlanInputs) -> planning.PlanResult:
    return _plan(inputs, ui.store().version())


@st.cache_resource(show_spinner="Zeichne Karte …", max_entries=16)
def plan_map(inputs: planning.PlanInputs, after: bool, version: int, basemap: str, lang: str):
    """The coverage map at the plan's start, without (before) or with (after) the planned positions."""
    result = compute(inputs)
    coverage = result.after if after else result.before
    return maps.build_map(
        ref.areas, coverage, kita_coverage(inputs.beginn, kitas, result.staff(after)), ref.district,
        maps.coverage_fill(coverage, ui.t("map_title_with_plan") if after else ui.t("map_title_without_plan"),
                           lang=lang),
        gemeinden=ref.gemeinden, basemap=basemap, basemap_attribution=settings.basemap_attribution,
        boundary_attribution=ref.credit_in(lang), lang=lang,
    )


def show_error(exc: Exception) -> None:
    st.error(f"**Keine Planung möglich.** {md(exc)}")
    st.stop()


st.title(ui.t("planning_title"))
st.markdown(ui.t("planning_intro"))
ui.demo_notice(tables)
st.caption(md(rule_text(threshold)))

# --- inputs (kept in the URL and across page changes) --------------------------------------------
rules = list(planning.RULES)
steps_text = {c: planning.step_text(c) for c in planning.STEP_CHOICES}
entering = "n_vze" not in st.session_state  # the page was just opened (or reopened from another page)
linked_n, linked_step = ui.query_number("n"), ui.query_number("schritt")
ui.restore("schritt", planning.STEP_FTE, linked_step if linked_step in planning.STEP_CHOICES else None)
ui.restore("beginn", planning.default_start(ui.today()), ui.query_date("beginn"))
ui.restore("regel", settings.planning_rule if settings.planning_rule in rules else rules[0],
           ui.query_value("regel", set(rules)))
ui.restore("ersetzen", False, st.query_params.get("ersetzen") == "1" if "ersetzen" in st.query_params else None)
if entering and "hand" in st.query_params:
    linked_overrides = planning.parse_overrides(st.query_params["hand"], set(area_names))
    if linked_overrides is None:
        st.warning(md("Der Link enthält ungültige Festlegungen von Hand („hand“). Sie werden ignoriert."))
    else:
        st.session_state["ueberschreibungen"] = linked_overrides

left, step_col, middle, right = st.columns([1, 1, 1, 2])
n_text = ui.number_text(left, "Neue VZÄ", "n_vze", 3.0, digits=2, url_value=linked_n,
                        help="Deutsche Schreibweise: 1,5 oder 3,25")
step = step_col.selectbox("Schrittweite (VZÄ)", list(planning.STEP_CHOICES), format_func=steps_text.get,
                          key="schritt", help="0,25 erlaubt z. B. 3,25 VZÄ wie die neuen Stellen ab Sommer 2024.")
beginn = middle.date_input(
    "Beginn der neuen Stellen", format="DD.MM.YYYY", key="beginn",
    # wide bounds: a date outside the data gets the rule's message instead of a silent clamp
    min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
)
rule = right.radio("Regel", rules, format_func=lambda k: planning.RULES[k].label, key="regel")
st.info(md(planning.rule_explanation(rule, threshold)))
weights: dict[str, float] = {}
weight_errors: list[str] = []
if rule == "bedarfsindex":
    st.markdown("**Gewichte des Bedarfsindex** (Anteil des Gebiets an der Summe im Kreis; 0 = nicht berücksichtigt)")
    for column, (key, label) in zip(st.columns(len(planning.WEIGHTS)), planning.WEIGHTS.items()):
        text = ui.number_text(column, label, f"gewicht_{key}", float(settings.planning_weights.get(key, 0.0)),
                              digits=2, url_value=ui.query_number(f"g_{key}"))
        try:
            weights[key] = parse_number(text, ui.lang(), f"Gewicht „{label}“")
        except NumberInputError as exc:
            weight_errors.append(str(exc))
replace_new = st.checkbox(
    "Stellen, die an diesem Tag oder später beginnen, nicht mitzählen – Vergleich: wohin hätte die Regel sie "
    "gegeben? (z. B. Beginn 01.08.2024 für die Stellen ab Sommer 2024)",
    key="ersetzen",
)
overrides: dict[int, str] = st.session_state.setdefault("ueberschreibungen", {})
ui.remember("n_vze", "schritt", "beginn", "regel", "ersetzen", *[f"gewicht_{k}" for k in planning.WEIGHTS])


def share_view(n_fte: float | None) -> None:
    """The plan's inputs in the URL (?n=3.25&schritt=0.25&regel=…&beginn=…&hand=1:073315003), language kept."""
    ui.set_query({
        "n": "" if n_fte is None else f"{n_fte:g}", "schritt": f"{step:g}", "regel": rule,
        "beginn": beginn.isoformat(), "ersetzen": "1" if replace_new else "",
        **{f"g_{k}": f"{v:g}" for k, v in weights.items()},
        "hand": planning.format_overrides(overrides),
    })


try:
    n_fte = parse_number(n_text, ui.lang(), "Neue VZÄ")
except NumberInputError as exc:
    share_view(None)
    show_error(exc)
if weight_errors:
    share_view(n_fte)
    show_error(" ".join(weight_errors))
share_view(n_fte)
problem = overview.check_stand(beginn, positions, ui.today())
if problem:
    show_error(problem)
inputs = planning.make_inputs(n_fte, rule, beginn, weights, overrides, replace_new, step)
try:
    result = compute(inputs)
except DataError as exc:
    show_error(exc)

# --- the plan -----------------------------------------------------------------------------------
if result.need is not None:
    with st.expander("Bedarfsanteile je Gebiet (Bedarfsindex)", expanded=False):
        ui.show_table(export.for_display(planning.need_table(result.need)))
        if uses_demo_data({"kennzahlen": tables["gemeinden_kennzahlen"]}):
            st.caption("Die Gemeinde-Kennzahlen sind Schätzungen (Beispieldaten).")
st.header("Schritte")
for line in planning.summary_lines(result):
    st.markdown(md(line))
if not result.steps:
    st.info("0 neue VZÄ: es gibt nichts zu verteilen. Geben Sie oben eine Zahl größer als 0 ein.")
else:
    st.markdown("\n".join(f"{step.nr}. {md(step.begruendung)}" for step in result.steps))
    ui.show_table(result.steps_table().drop(columns=["Begründung"]))
for note in result.notes:
    st.info(md(note))

if result.steps:
    with st.expander("Schritt von Hand festlegen", expanded=bool(overrides)):
        c1, c2, c3 = st.columns([1, 2, 1])
        step_nr = c1.selectbox("Schritt", [s.nr for s in result.steps], key="ueb_schritt")
        area = c2.selectbox("Gebiet", list(area_names), format_func=area_names.get, key="ueb_gebiet")
        if c3.button("Festlegen", key="ueb_festlegen"):
            overrides[int(step_nr)] = area
            st.rerun()
        if overrides:
            st.markdown("Von Hand festgelegt: " + ", ".join(
                f"Schritt {nr} → {md(area_names.get(key, key))}" for nr, key in sorted(overrides.items())))
            if st.button("Alle Festlegungen von Hand aufheben", key="ueb_aufheben"):
                overrides.clear()
                st.rerun()

if inputs.replace_new:
    st.subheader("Regel und Wirklichkeit")
    ui.show_table(export.for_display(planning.actual_vs_plan(result)))

# --- before / after -----------------------------------------------------------------------------
st.header("Vorher / nachher")
ui.show_table(export.for_display(planning.plan_change_table(result)))
version = ui.store().version()
map_before, map_after = st.columns(2)
with map_before:
    st.markdown(f"**Ohne Plan** am {inputs.beginn:%d.%m.%Y}")
    st_folium(copy.deepcopy(plan_map(inputs, False, version, settings.basemap, ui.lang())), key="plan_vorher", height=420,
              use_container_width=True, returned_objects=[])
with map_after:
    st.markdown(f"**Mit Plan** am {inputs.beginn:%d.%m.%Y}")
    st_folium(copy.deepcopy(plan_map(inputs, True, version, settings.basemap, ui.lang())), key="plan_nachher", height=420,
              use_container_width=True, returned_objects=[])

# --- export -------------------------------------------------------------------------------------
st.header("Export")
demo = uses_demo_data(tables)
stamp = f"planung-{inputs.beginn:%Y-%m-%d}-{planning.step_text(inputs.n_fte).replace(',', '-')}vze"
info = ui.export_info(
    "Planung neuer Stellen (Kita-Sozialarbeit)", f"{inputs.beginn:%d.%m.%Y} (Beginn der neuen Stellen)",
    (("Planungsregel", f"{planning.RULES[rule].label}: {planning.rule_explanation(rule, threshold)}"),
     *(("Eingaben", line) for line in planning.summary_lines(result))))
c1, c2, c3 = st.columns(3)
ui.download(c1, "Schritte als CSV", lambda: export.csv_bytes(result.steps_table(), info), f"{stamp}.csv", "text/csv",
            key="export_csv")
ui.download(
    c2, "Plan als Excel",
    lambda: export.excel_bytes({"Schritte": result.steps_table(), "Vorher-nachher": planning.plan_change_table(result),
                                "Neue Stellen": result.positions}, info),
    f"{stamp}.xlsx", ui.XLSX, key="export_xlsx",
)
ui.download(
    c3, "Zusammenfassung (HTML, 1 Seite)",
    lambda: export.plan_html(result, rule_text(threshold), planning.rule_explanation(rule, threshold), demo,
                             dt.datetime.now()).encode("utf-8"),
    f"{stamp}.html", "text/html", key="export_html",
)

# --- scenarios (coordinators only: saving, deleting and applying write to the database) -------------
st.header("Szenarien")
who = ui.require_coordinator()
scenarios = ui.guarded(lambda: scenario_store(settings.database_url), "Öffnen der Szenarien")
message = st.session_state.pop("szenario_meldung", None)
if message:
    st.success(message)
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
name = c1.text_input("Name für diesen Plan", max_chars=80, key="szenario_name",
                     placeholder="z. B. 3 VZÄ nach Bedarfsindex")
if c2.button("Als Szenario speichern", key="szenario_speichern"):
    try:
        saved = scenarios.save(name, inputs, who=who)
        st.session_state["szenario_meldung"] = f"Szenario „{md(saved)}“ gespeichert."
        st.rerun()
    except (DataError, StoreError) as exc:
        st.error(md(str(exc)))

saved = scenarios.all()
if not saved:
    st.caption("Noch keine Szenarien gespeichert.")
else:
    st.dataframe(
        [{"Name": s.name, "angelegt": f"{s.angelegt:%d.%m.%Y %H:%M}", "von": s.wer, "Zusammenfassung":
          f"{number(s.inputs.n_fte, 1)} VZÄ, {planning.RULES[s.inputs.rule].label}, ab {s.inputs.beginn:%d.%m.%Y}",
          "übernommen": f"{s.angewendet:%d.%m.%Y %H:%M}" if s.angewendet else ""} for s in saved],
        hide_index=True, width="stretch",
    )
    names = [s.name for s in saved]
    if len(saved) >= 2:
        st.subheader("Zwei Szenarien vergleichen")
        c1, c2 = st.columns(2)
        first = c1.selectbox("Szenario A", names, index=0, key="vergleich_a")
        second = c2.selectbox("Szenario B", names, index=1, key="vergleich_b")
        try:
            comparison = planning.compare_plans(
                compute(scenarios.get(first).inputs), compute(scenarios.get(second).inputs), first, second, ui.lang())
            ui.show_table(export.for_display(comparison))
            st.caption("Beide Pläne sind mit den aktuellen Daten berechnet.")
        except DataError as exc:
            st.error(md(str(exc)))

    st.subheader("Szenario übernehmen")
    chosen = st.selectbox("Szenario", names, key="uebernehmen_name")
    scenario = scenarios.get(chosen)
    if not scenario.angewendet and st.button("Dieses Szenario löschen", key="szenario_loeschen"):
        scenarios.delete(chosen)
        st.session_state["szenario_meldung"] = f"Szenario „{md(chosen)}“ gelöscht."
        st.rerun()
    if scenario.inputs.replace_new:
        st.info("Dieses Szenario ist ein Vergleich ohne die später beginnenden Stellen und kann nicht übernommen werden.")
    elif scenario.angewendet:
        st.info(f"„{md(chosen)}“ wurde am {scenario.angewendet:%d.%m.%Y %H:%M} übernommen "
                f"(Stellen {md(scenario.stellen)}). Rückgängig machen: Seite „Daten“, Änderungsprotokoll.")
    else:
        # What this run shows is remembered; a click is checked against what the previous run showed, so a
        # plan recomputed on changed data is never written without being seen (also across tabs).
        data_version = ui.store().version()
        try:
            chosen_result = compute(scenario.inputs)
        except DataError as exc:
            st.error(md(str(exc)))
            st.stop()
        new = chosen_result.positions
        st.markdown("**Das wird geschrieben** (neue Stellen, als *geplant* – für Eltern sichtbar erst, wenn sie "
                    "auf der Seite „Daten“ als besetzt markiert sind):")
        ui.show_table(pd.DataFrame({
            "ID": new["id"], "Bezeichnung": new["bezeichnung"], "Gebiet": new["gebiet_rs"].map(area_names),
            "VZÄ": new["vze"], "Beginn": [f"{d:%d.%m.%Y}" for d in new["beginn"]],
        }))
        shown_before = st.session_state.get("uebernahme_angezeigt")
        st.session_state["uebernahme_angezeigt"] = {"name": chosen, "version": data_version, "ids": list(new["id"])}
        if shown_before and shown_before["name"] == chosen and shown_before["version"] != data_version:
            st.warning("Die Daten wurden seit der letzten Anzeige geändert (z. B. in einem anderen Tab). Der Plan oben "
                       "ist neu berechnet; nichts wurde geschrieben. Bitte prüfen und erneut bestätigen.")
        confirmed = st.checkbox(
            f"Ich bestätige: {len(new)} neue Stelle(n) mit zusammen {number(new['vze'].sum() if len(new) else 0, 1)} "
            f"VZÄ werden ab {scenario.inputs.beginn:%d.%m.%Y} in die Datenbank geschrieben.",
            key=f"bestaetigt_{chosen}_{data_version}",
        )
        past = scenario.inputs.beginn < ui.today()
        confirmed_past = False
        if past:
            st.warning(f"Der Beginn {scenario.inputs.beginn:%d.%m.%Y} liegt in der Vergangenheit. Die Übernahme "
                       "ändert, was für vergangene Stichtage gilt (z. B. „ab Sommer 2024“), und wird im "
                       "Änderungsprotokoll markiert.")
            confirmed_past = st.checkbox("Ja, die Stellen sollen rückwirkend gelten.",
                                         key=f"vergangenheit_{chosen}_{data_version}")
        if st.button("Szenario übernehmen", disabled=not confirmed or (past and not confirmed_past), type="primary",
                     key="uebernehmen"):
            basis = shown_before if shown_before and shown_before["name"] == chosen else None
            try:
                if basis is None:
                    raise DataError("Bitte den angezeigten Plan zuerst prüfen und bestätigen; nichts geschrieben.")
                ids = scenarios.apply(chosen, chosen_result, ui.store(), who=who, shown_version=basis["version"],
                                      shown_ids=basis["ids"], today=ui.today(), confirm_past=confirmed_past)
                st.session_state["szenario_meldung"] = (
                    f"Szenario „{md(chosen)}“ übernommen: Stellen {', '.join(ids)} als geplant gespeichert. Karte und "
                    "Versorgung zeigen sie ab ihrem Beginn; Eltern sehen sie, sobald sie auf der Seite „Daten“ als "
                    "besetzt markiert sind.")
                st.rerun()
            except (DataError, StoreError) as exc:
                st.error(md(str(exc)))
